package org.scanline.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.scanline.model.ModelFixtures.gaussian;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scanline.Architecture;
import org.scanline.BadModelException;
import org.scanline.train.TrainingConfig;

class ScanModelTest {
    static final int P = 16;
    static final int K = 3;
    static final int MAX = 10;
    @RegisterExtension
    static final DjlManager MANAGER = new DjlManager();

    static TrainingConfig tiny(Architecture a) {
        return TrainingConfig.builder().architecture(a).maxLines(MAX).dModel(16).numHeads(2).numLayers(2).ffnDim(24)
                .convChannels(List.of(4, 6, 8)).windowLines(8).lstmHidden(5).minLines(1).dropout(0.1).build();
    }

    static ScanModel model(Architecture a) {
        return ModelFixtures.seeded(MANAGER.get(), tiny(a), P, K, 7);
    }

    static float[] run(ScanModel m, float[] x, int b, int t) {
        return ModelFixtures.forward(MANAGER.get(), m, x, b, t, P);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void outputShapeForEveryLength(Architecture a) {
        ScanModel m = model(a);
        for (int t = 1; t <= MAX; t++) {
            try (NDManager batch = MANAGER.get().newSubManager()) {
                NDArray in = batch.create(gaussian(2 * t * P, t), new Shape(2, t, P));
                NDArray out = m.forward(new ParameterStore(batch, false), in, false);
                assertEquals(new Shape(2, a.predictsPerLine() ? t : 1, K), out.getShape(), a + " T=" + t);
                assertFalse(Arrays.stream(doubles(out.toFloatArray())).anyMatch(Double::isNaN));
            }
        }
        try (NDManager batch = MANAGER.get().newSubManager()) {
            NDArray tooLong = batch.zeros(new Shape(1, MAX + 1, P));
            assertThrows(IllegalArgumentException.class, () -> m.forward(new ParameterStore(batch, false), tooLong, false));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"CAUSAL", "LRCN"})
    void predictionAtLineIDependsOnlyOnLinesUpToI(Architecture a) {
        ScanModel m = model(a);
        float[] x = gaussian(MAX * P, 1);
        float[] base = run(m, x, 1, MAX);
        for (int i = 0; i < MAX - 1; i++) {
            float[] changed = x.clone();
            for (int j = (i + 1) * P; j < MAX * P; j++) {
                changed[j] += 3f;
            }
            float[] out = run(m, changed, 1, MAX);
            assertArrayEquals(Arrays.copyOf(base, (i + 1) * K), Arrays.copyOf(out, (i + 1) * K), 1e-5f, a + " line " + i);
            assertFalse(Arrays.equals(Arrays.copyOfRange(base, (i + 1) * K, MAX * K),
                    Arrays.copyOfRange(out, (i + 1) * K, MAX * K)), "later lines must matter");
        }
        // A prefix alone gives the same logits as the full scan up to that line.
        float[] prefix = run(m, Arrays.copyOf(x, 4 * P), 1, 4);
        assertArrayEquals(Arrays.copyOf(base, 4 * K), prefix, 1e-5f);
    }

    @Test
    void lineDifferencesAreEachLineMinusTheOneBeforeAndZeroFirst() {
        int b = 2;
        float[] x = gaussian(b * MAX * P, 5);
        float[] d;
        try (NDManager batch = MANAGER.get().newSubManager()) {
            d = CausalModel.difference(batch.create(x, new Shape(b, MAX, P))).toFloatArray();
        }
        for (int s = 0; s < b; s++) {
            for (int t = 0; t < MAX; t++) {
                for (int i = 0; i < P; i++) {
                    int o = (s * MAX + t) * P + i;
                    assertEquals(t == 0 ? 0f : x[o] - x[o - P], d[o], 1e-6f, "sample " + s + " line " + t + " pixel " + i);
                }
            }
        }
    }

    /** With line differences a line's token changes when the line before it changes; without, it does not. */
    @Test
    void aCausalTokenSeesThePreviousLineOnlyWithLineDifferences() {
        for (boolean difference : new boolean[] {false, true}) {
            CausalModel m = (CausalModel) ModelFixtures.seeded(MANAGER.get(), tiny(Architecture.CAUSAL).toBuilder()
                    .spectrumTokens(true).lineDifference(difference).build(), P, K, 7);
            float[] x = gaussian(MAX * P, 6);
            float[] changed = x.clone();
            for (int i = 3 * P; i < 4 * P; i++) {
                changed[i] += 2f;
            }
            try (NDManager batch = MANAGER.get().newSubManager()) {
                ParameterStore ps = new ParameterStore(batch, false);
                float[] a = m.tokens(ps, batch.create(x, new Shape(1, MAX, P)), false).toFloatArray();
                float[] c = m.tokens(ps, batch.create(changed, new Shape(1, MAX, P)), false).toFloatArray();
                int d = a.length / MAX;
                boolean line4Moved = !Arrays.equals(Arrays.copyOfRange(a, 4 * d, 5 * d), Arrays.copyOfRange(c, 4 * d, 5 * d));
                assertEquals(difference, line4Moved, "line differences " + difference);
                assertArrayEquals(Arrays.copyOfRange(a, 5 * d, 6 * d), Arrays.copyOfRange(c, 5 * d, 6 * d), 0f);
            }
        }
    }

    @Test
    void lrcnWindowFeatureSeesOnlyItsWindow() {
        LrcnModel m = (LrcnModel) model(Architecture.LRCN);
        int w = m.window();
        float[] x = gaussian(MAX * P, 3);
        float[] base = features(m, x);
        int t = MAX - 1;
        int c = base.length / MAX;
        float[] changed = x.clone();
        for (int j = 0; j < (t - w + 1) * P; j++) {
            changed[j] -= 5f;
        }
        float[] out = features(m, changed);
        assertArrayEquals(Arrays.copyOfRange(base, t * c, (t + 1) * c), Arrays.copyOfRange(out, t * c, (t + 1) * c), 1e-6f);
        assertFalse(Arrays.equals(Arrays.copyOf(base, c), Arrays.copyOf(out, c)), "line 0's window holds line 0");
    }

    private static float[] features(LrcnModel m, float[] x) {
        try (NDManager batch = MANAGER.get().newSubManager()) {
            return m.features(new ParameterStore(batch, false), batch.create(x, new Shape(1, MAX, P)), false).toFloatArray();
        }
    }

    @Test
    void lrcnLstmIsPyTorchsGateOrder() {
        LrcnModel m = (LrcnModel) model(Architecture.LRCN);
        // Random biases (they start at zero) so that b_ih and b_hh are checked too.
        Map<String, Weight> w = new LinkedHashMap<>(m.namedWeights());
        long seed = 20;
        for (String name : List.of("lstm.w_ih", "lstm.w_hh", "lstm.b_ih", "lstm.b_hh")) {
            Weight old = w.get(name);
            float[] v = gaussian(old.data().length, seed++);
            for (int i = 0; i < v.length; i++) {
                v[i] *= 0.5f;
            }
            w.put(name, new Weight(v, old.shape()));
        }
        m.loadWeights(w, "test");
        float[] x = gaussian(2 * MAX * P, 5);
        float[] feat;
        float[] logits;
        try (NDManager batch = MANAGER.get().newSubManager()) {
            NDArray in = batch.create(x, new Shape(2, MAX, P));
            feat = m.features(new ParameterStore(batch, false), in, false).toFloatArray();
            logits = m.forward(new ParameterStore(batch, false), in, false).toFloatArray();
        }
        int hN = 5;
        int c = feat.length / (2 * MAX);
        double[] hidden = LstmCellTest.reference(doubles(feat), doubles(w.get("lstm.w_ih").data()),
                doubles(w.get("lstm.w_hh").data()), doubles(w.get("lstm.b_ih").data()),
                doubles(w.get("lstm.b_hh").data()), 2, MAX, c, hN);
        float[] hw = w.get("head.weight").data();
        float[] hb = w.get("head.bias").data();
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < MAX; t++) {
                int row = (b * MAX + t) * hN;
                for (int k = 0; k < K; k++) {
                    double s = hb[k];
                    for (int j = 0; j < hN; j++) {
                        s += hw[k * hN + j] * hidden[row + j];
                    }
                    assertEquals(s, logits[(b * MAX + t) * K + k], 1e-5, "b=" + b + " t=" + t + " k=" + k);
                }
            }
        }
    }

    private static double[] doubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void namedWeightsMatchTheDocumentedNamesAndShapes(Architecture a) {
        Map<String, long[]> expected = new LinkedHashMap<>();
        int d = 16;
        switch (a) {
            case VIT -> {
                expected.put("embed.weight", new long[] {d, P});
                expected.put("embed.bias", new long[] {d});
                expected.put("cls", new long[] {d});
                expected.put("pos", new long[] {MAX + 1, d});
                layers(expected, d);
                head(expected, d);
            }
            case CAUSAL -> {
                long[] ch = {4, 6, 8};
                long prev = 1;
                for (int i = 0; i < 3; i++) {
                    expected.put("tokenizer.conv" + i + ".weight", new long[] {ch[i], prev, i == 0 ? 7 : 3});
                    expected.put("tokenizer.conv" + i + ".bias", new long[] {ch[i]});
                    prev = ch[i];
                }
                expected.put("tokenizer.proj.weight", new long[] {d, 8});
                expected.put("tokenizer.proj.bias", new long[] {d});
                layers(expected, d);
                head(expected, d);
            }
            case LRCN -> {
                long[] ch = {4, 6, 8};
                long prev = 1;
                for (int i = 0; i < 3; i++) {
                    expected.put("cnn.conv" + i + ".weight", new long[] {ch[i], prev, 3, 3});
                    expected.put("cnn.conv" + i + ".bias", new long[] {ch[i]});
                    prev = ch[i];
                }
                expected.put("lstm.w_ih", new long[] {20, 8});
                expected.put("lstm.w_hh", new long[] {20, 5});
                expected.put("lstm.b_ih", new long[] {20});
                expected.put("lstm.b_hh", new long[] {20});
                expected.put("head.weight", new long[] {K, 5});
                expected.put("head.bias", new long[] {K});
            }
        }
        Map<String, Weight> actual = model(a).namedWeights();
        assertEquals(new ArrayList<>(expected.keySet()).stream().sorted().toList(),
                new ArrayList<>(actual.keySet()).stream().sorted().toList());
        expected.forEach((name, shape) -> assertArrayEquals(shape, actual.get(name).shape(), name));
    }

    private static void layers(Map<String, long[]> e, int d) {
        for (int l = 0; l < 2; l++) {
            String p = "layers." + l + ".";
            e.put(p + "ln1.weight", new long[] {d});
            e.put(p + "ln1.bias", new long[] {d});
            for (String n : new String[] {"q", "k", "v", "o"}) {
                e.put(p + "attn." + n + ".weight", new long[] {d, d});
                e.put(p + "attn." + n + ".bias", new long[] {d});
            }
            e.put(p + "ln2.weight", new long[] {d});
            e.put(p + "ln2.bias", new long[] {d});
            e.put(p + "ffn.fc1.weight", new long[] {24, d});
            e.put(p + "ffn.fc1.bias", new long[] {24});
            e.put(p + "ffn.fc2.weight", new long[] {d, 24});
            e.put(p + "ffn.fc2.bias", new long[] {d});
        }
    }

    private static void head(Map<String, long[]> e, int d) {
        e.put("norm.weight", new long[] {d});
        e.put("norm.bias", new long[] {d});
        e.put("head.weight", new long[] {K, d});
        e.put("head.bias", new long[] {K});
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void weightsRoundTripIntoAFreshModel(Architecture a) {
        ScanModel m = model(a);
        float[] x = gaussian(2 * 5 * P, 11);
        float[] expected = run(m, x, 2, 5);
        ScanModel other = ModelFixtures.seeded(MANAGER.get(), tiny(a), P, K, 99);
        assertFalse(Arrays.equals(expected, run(other, x, 2, 5)), "a different seed gives other weights");
        other.loadWeights(m.namedWeights(), "test");
        assertArrayEquals(expected, run(other, x, 2, 5), 0f);
        Map<String, Weight> missing = new LinkedHashMap<>(m.namedWeights());
        missing.remove("head.bias");
        assertThrows(BadModelException.class, () -> other.loadWeights(missing, "test"));
    }
}
