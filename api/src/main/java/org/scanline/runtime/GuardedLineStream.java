package org.scanline.runtime;

import java.nio.FloatBuffer;
import java.util.Optional;
import org.scanline.BadDataException;
import org.scanline.LineState;
import org.scanline.LineStream;
import org.scanline.Prediction;
import org.scanline.TipChange;
import org.scanline.TipChangeDetector;

/**
 * What every stream shares, whatever it runs per line: the single-thread guard, the classifier's
 * read lock, the checks on a pushed line, the line count, reset, close and the release that runs
 * once, and the tip state read after a line. A stream implements {@link #step} (the line's own
 * work) and {@link #freeNative}.
 */
abstract class GuardedLineStream implements LineStream, OnnxClassifier.Releasable {
    final OnnxClassifier owner;
    final int pixels;
    final int maxLines;
    /** The classifier's parts a push needs, held here so that a line does not call back for each. */
    final ModelSignature signature;
    final PredictionDecoder decoder;
    final org.scanline.Normalizer normalizer;
    private final StreamGuard guard;
    private final TipChangeDetector detector;
    private final float[] stateLogits;
    private int seen;
    private boolean released;

    GuardedLineStream(OnnxClassifier owner) {
        this.owner = owner;
        this.guard = new StreamGuard(owner.source(), this::releaseAndForget);
        this.signature = owner.signature();
        this.decoder = owner.decoder();
        this.normalizer = owner.info().normalizer();
        this.pixels = owner.info().pixels();
        this.maxLines = owner.info().maxLines();
        int states = owner.info().lineStateNames().size();
        this.stateLogits = new float[states];
        this.detector = states == 0 ? null : owner.tipChangeDetector();
    }

    @Override
    public final Prediction push(float[] line) {
        guard.enter("push");
        owner.readLock().lock();
        try {
            ensureUsable();
            signature.checkLine(line, -1, seen);
            if (seen >= maxLines) {
                throw new BadDataException("line " + seen + " is beyond the model's maximum of " + maxLines
                        + " lines; reset() the stream for the next scan");
            }
            Prediction p = step(line, seen);
            seen++;
            return p;
        } finally {
            owner.readLock().unlock();
            guard.exit();
        }
    }

    /**
     * Runs one checked line; if it throws, the stream must be as it was before the call.
     *
     * @param line the raw line, of the model's width and finite
     * @param index its line index (the lines seen before it)
     * @return the prediction after it
     */
    abstract Prediction step(float[] line, int index);

    /**
     * The prediction after line {@code index}: with the line's tip state, read from {@code states},
     * and any tip change it confirms, when the model has a tip-state head.
     */
    final Prediction predictionAfter(int index, float[] logits, FloatBuffer states) {
        if (detector == null) {
            return decoder.decode(logits, index + 1);
        }
        states.get(0, stateLogits);
        LineState state = decoder.lineState(stateLogits);
        Optional<TipChange> change = detector.update(index, state.probabilities(), logits);
        Prediction p = decoder.decode(logits, index + 1, Optional.of(state), change);
        // a non-finite state is shown as uniform probabilities, which confirm nothing; say why
        return PredictionDecoder.finite(stateLogits) ? p : p.withReason(org.scanline.Uncertainty.NON_FINITE_OUTPUT);
    }

    @Override
    public final int linesSeen() {
        return seen;
    }

    @Override
    public final void reset() {
        guard.enter("reset");
        owner.readLock().lock();
        try {
            ensureUsable();
            forget();
            seen = 0;
            if (detector != null) {
                detector.reset();
            }
        } finally {
            owner.readLock().unlock();
            guard.exit();
        }
    }

    /** Drops what the stream kept of the lines so far (nothing by default). */
    void forget() {
    }

    private void ensureUsable() {
        owner.ensureOpen();
        if (released) {
            throw new IllegalStateException(owner.source() + ": the stream is closed");
        }
    }

    @Override
    public final void close() {
        guard.close();
    }

    private void releaseAndForget() {
        release();
        owner.forget(this);
    }

    /** Called by the guard, or by the classifier as it closes (no push can then be running). */
    @Override
    public final synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        freeNative();
    }

    /** Frees the stream's native memory; runs once. */
    abstract void freeNative();
}
