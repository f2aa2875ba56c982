package org.scanline.runtime;

import org.scanline.BadDataException;
import org.scanline.LineStream;
import org.scanline.Prediction;

/**
 * The stream of a model without a cache ({@code vit}, {@code lrcn}): it keeps the normalised
 * lines so far and runs the whole prefix through the graph after each line.
 */
final class PrefixLineStream implements LineStream, OnnxClassifier.Releasable {
    private final OnnxClassifier owner;
    private final int pixels;
    private final int maxLines;
    private final float[] prefix;
    private final StreamGuard guard;
    private int seen;
    private boolean released;

    PrefixLineStream(OnnxClassifier owner) {
        this.owner = owner;
        this.guard = new StreamGuard(owner.source(), this::releaseAndForget);
        this.pixels = owner.info().pixels();
        this.maxLines = owner.info().maxLines();
        this.prefix = new float[maxLines * pixels];
    }

    @Override
    public Prediction push(float[] line) {
        guard.enter("push");
        owner.readLock().lock();
        try {
            ensureUsable();
            owner.checkLine(line, -1, seen);
            if (seen >= maxLines) {
                throw new BadDataException("line " + seen + " is beyond the model's maximum of " + maxLines
                        + " lines; reset() the stream for the next scan");
            }
            owner.info().normalizer().normalize(line, 0, prefix, seen * pixels, pixels);
            float[] logits = owner.runFull(java.util.Arrays.copyOf(prefix, (seen + 1) * pixels), 1, seen + 1)[0];
            seen++;
            return owner.prediction(logits, seen);
        } finally {
            owner.readLock().unlock();
            guard.exit();
        }
    }

    @Override
    public int linesSeen() {
        return seen;
    }

    @Override
    public void reset() {
        guard.enter("reset");
        owner.readLock().lock();
        try {
            ensureUsable();
            seen = 0;
        } finally {
            owner.readLock().unlock();
            guard.exit();
        }
    }

    private void ensureUsable() {
        owner.ensureOpen();
        if (released) {
            throw new IllegalStateException(owner.source() + ": the stream is closed");
        }
    }

    @Override
    public void close() {
        guard.close();
    }

    private void releaseAndForget() {
        release();
        owner.forget(this);
    }

    @Override
    public void release() {
        released = true;
    }
}
