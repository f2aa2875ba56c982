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
import java.util.Set;
import org.scanline.ModelFormat;
import org.scanline.Prediction;
import org.scanline.ScanlineException;

/**
 * The {@code causal} stream of model format 3: every layer's keys and values live in buffers of
 * {@code max_lines} rows. Each buffer is both the layer's past input and its pinned present output, so
 * ONNX Runtime writes the new line's row at {@code past_lines} in place and nothing is copied or
 * allocated per line: the feed, the pinned outputs and every tensor are built once, and a push only
 * fills the line buffer and the {@code past_lines} counter (format 4: and the previous line).
 *
 * <p>The tensors and their direct buffers ({@link Buffers}) go back to the classifier when the stream
 * closes and serve its next stream, so opening and closing a stream per scan allocates no native or
 * direct memory either; the classifier closes them when it closes.
 *
 * <p>A failed call leaves the stream as it was: rows from {@code past_lines} on are never read, so
 * whatever a failed call wrote there is overwritten by the next line.
 */
final class FixedCacheLineStream extends GuardedLineStream {
    private final float[] scratch;
    private final float[] logits;
    private final ai.onnxruntime.OrtSession session;
    private final String source;
    private Buffers buffers;

    FixedCacheLineStream(OnnxClassifier owner, Buffers buffers) {
        super(owner);
        this.session = owner.streamSession();
        this.source = owner.source();
        this.buffers = buffers;
        this.scratch = new float[pixels];
        this.logits = new float[owner.info().classCount()];
    }

    /**
     * The native side of a stream: the input, counter and output tensors, and the key and value
     * buffers of every layer, with the feed and output binding that name them.
     */
    static final class Buffers implements AutoCloseable {
        final FloatBuffer line;
        /** The normalised line before {@link #line}, for a model with {@value ModelFormat#PREVIOUS_LINE}; else null. */
        final FloatBuffer previous;
        final LongBuffer pastLines;
        final FloatBuffer logits;
        final FloatBuffer state;
        final Map<String, OnnxTensor> feed;
        final Map<String, OnnxTensor> pinned;
        private final List<OnnxTensor> tensors = new ArrayList<>();

        Buffers(OnnxClassifier owner) throws OrtException {
            ModelSignature sig = owner.signature();
            int layers = sig.layers();
            int heads = sig.heads();
            int headDim = sig.headDim();
            int pixels = owner.info().pixels();
            int maxLines = owner.info().maxLines();
            int k = owner.info().classCount();
            int states = owner.info().lineStateNames().size();
            this.line = floats(pixels);
            this.previous = sig.previousLine() ? floats(pixels) : null;
            this.logits = floats(k);
            this.state = states == 0 ? null : floats(states);
            this.pastLines = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
            Map<String, OnnxTensor> in = new HashMap<>();
            Map<String, OnnxTensor> out = new HashMap<>();
            try {
                in.put(ModelFormat.LINES, tensor(owner, line, 1, 1, pixels));
                in.put(ModelFormat.PAST_LINES, track(OnnxTensor.createTensor(owner.env(), pastLines, new long[0])));
                if (previous != null) {
                    in.put(ModelFormat.PREVIOUS_LINE, tensor(owner, previous, 1, pixels));
                }
                out.put(ModelFormat.LOGITS, tensor(owner, logits, 1, 1, k));
                if (states > 0) {
                    out.put(ModelFormat.LINE_STATE, tensor(owner, state, 1, 1, states));
                }
                int rows = heads * maxLines * headDim;
                for (int i = 0; i < layers; i++) {
                    OnnxTensor key = tensor(owner, floats(rows), 1, heads, maxLines, headDim);
                    OnnxTensor value = tensor(owner, floats(rows), 1, heads, maxLines, headDim);
                    in.put(ModelFormat.pastKey(i), key);
                    in.put(ModelFormat.pastValue(i), value);
                    out.put(ModelFormat.presentKey(i), key);
                    out.put(ModelFormat.presentValue(i), value);
                }
            } catch (OrtException | RuntimeException e) {
                close();
                throw e;
            }
            this.feed = Map.copyOf(in);
            this.pinned = Map.copyOf(out);
        }

        private static FloatBuffer floats(int n) {
            return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }

        private OnnxTensor tensor(OnnxClassifier owner, FloatBuffer buffer, long... shape) throws OrtException {
            return track(OnnxTensor.createTensor(owner.env(), buffer, shape));
        }

        private OnnxTensor track(OnnxTensor t) {
            tensors.add(t);
            return t;
        }

        /** @return every tensor, for tests that check they are closed */
        List<OnnxTensor> tensors() {
            return List.copyOf(tensors);
        }

        @Override
        public void close() {
            tensors.forEach(OnnxTensor::close);
        }
    }

    @Override
    Prediction step(float[] line, int index) {
        normalizer.normalize(line, 0, scratch, 0, pixels);
        buffers.line.put(0, scratch);
        buffers.pastLines.put(0, index);
        if (buffers.previous != null && index == 0) {
            buffers.previous.put(0, scratch);
        }
        try (OrtSession.Result ignored = session.run(buffers.feed, Set.of(), buffers.pinned)) {
            buffers.logits.get(0, logits);
            if (buffers.previous != null) {
                buffers.previous.put(0, scratch);
            }
        } catch (OrtException e) {
            throw new ScanlineException(source + ": ONNX Runtime failed on line " + index + ": "
                    + e.getMessage(), e);
        }
        return predictionAfter(index, logits, buffers.state);
    }

    // Rows at and after past_lines are never read, so a reset needs no clearing: forget() stays empty.

    @Override
    void freeNative() {
        owner.recycle(buffers);
        buffers = null;
    }
}
