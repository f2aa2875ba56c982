package org.scanline.runtime;

import org.scanline.ModelFormat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.scanline.Prediction;
import org.scanline.ScanlineException;

/**
 * The {@code causal} stream of model formats 1 and 2: one step-graph call per line with every layer's keys and values of
 * the earlier lines as pasts, so line i costs attention over i keys plus one line of projections
 * instead of recomputing the prefix. The presents of one call are fed straight back as the next
 * call's pasts (no copies); the result holding them is closed once the next call has replaced them.
 *
 * <p>Per push the line is normalised into a reused direct buffer that backs the reused input
 * tensor, and the logits are written by ONNX Runtime into a pinned output tensor over another
 * reused direct buffer, so neither side copies or allocates for the data itself.
 */
final class CachedLineStream extends GuardedLineStream {
    private final String[] pastNames;
    private final String[] presentNames;
    private final float[] scratch;
    private final FloatBuffer lineBuffer;
    private final OnnxTensor lineTensor;
    private final OnnxTensor emptyPast;
    private final FloatBuffer logitsBuffer;
    private final OnnxTensor logitsTensor;
    private final float[] logits;
    private final FloatBuffer stateBuffer;
    private final OnnxTensor stateTensor;
    private final java.util.Set<String> requested;
    private final Map<String, OnnxTensor> pinned;
    private final Map<String, OnnxTensor> feed = new HashMap<>();
    private OrtSession.Result current;

    private final OrtSession session;
    private final String source;

    CachedLineStream(OnnxClassifier owner) throws OrtException {
        super(owner);
        this.session = owner.streamSession();
        this.source = owner.source();
        int layers = signature.layers();
        int heads = signature.heads();
        int headDim = signature.headDim();
        this.scratch = new float[pixels];
        this.lineBuffer = ByteBuffer.allocateDirect(pixels * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        this.pastNames = new String[2 * layers];
        this.presentNames = new String[2 * layers];
        for (int i = 0; i < layers; i++) {
            pastNames[2 * i] = ModelFormat.pastKey(i);
            pastNames[2 * i + 1] = ModelFormat.pastValue(i);
            presentNames[2 * i] = ModelFormat.presentKey(i);
            presentNames[2 * i + 1] = ModelFormat.presentValue(i);
        }
        int k = owner.info().classCount();
        this.logits = new float[k];
        this.logitsBuffer = ByteBuffer.allocateDirect(k * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        this.requested = java.util.Set.of(presentNames);
        int states = owner.info().lineStateNames().size();
        this.stateBuffer = states == 0 ? null
                : ByteBuffer.allocateDirect(states * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        OnnxTensor line = OnnxTensor.createTensor(owner.env(), lineBuffer, new long[] {1, 1, pixels});
        OnnxTensor out = null;
        OnnxTensor state = null;
        try {
            out = OnnxTensor.createTensor(owner.env(), logitsBuffer, new long[] {1, 1, k});
            if (states > 0) {
                state = OnnxTensor.createTensor(owner.env(), stateBuffer, new long[] {1, 1, states});
            }
            this.emptyPast = OnnxTensor.createTensor(owner.env(), FloatBuffer.allocate(0),
                    new long[] {1, heads, 0, headDim});
        } catch (OrtException | RuntimeException e) {
            line.close();
            if (out != null) {
                out.close();
            }
            if (state != null) {
                state.close();
            }
            throw e;
        }
        this.lineTensor = line;
        this.logitsTensor = out;
        this.stateTensor = state;
        this.pinned = state == null ? Map.of(ModelFormat.LOGITS, logitsTensor)
                : Map.of(ModelFormat.LOGITS, logitsTensor, ModelFormat.LINE_STATE, state);
        feed.put(ModelFormat.LINES, lineTensor);
        pointPastsAtEmpty();
    }

    private void pointPastsAtEmpty() {
        for (String name : pastNames) {
            feed.put(name, emptyPast);
        }
    }

    @Override
    Prediction step(float[] line, int index) {
        normalizer.normalize(line, 0, scratch, 0, pixels);
        lineBuffer.clear();
        lineBuffer.put(scratch);
        OrtSession.Result next;
        try {
            next = session.run(feed, requested, pinned);
        } catch (OrtException e) {
            // The pasts in the feed still belong to `current`, so the stream is unchanged.
            throw new ScanlineException(source + ": ONNX Runtime failed on line " + index + ": "
                    + e.getMessage(), e);
        }
        try {
            logitsBuffer.get(0, logits);
            for (int i = 0; i < pastNames.length; i++) {
                feed.put(pastNames[i], (OnnxTensor) next.get(presentNames[i]).orElseThrow());
            }
        } catch (RuntimeException e) {
            next.close();
            restoreFeed();
            throw e;
        }
        if (current != null) {
            current.close();
        }
        current = next;
        return predictionAfter(index, logits, stateBuffer);
    }

    private void restoreFeed() {
        if (current == null) {
            pointPastsAtEmpty();
        } else {
            for (int i = 0; i < pastNames.length; i++) {
                feed.put(pastNames[i], (OnnxTensor) current.get(presentNames[i]).orElseThrow());
            }
        }
    }

    @Override
    void forget() {
        if (current != null) {
            current.close();
            current = null;
        }
        pointPastsAtEmpty();
    }

    @Override
    void freeNative() {
        if (current != null) {
            current.close();
            current = null;
        }
        feed.clear();
        lineTensor.close();
        logitsTensor.close();
        if (stateTensor != null) {
            stateTensor.close();
        }
        emptyPast.close();
    }
}
