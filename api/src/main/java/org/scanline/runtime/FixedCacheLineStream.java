package org.scanline.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.scanline.BadDataException;
import org.scanline.LineState;
import org.scanline.LineStream;
import org.scanline.ModelFormat;
import org.scanline.Prediction;
import org.scanline.ScanlineException;
import org.scanline.TipChange;
import org.scanline.TipChangeDetector;

/**
 * The {@code causal} stream of model format 3: every layer's keys and values live in buffers of
 * {@code max_lines} rows allocated once per stream. Each buffer is both the layer's past input and
 * its pinned present output, so ONNX Runtime writes the new line's row at {@code past_lines} in place
 * and nothing is copied or allocated per line: the feed, the pinned outputs and every tensor are
 * built once, and a push only fills the line buffer and the {@code past_lines} counter.
 *
 * <p>A failed call leaves the stream as it was: rows from {@code past_lines} on are never read, so
 * whatever a failed call wrote there is overwritten by the next line.
 */
final class FixedCacheLineStream implements LineStream, OnnxClassifier.Releasable {
    private final OnnxClassifier owner;
    private final int pixels;
    private final int maxLines;
    private final float[] scratch;
    private final FloatBuffer lineBuffer;
    private final LongBuffer pastLines;
    private final FloatBuffer logitsBuffer;
    private final float[] logits;
    private final FloatBuffer stateBuffer;
    private final float[] stateLogits;
    private final TipChangeDetector detector;
    private final List<OnnxTensor> tensors = new ArrayList<>();
    private final Map<String, OnnxTensor> feed = new HashMap<>();
    private final Map<String, OnnxTensor> pinned = new HashMap<>();
    private final StreamGuard guard;
    private int seen;
    private boolean released;

    FixedCacheLineStream(OnnxClassifier owner, int layers, int heads, int headDim) throws OrtException {
        this.owner = owner;
        this.guard = new StreamGuard(owner.source(), this::releaseAndForget);
        this.pixels = owner.info().pixels();
        this.maxLines = owner.info().maxLines();
        this.scratch = new float[pixels];
        int k = owner.info().classCount();
        int states = owner.info().lineStateNames().size();
        this.logits = new float[k];
        this.stateLogits = new float[states];
        this.detector = states == 0 ? null : owner.tipChangeDetector();
        this.lineBuffer = floats(pixels);
        this.logitsBuffer = floats(k);
        this.stateBuffer = states == 0 ? null : floats(states);
        this.pastLines = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        try {
            feed.put(ModelFormat.LINES, tensor(lineBuffer, 1, 1, pixels));
            feed.put(ModelFormat.PAST_LINES, track(OnnxTensor.createTensor(owner.env(), pastLines, new long[0])));
            pinned.put(ModelFormat.LOGITS, tensor(logitsBuffer, 1, 1, k));
            if (states > 0) {
                pinned.put(ModelFormat.LINE_STATE, tensor(stateBuffer, 1, 1, states));
            }
            int rows = heads * maxLines * headDim;
            for (int i = 0; i < layers; i++) {
                OnnxTensor key = tensor(floats(rows), 1, heads, maxLines, headDim);
                OnnxTensor value = tensor(floats(rows), 1, heads, maxLines, headDim);
                feed.put(ModelFormat.pastKey(i), key);
                feed.put(ModelFormat.pastValue(i), value);
                pinned.put(ModelFormat.presentKey(i), key);
                pinned.put(ModelFormat.presentValue(i), value);
            }
        } catch (OrtException | RuntimeException e) {
            tensors.forEach(OnnxTensor::close);
            throw e;
        }
    }

    private static FloatBuffer floats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private OnnxTensor tensor(FloatBuffer buffer, long... shape) throws OrtException {
        return track(OnnxTensor.createTensor(owner.env(), buffer, shape));
    }

    private OnnxTensor track(OnnxTensor t) {
        tensors.add(t);
        return t;
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
            owner.info().normalizer().normalize(line, 0, scratch, 0, pixels);
            lineBuffer.put(0, scratch);
            pastLines.put(0, seen);
            try (OrtSession.Result ignored = owner.streamSession().run(feed, Set.of(), pinned)) {
                logitsBuffer.get(0, logits);
            } catch (OrtException e) {
                throw new ScanlineException(owner.source() + ": ONNX Runtime failed on line " + seen + ": "
                        + e.getMessage(), e);
            }
            int index = seen++;
            if (detector == null) {
                return owner.prediction(logits, seen);
            }
            stateBuffer.get(0, stateLogits);
            LineState state = owner.lineState(stateLogits);
            Optional<TipChange> change = detector.update(index, state.probabilities());
            return owner.prediction(logits, seen, Optional.of(state), change);
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
            // Rows at and after past_lines are never read, so the buffers need no clearing.
            seen = 0;
            if (detector != null) {
                detector.reset();
            }
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

    /** Called by the guard, or by the classifier as it closes (no push can then be running). */
    @Override
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        feed.clear();
        pinned.clear();
        tensors.forEach(OnnxTensor::close);
    }
}
