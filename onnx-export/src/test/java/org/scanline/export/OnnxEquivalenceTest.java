package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scanline.Architecture;
import org.scanline.Normalizer;
import org.scanline.model.ScanModels;
import org.scanline.train.TrainingConfig;
import org.scanline.model.ScanModel;

/** ONNX Runtime on the exported graph reproduces DJL's logits, for every architecture. */
class OnnxEquivalenceTest {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** Runs a graph with {@code past_lines = 0}; returns the logits. */
    static float[] ort(OrtSession session, ModelSpec spec, float[] x, int b, int t) throws OrtException {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OnnxTensor lines = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), new long[] {b, t, spec.pixels()});
             OnnxTensor empty = OnnxTensor.createTensor(ENV, FloatBuffer.allocate(0),
                     new long[] {b, spec.numHeads(), 0, spec.headDim()})) {
            feed.put("lines", lines);
            if (spec.architecture() == Architecture.CAUSAL) {
                for (int l = 0; l < spec.numLayers(); l++) {
                    feed.put("past_key_" + l, empty);
                    feed.put("past_value_" + l, empty);
                }
            }
            try (OrtSession.Result r = session.run(feed)) {
                return ((OnnxTensor) r.get("logits").orElseThrow()).getFloatBuffer().array();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void onnxRuntimeMatchesDjlOnRandomAndStructuredInputs(Architecture a) throws OrtException {
        ScanModel model = TinyModels.model(manager, a, 11);
        ModelSpec spec = TinyModels.spec(a);
        byte[] onnx = OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(a, 1), false);
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions())) {
            int[][] shapes = {{1, 1}, {2, 5}, {3, TinyModels.MAX}};
            for (int[] bt : shapes) {
                int n = bt[0] * bt[1] * TinyModels.P;
                for (float[] x : new float[][] {TinyModels.gaussian(n, n), TinyModels.structured(bt[0], bt[1])}) {
                    float[] expected = TinyModels.djl(manager, model, x, bt[0], bt[1]);
                    float[] actual = ort(session, spec, x, bt[0], bt[1]);
                    double diff = TinyModels.maxAbsDiff(expected, actual);
                    assertTrue(diff <= 1e-4, a + " B=" + bt[0] + " T=" + bt[1] + ": max |DJL - ORT| = " + diff);
                }
            }
        }
    }

    @Test
    void spectrumTokensAndTipStateHeadMatchDjl() throws OrtException {
        TrainingConfig config = TinyModels.config(Architecture.CAUSAL).toBuilder().spectrumTokens(true)
                .lineStateWeight(0.5).build();
        ScanModel model = TinyModels.model(manager, config, 17);
        assertEquals(ScanModels.LINE_STATES, model.lineStates());
        ModelSpec spec = ModelSpec.of(config, TinyModels.P, TinyModels.K);
        ExportMetadata meta = new ExportMetadata(TinyModels.CLASSES, Normalizer.NONE, 1, config.toJson(), "test-run", "{}",
                null);
        byte[] onnx = OnnxExporter.toBytes(spec, model.namedWeights(), meta, false);
        int b = 2;
        int t = TinyModels.MAX;
        float[] x = TinyModels.structured(b, t);
        // A zeroed line: its power spectrum is 0, so only the epsilon keeps the logarithm finite.
        java.util.Arrays.fill(x, 3 * TinyModels.P, 4 * TinyModels.P, 0f);
        float[] logits;
        float[] states;
        try (NDManager batch = manager.newSubManager()) {
            ai.djl.ndarray.NDList out = model.forwardAll(new ai.djl.training.ParameterStore(batch, false),
                    batch.create(x, new ai.djl.ndarray.types.Shape(b, t, TinyModels.P)), false);
            logits = out.get(0).toFloatArray();
            states = out.get(1).toFloatArray();
        }
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor lines = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), new long[] {b, t, TinyModels.P});
             OnnxTensor empty = OnnxTensor.createTensor(ENV, FloatBuffer.allocate(0),
                     new long[] {b, spec.numHeads(), 0, spec.headDim()})) {
            assertEquals(String.valueOf(org.scanline.ModelFormat.VERSION),
                    session.getMetadata().getCustomMetadata().get(org.scanline.ModelFormat.KEY_FORMAT));
            feed.put("lines", lines);
            for (int l = 0; l < spec.numLayers(); l++) {
                feed.put("past_key_" + l, empty);
                feed.put("past_value_" + l, empty);
            }
            try (OrtSession.Result r = session.run(feed)) {
                float[] ortLogits = ((OnnxTensor) r.get("logits").orElseThrow()).getFloatBuffer().array();
                float[] ortStates = ((OnnxTensor) r.get(org.scanline.ModelFormat.LINE_STATE).orElseThrow())
                        .getFloatBuffer().array();
                assertEquals(b * t * ScanModels.LINE_STATES, ortStates.length);
                assertTrue(TinyModels.maxAbsDiff(logits, ortLogits) <= 1e-4, "logits: " + TinyModels.maxAbsDiff(logits, ortLogits));
                assertTrue(TinyModels.maxAbsDiff(states, ortStates) <= 1e-4, "line states: " + TinyModels.maxAbsDiff(states, ortStates));
            }
        }
    }

    @Test
    void causalStepGraphWithPastsEqualsTheFullScan() throws OrtException {
        ScanModel model = TinyModels.model(manager, Architecture.CAUSAL, 5);
        ModelSpec spec = TinyModels.spec(Architecture.CAUSAL);
        byte[] onnx = OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(Architecture.CAUSAL, 1), false);
        int t = TinyModels.MAX;
        int p = TinyModels.P;
        int k = TinyModels.K;
        float[] x = TinyModels.gaussian(t * p, 3);
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions())) {
            float[] full = ort(session, spec, x, 1, t);
            // Feed lines in chunks of 1, 3 and the rest, presents back as pasts.
            int[] chunks = {1, 3, t - 4};
            Map<String, OnnxTensor> feed = new HashMap<>();
            OrtSession.Result previous = null;
            int done = 0;
            try (OnnxTensor empty = OnnxTensor.createTensor(ENV, FloatBuffer.allocate(0),
                    new long[] {1, spec.numHeads(), 0, spec.headDim()})) {
                for (int l = 0; l < spec.numLayers(); l++) {
                    feed.put("past_key_" + l, empty);
                    feed.put("past_value_" + l, empty);
                }
                for (int c : chunks) {
                    float[] part = java.util.Arrays.copyOfRange(x, done * p, (done + c) * p);
                    try (OnnxTensor lines = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(part), new long[] {1, c, p})) {
                        feed.put("lines", lines);
                        OrtSession.Result r = session.run(feed);
                        float[] logits = ((OnnxTensor) r.get("logits").orElseThrow()).getFloatBuffer().array();
                        float[] expected = java.util.Arrays.copyOfRange(full, done * k, (done + c) * k);
                        double diff = TinyModels.maxAbsDiff(expected, logits);
                        assertTrue(diff <= 1e-5, "chunk at line " + done + ": " + diff);
                        for (int l = 0; l < spec.numLayers(); l++) {
                            OnnxTensor pk = (OnnxTensor) r.get("present_key_" + l).orElseThrow();
                            assertEquals(done + c, pk.getInfo().getShape()[2]);
                            feed.put("past_key_" + l, pk);
                            feed.put("past_value_" + l, (OnnxTensor) r.get("present_value_" + l).orElseThrow());
                        }
                        if (previous != null) {
                            previous.close();
                        }
                        previous = r;
                    }
                    done += c;
                }
            } finally {
                if (previous != null) {
                    previous.close();
                }
            }
        }
    }

    @Test
    void lstmGateOrderIsReorderedForOnnx() {
        float[] ifgo = new float[8];
        for (int i = 0; i < 8; i++) {
            ifgo[i] = i / 2;   // gate index of each row, two rows (hidden = 2, one column) per gate
        }
        float[] onnx = ModelGraphs.iofc(ifgo, 2, 1);
        assertEquals(java.util.List.of(0f, 0f, 3f, 3f, 1f, 1f, 2f, 2f), boxed(onnx));
    }

    private static java.util.List<Float> boxed(float[] v) {
        java.util.List<Float> out = new java.util.ArrayList<>();
        for (float f : v) {
            out.add(f);
        }
        return out;
    }
}
