package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scanline.Architecture;
import org.scanline.ModelFormat;
import org.scanline.Normalizer;
import org.scanline.model.DjlManager;
import org.scanline.model.ModelFixtures;
import org.scanline.model.ModelSpec;
import org.scanline.model.ScanModel;
import org.scanline.model.ScanModels;
import org.scanline.train.TrainingConfig;

/** ONNX Runtime on the exported graph reproduces DJL's logits, for every architecture. */
class OnnxEquivalenceTest {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    @RegisterExtension
    static final DjlManager MANAGER = new DjlManager();

    /** Runs a graph as a full scan (empty pasts, {@code past_lines = 0}); returns the logits. */
    static float[] ort(OrtSession session, ModelSpec spec, float[] x, int b, int t) throws OrtException {
        return ModelExport.run(spec, session, ENV, x, b, t);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void onnxRuntimeMatchesDjlOnRandomAndStructuredInputs(Architecture a) throws OrtException {
        ScanModel model = TinyModels.model(MANAGER.get(), a, 11);
        ModelSpec spec = TinyModels.spec(a);
        byte[] onnx = OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(a, 1), false);
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions())) {
            int[][] shapes = {{1, 1}, {2, 5}, {3, TinyModels.MAX}};
            for (int[] bt : shapes) {
                int n = bt[0] * bt[1] * TinyModels.P;
                for (float[] x : new float[][] {ModelFixtures.gaussian(n, n), TinyModels.structured(bt[0], bt[1])}) {
                    float[] expected = TinyModels.djl(MANAGER.get(), model, x, bt[0], bt[1]);
                    float[] actual = ort(session, spec, x, bt[0], bt[1]);
                    double diff = TinyModels.maxAbsDiff(expected, actual);
                    assertTrue(diff <= 1e-4, a + " B=" + bt[0] + " T=" + bt[1] + ": max |DJL - ORT| = " + diff);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GraphStyle.class)
    void everyCausalGraphStyleMatchesDjl(GraphStyle style) throws OrtException {
        ScanModel model = TinyModels.model(MANAGER.get(), Architecture.CAUSAL, 13);
        ModelSpec spec = TinyModels.spec(Architecture.CAUSAL);
        byte[] onnx = OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(Architecture.CAUSAL, 1), false,
                style);
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions())) {
            assertEquals(String.valueOf(style == GraphStyle.FIXED_CACHE ? ModelFormat.FIXED_CACHE_SINCE : 2),
                    session.getMetadata().getCustomMetadata().get(ModelFormat.KEY_FORMAT));
            assertEquals(style == GraphStyle.FIXED_CACHE, session.getInputNames().contains(ModelFormat.PAST_LINES));
            for (int[] bt : new int[][] {{1, 1}, {3, TinyModels.MAX}}) {
                float[] x = TinyModels.structured(bt[0], bt[1]);
                double diff = TinyModels.maxAbsDiff(TinyModels.djl(MANAGER.get(), model, x, bt[0], bt[1]),
                        ort(session, spec, x, bt[0], bt[1]));
                assertTrue(diff <= 1e-4, style + " B=" + bt[0] + " T=" + bt[1] + ": max |DJL - ORT| = " + diff);
            }
        }
    }

    @Test
    void aHeadSizeGroupQueryAttentionCannotServeIsWrittenAsFormat2() throws OrtException {
        TrainingConfig config = TinyModels.config(Architecture.CAUSAL).toBuilder().dModel(12).numHeads(2).build();
        ScanModel model = TinyModels.model(MANAGER.get(), config, 3);
        ModelSpec spec = ModelSpec.of(config, TinyModels.P, TinyModels.K);
        byte[] onnx = OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(Architecture.CAUSAL, 1), false);
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions())) {
            assertEquals("2", session.getMetadata().getCustomMetadata().get(ModelFormat.KEY_FORMAT));
            assertFalse(session.getInputNames().contains(ModelFormat.PAST_LINES));
            float[] x = TinyModels.structured(2, 5);
            assertTrue(TinyModels.maxAbsDiff(TinyModels.djl(MANAGER.get(), model, x, 2, 5), ort(session, spec, x, 2, 5)) <= 1e-4);
        }
    }

    @Test
    void spectrumTokensAndTipStateHeadMatchDjl() throws OrtException {
        TrainingConfig config = TinyModels.config(Architecture.CAUSAL).toBuilder().spectrumTokens(true)
                .lineStateWeight(0.5).build();
        ScanModel model = TinyModels.model(MANAGER.get(), config, 17);
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
        try (NDManager batch = MANAGER.get().newSubManager()) {
            ai.djl.ndarray.NDList out = model.forwardAll(new ai.djl.training.ParameterStore(batch, false),
                    batch.create(x, new ai.djl.ndarray.types.Shape(b, t, TinyModels.P)), false);
            logits = out.get(0).toFloatArray();
            states = out.get(1).toFloatArray();
        }
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor lines = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), new long[] {b, t, TinyModels.P});
             OnnxTensor empty = OnnxTensor.createTensor(ENV, FloatBuffer.allocate(0),
                     new long[] {b, spec.numHeads(), 0, spec.headDim()});
             OnnxTensor noPast = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {0}), new long[0])) {
            assertEquals(String.valueOf(ModelFormat.FIXED_CACHE_SINCE),
                    session.getMetadata().getCustomMetadata().get(org.scanline.ModelFormat.KEY_FORMAT));
            feed.put("lines", lines);
            feed.put(ModelFormat.PAST_LINES, noPast);
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

    /**
     * Line differences (format 4): ONNX Runtime equals DJL on full scans, where the first line is its own
     * predecessor, and on a scan fed in two chunks, the second with the first chunk's last line as
     * {@code previous_line} and the first chunk's keys and values as its pasts.
     */
    @Test
    void lineDifferencesMatchDjlOnFullScansAndInChunks() throws OrtException {
        TrainingConfig config = TinyModels.config(Architecture.CAUSAL).toBuilder().spectrumTokens(true)
                .lineDifference(true).lineStateWeight(0.5).build();
        ScanModel model = TinyModels.model(MANAGER.get(), config, 19);
        ModelSpec spec = ModelSpec.of(config, TinyModels.P, TinyModels.K);
        byte[] onnx = OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(Architecture.CAUSAL, 1), false);
        int p = TinyModels.P;
        int t = TinyModels.MAX;
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions())) {
            assertEquals(String.valueOf(ModelFormat.PREVIOUS_LINE_SINCE),
                    session.getMetadata().getCustomMetadata().get(ModelFormat.KEY_FORMAT));
            assertTrue(session.getInputNames().contains(ModelFormat.PREVIOUS_LINE));
            for (int[] bt : new int[][] {{1, 1}, {2, 5}, {3, t}}) {
                float[] x = TinyModels.structured(bt[0], bt[1]);
                double diff = TinyModels.maxAbsDiff(TinyModels.djl(MANAGER.get(), model, x, bt[0], bt[1]),
                        ort(session, spec, x, bt[0], bt[1]));
                assertTrue(diff <= 1e-4, "B=" + bt[0] + " T=" + bt[1] + ": max |DJL - ORT| = " + diff);
            }
            float[] x = ModelFixtures.gaussian(t * p, 8);
            float[] expected = TinyModels.djl(MANAGER.get(), model, x, 1, t);
            int split = 5;
            long[] kvShape = {1, spec.numHeads(), t, spec.headDim()};
            int kvFloats = spec.numHeads() * t * spec.headDim();
            List<OnnxTensor> owned = new ArrayList<>();
            try {
                Map<String, OnnxTensor> pasts = new HashMap<>();
                for (int l = 0; l < spec.numLayers(); l++) {
                    for (String name : new String[] {ModelFormat.pastKey(l), ModelFormat.pastValue(l)}) {
                        OnnxTensor kv = OnnxTensor.createTensor(ENV, java.nio.ByteBuffer.allocateDirect(kvFloats * 4)
                                .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer(), kvShape);
                        owned.add(kv);
                        pasts.put(name, kv);
                    }
                }
                float[] got = new float[t * TinyModels.K];
                for (int[] chunk : new int[][] {{0, split}, {split, t}}) {
                    int from = chunk[0];
                    int n = chunk[1] - from;
                    Map<String, OnnxTensor> feed = new HashMap<>(pasts);
                    Map<String, OnnxTensor> pinned = new HashMap<>();
                    for (int l = 0; l < spec.numLayers(); l++) {
                        pinned.put(ModelFormat.presentKey(l), pasts.get(ModelFormat.pastKey(l)));
                        pinned.put(ModelFormat.presentValue(l), pasts.get(ModelFormat.pastValue(l)));
                    }
                    OnnxTensor lines = OnnxTensor.createTensor(ENV,
                            FloatBuffer.wrap(java.util.Arrays.copyOfRange(x, from * p, (from + n) * p)), new long[] {1, n, p});
                    int prevRow = from == 0 ? 0 : from - 1;
                    OnnxTensor previous = OnnxTensor.createTensor(ENV,
                            FloatBuffer.wrap(java.util.Arrays.copyOfRange(x, prevRow * p, (prevRow + 1) * p)), new long[] {1, p});
                    OnnxTensor past = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {from}), new long[0]);
                    owned.addAll(List.of(lines, previous, past));
                    feed.put(ModelFormat.LINES, lines);
                    feed.put(ModelFormat.PREVIOUS_LINE, previous);
                    feed.put(ModelFormat.PAST_LINES, past);
                    try (OrtSession.Result r = session.run(feed, java.util.Set.of(ModelFormat.LOGITS), pinned)) {
                        float[] logits = ((OnnxTensor) r.get(ModelFormat.LOGITS).orElseThrow()).getFloatBuffer().array();
                        System.arraycopy(logits, 0, got, from * TinyModels.K, logits.length);
                    }
                }
                double diff = TinyModels.maxAbsDiff(expected, got);
                assertTrue(diff <= 1e-4, "two chunks: max |DJL - ORT| = " + diff);
            } finally {
                owned.forEach(OnnxTensor::close);
            }
        }
    }

    @Test
    void lineDifferencesCannotBeWrittenInFormat2() {
        TrainingConfig config = TinyModels.config(Architecture.CAUSAL).toBuilder().lineDifference(true).build();
        ScanModel model = TinyModels.model(MANAGER.get(), config, 3);
        ModelSpec spec = ModelSpec.of(config, TinyModels.P, TinyModels.K);
        org.scanline.BadConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.scanline.BadConfigException.class, () -> OnnxExporter.toBytes(spec, model.namedWeights(),
                        TinyModels.metadata(Architecture.CAUSAL, 1), false, GraphStyle.GROWING_CACHE));
        assertTrue(e.getMessage().contains("format " + ModelFormat.PREVIOUS_LINE_SINCE), e.getMessage());
    }

    /**
     * The protocol of the README's Python snippet, one line per call: pasts that grow (each call's
     * presents are the next call's pasts), {@code past_lines} = the line's index and, in format 4, the
     * previous normalised line (line 0 its own). It equals DJL's full scan at every line.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void theReadmesPythonProtocolEqualsTheFullScan(boolean lineDifference) throws OrtException {
        TrainingConfig config = TinyModels.config(Architecture.CAUSAL).toBuilder().spectrumTokens(true)
                .lineDifference(lineDifference).build();
        ScanModel model = TinyModels.model(MANAGER.get(), config, 23);
        ModelSpec spec = ModelSpec.of(config, TinyModels.P, TinyModels.K);
        byte[] onnx = OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(Architecture.CAUSAL, 1), false);
        int p = TinyModels.P;
        int t = TinyModels.MAX;
        float[] x = ModelFixtures.gaussian(t * p, 29);
        float[] expected = TinyModels.djl(MANAGER.get(), model, x, 1, t);
        List<AutoCloseable> owned = new ArrayList<>();
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions())) {
            Map<String, OnnxTensor> state = new HashMap<>();
            OnnxTensor empty = OnnxTensor.createTensor(ENV, FloatBuffer.allocate(0),
                    new long[] {1, spec.numHeads(), 0, spec.headDim()});
            owned.add(empty);
            for (int l = 0; l < spec.numLayers(); l++) {
                state.put(ModelFormat.pastKey(l), empty);
                state.put(ModelFormat.pastValue(l), empty);
            }
            for (int i = 0; i < t; i++) {
                Map<String, OnnxTensor> feed = new HashMap<>(state);
                OnnxTensor line = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(
                        java.util.Arrays.copyOfRange(x, i * p, (i + 1) * p)), new long[] {1, 1, p});
                OnnxTensor index = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {i}), new long[0]);
                int before = Math.max(0, i - 1);
                OnnxTensor previous = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(
                        java.util.Arrays.copyOfRange(x, before * p, (before + 1) * p)), new long[] {1, p});
                owned.addAll(List.of(line, index, previous));
                feed.put(ModelFormat.LINES, line);
                feed.put(ModelFormat.PAST_LINES, index);
                if (lineDifference) {
                    feed.put(ModelFormat.PREVIOUS_LINE, previous);
                }
                OrtSession.Result r = session.run(feed);
                owned.add(r);
                float[] logits = ((OnnxTensor) r.get(ModelFormat.LOGITS).orElseThrow()).getFloatBuffer().array();
                double diff = TinyModels.maxAbsDiff(java.util.Arrays.copyOfRange(expected, i * TinyModels.K,
                        (i + 1) * TinyModels.K), logits);
                assertTrue(diff <= 1e-4, "line " + i + ": max |DJL - ORT| = " + diff);
                for (int l = 0; l < spec.numLayers(); l++) {
                    state.put(ModelFormat.pastKey(l), (OnnxTensor) r.get(ModelFormat.presentKey(l)).orElseThrow());
                    state.put(ModelFormat.pastValue(l), (OnnxTensor) r.get(ModelFormat.presentValue(l)).orElseThrow());
                }
            }
        } finally {
            for (AutoCloseable c : owned) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /**
     * The format-3 contract as an embedder using ONNX Runtime directly would follow it: pasts of
     * {@code max_lines} rows, each present bound to its past's buffer, {@code past_lines} counting up;
     * lines fed one at a time and in a chunk of several (batch 1).
     */
    @Test
    void fixedCacheStepsUpdateTheBuffersInPlaceAndEqualTheFullScan() throws OrtException {
        ScanModel model = TinyModels.model(MANAGER.get(), Architecture.CAUSAL, 5);
        ModelSpec spec = TinyModels.spec(Architecture.CAUSAL);
        byte[] onnx = OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(Architecture.CAUSAL, 1), false);
        int t = TinyModels.MAX;
        int p = TinyModels.P;
        int k = TinyModels.K;
        float[] x = ModelFixtures.gaussian(t * p, 3);
        long[] kvShape = {1, spec.numHeads(), t, spec.headDim()};
        int kvFloats = spec.numHeads() * t * spec.headDim();
        List<OnnxTensor> owned = new ArrayList<>();
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions())) {
            float[] full = ort(session, spec, x, 1, t);
            Map<String, OnnxTensor> feed = new HashMap<>();
            Map<String, OnnxTensor> pinned = new HashMap<>();
            FloatBuffer key0 = null;
            for (int l = 0; l < spec.numLayers(); l++) {
                for (boolean key : new boolean[] {true, false}) {
                    FloatBuffer buf = ByteBuffer.allocateDirect(kvFloats * Float.BYTES).order(ByteOrder.nativeOrder())
                            .asFloatBuffer();
                    key0 = l == 0 && key ? buf : key0;
                    OnnxTensor kv = OnnxTensor.createTensor(ENV, buf, kvShape);
                    owned.add(kv);
                    feed.put(key ? ModelFormat.pastKey(l) : ModelFormat.pastValue(l), kv);
                    pinned.put(key ? ModelFormat.presentKey(l) : ModelFormat.presentValue(l), kv);
                }
            }
            int[] chunks = {1, 1, 3, t - 5};
            int done = 0;
            for (int c : chunks) {
                float[] part = java.util.Arrays.copyOfRange(x, done * p, (done + c) * p);
                try (OnnxTensor lines = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(part), new long[] {1, c, p});
                     OnnxTensor past = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {done}), new long[0])) {
                    feed.put(ModelFormat.LINES, lines);
                    feed.put(ModelFormat.PAST_LINES, past);
                    try (OrtSession.Result r = session.run(feed, java.util.Set.of(ModelFormat.LOGITS), pinned)) {
                        float[] logits = ((OnnxTensor) r.get(ModelFormat.LOGITS).orElseThrow()).getFloatBuffer().array();
                        double diff = TinyModels.maxAbsDiff(java.util.Arrays.copyOfRange(full, done * k, (done + c) * k),
                                logits);
                        assertTrue(diff <= 1e-5, "chunk at line " + done + ": " + diff);
                    }
                }
                done += c;
                // The new rows landed in the caller's buffer: row `done - 1` of head 0 is no longer zero.
                float norm = 0;
                for (int j = 0; j < spec.headDim(); j++) {
                    norm += Math.abs(key0.get((done - 1) * spec.headDim() + j));
                }
                assertTrue(norm > 0, "no keys written at row " + (done - 1));
            }
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    @Test
    void growingCacheStepGraphWithPastsEqualsTheFullScan() throws OrtException {
        ScanModel model = TinyModels.model(MANAGER.get(), Architecture.CAUSAL, 5);
        ModelSpec spec = TinyModels.spec(Architecture.CAUSAL);
        byte[] onnx = OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(Architecture.CAUSAL, 1), false,
                GraphStyle.GROWING_CACHE);
        int t = TinyModels.MAX;
        int p = TinyModels.P;
        int k = TinyModels.K;
        float[] x = ModelFixtures.gaussian(t * p, 3);
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
        float[] onnx = LrcnGraph.iofc(ifgo, 2, 1);
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
