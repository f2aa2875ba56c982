package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scanline.Architecture;
import org.scanline.BadDataException;
import org.scanline.BadModelException;
import org.scanline.LineStream;
import org.scanline.Normalizer;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;
import org.scanline.model.ScanModel;

/** The embedded runtime ({@link ScanLineClassifier}, {@link LineStream}) on real exported files. */
class ClassifierRuntimeTest {
    static final int P = TinyModels.P;
    static NDManager manager;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static final java.util.Map<Architecture, ScanModel> MODELS = new java.util.EnumMap<>(Architecture.class);

    static ScanModel model(Architecture a) {
        return MODELS.computeIfAbsent(a, x -> TinyModels.model(manager, x, 21));
    }

    Path export(Architecture a, ExportMetadata meta) {
        Path out = dir.resolve(a.id() + "-" + System.nanoTime() + ".onnx");
        OnnxExporter.write(out, TinyModels.spec(a), model(a).namedWeights(), meta, false);
        return out;
    }

    static float[][] scan(int lines, long seed) {
        float[] flat = TinyModels.gaussian(lines * P, seed);
        float[][] s = new float[lines][];
        for (int l = 0; l < lines; l++) {
            s[l] = java.util.Arrays.copyOfRange(flat, l * P, (l + 1) * P);
        }
        return s;
    }

    static float[] softmax(float[] logits, double t) {
        float[] p = new float[logits.length];
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v / t);
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += Math.exp(logits[i] / t - max);
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (Math.exp(logits[i] / t - max) / sum);
        }
        return p;
    }

    @Test
    void openReadsTheMetadata() {
        Path f = export(Architecture.CAUSAL, TinyModels.metadata(Architecture.CAUSAL, 1.7));
        try (ScanLineClassifier c = ScanLineClassifier.open(f)) {
            assertEquals(Architecture.CAUSAL, c.architecture());
            assertEquals(TinyModels.CLASSES, c.classNames());
            assertEquals(P, c.pixels());
            assertEquals(TinyModels.MAX, c.info().maxLines());
            assertEquals(1.7, c.info().temperature());
            assertEquals(Normalizer.NONE, c.info().normalizer());
            assertEquals("test-run", c.info().runId());
            assertTrue(c.info().configJson().contains("\"architecture\" : \"causal\""), c.info().configJson());
        }
    }

    @Test
    void causalStreamEqualsTheCalibratedFullScanAtEveryLine() {
        double t = 1.7;
        Architecture a = Architecture.CAUSAL;
        Path f = export(a, TinyModels.metadata(a, t));
        float[][] s = scan(TinyModels.MAX, 4);
        float[] flat = new float[s.length * P];
        for (int l = 0; l < s.length; l++) {
            System.arraycopy(s[l], 0, flat, l * P, P);
        }
        float[] logits = TinyModels.djl(manager, model(a), flat, 1, s.length);
        try (ScanLineClassifier c = ScanLineClassifier.open(f); LineStream stream = c.newStream()) {
            for (int l = 0; l < s.length; l++) {
                Prediction p = stream.push(s[l]);
                float[] expected = softmax(java.util.Arrays.copyOfRange(logits, l * 3, l * 3 + 3), t);
                assertEquals(l + 1, p.linesSeen());
                assertEquals(l + 1, stream.linesSeen());
                assertTrue(TinyModels.maxAbsDiff(expected, p.probabilities()) <= 1e-5, "line " + l);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void streamAgreesWithClassifyOnEveryPrefixAndResetStartsOver(Architecture a) {
        Path f = export(a, TinyModels.metadata(a, 1));
        float[][] s = scan(7, 9);
        try (ScanLineClassifier c = ScanLineClassifier.open(f); LineStream stream = c.newStream()) {
            for (int round = 0; round < 2; round++) {
                for (int l = 0; l < s.length; l++) {
                    Prediction streamed = stream.push(s[l]);
                    Prediction full = c.classify(java.util.Arrays.copyOf(s, l + 1));
                    assertEquals(full.classIndex(), streamed.classIndex());
                    assertTrue(TinyModels.maxAbsDiff(full.probabilities(), streamed.probabilities()) <= 1e-5);
                }
                stream.reset();
                assertEquals(0, stream.linesSeen());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void batchOfMixedLengthsEqualsOneByOne(Architecture a) {
        Path f = export(a, TinyModels.metadata(a, 1));
        List<float[][]> scans = List.of(scan(3, 1), scan(5, 2), scan(3, 3), scan(TinyModels.MAX, 4));
        try (ScanLineClassifier c = ScanLineClassifier.open(f)) {
            List<Prediction> batch = c.classifyBatch(scans);
            for (int i = 0; i < scans.size(); i++) {
                Prediction one = c.classify(scans.get(i));
                assertEquals(scans.get(i).length, batch.get(i).linesSeen());
                assertTrue(TinyModels.maxAbsDiff(one.probabilities(), batch.get(i).probabilities()) <= 1e-5);
            }
        }
    }

    @Test
    void uncertainFollowsTheThreshold() {
        Path f = export(Architecture.VIT, TinyModels.metadata(Architecture.VIT, 1));
        float[][] s = scan(4, 2);
        try (ScanLineClassifier strict = ScanLineClassifier.open(f,
                ScanLineClassifier.Options.builder().confidenceThreshold(1.0).build());
             ScanLineClassifier lax = ScanLineClassifier.open(f,
                     ScanLineClassifier.Options.builder().confidenceThreshold(0.0).build())) {
            assertTrue(strict.classify(s).uncertain());
            assertFalse(lax.classify(s).uncertain());
        }
    }

    @Test
    void perLineNormalisationHappensInside() {
        Architecture a = Architecture.CAUSAL;
        ExportMetadata meta = new ExportMetadata(TinyModels.CLASSES, Normalizer.PER_LINE, 1, "{}", "r", "{}", null);
        Path f = export(a, meta);
        float[][] s = scan(6, 5);
        float[][] shifted = new float[s.length][P];
        for (int l = 0; l < s.length; l++) {
            for (int p = 0; p < P; p++) {
                shifted[l][p] = 250f * s[l][p] + 40f * l;   // another gain and a drifting offset
            }
        }
        try (ScanLineClassifier c = ScanLineClassifier.open(f)) {
            float[] raw = c.classify(s).probabilities();
            float[] metres = c.classify(shifted).probabilities();
            assertTrue(TinyModels.maxAbsDiff(raw, metres) <= 1e-4, java.util.Arrays.toString(raw)
                    + " vs " + java.util.Arrays.toString(metres));
            assertEquals(0f, s[0][0] - scan(6, 5)[0][0], "classify must not modify the caller's lines");
        }
    }

    @Test
    void badLinesAreRefusedAndTheStreamStaysUsable() {
        Architecture a = Architecture.CAUSAL;
        Path f = export(a, TinyModels.metadata(a, 1));
        float[][] s = scan(TinyModels.MAX, 6);
        try (ScanLineClassifier c = ScanLineClassifier.open(f); LineStream stream = c.newStream()) {
            stream.push(s[0]);
            BadDataException wide = assertThrows(BadDataException.class, () -> stream.push(new float[P + 1]));
            assertTrue(wide.getMessage().contains("line 1") && wide.getMessage().contains(Integer.toString(P)),
                    wide.getMessage());
            float[] nan = s[1].clone();
            nan[3] = Float.NaN;
            BadDataException bad = assertThrows(BadDataException.class, () -> stream.push(nan));
            assertTrue(bad.getMessage().contains("pixel 3"), bad.getMessage());
            assertEquals(1, stream.linesSeen());
            Prediction afterErrors = null;
            for (int l = 1; l < s.length; l++) {
                afterErrors = stream.push(s[l]);
            }
            assertThrows(BadDataException.class, () -> stream.push(s[0]));
            assertEquals(TinyModels.MAX, stream.linesSeen());
            assertArrayEquals(c.classify(s).probabilities(), afterErrors.probabilities(), 1e-5f);
            assertThrows(BadDataException.class, () -> c.classify(new float[0][]));
            assertThrows(BadDataException.class, () -> c.classify(scan(TinyModels.MAX + 1, 1)));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void closingTheClassifierFirstIsDefined(Architecture a) {
        Path f = export(a, TinyModels.metadata(a, 1));
        ScanLineClassifier c = ScanLineClassifier.open(f);
        LineStream stream = c.newStream();
        stream.push(new float[P]);
        c.close();
        assertThrows(IllegalStateException.class, () -> stream.push(new float[P]));
        assertThrows(IllegalStateException.class, () -> c.classify(scan(2, 1)));
        assertThrows(IllegalStateException.class, c::newStream);
        stream.close();
        stream.close();
        c.close();
    }

    @Test
    void pushingAfterStreamCloseIsRefused() {
        Path f = export(Architecture.CAUSAL, TinyModels.metadata(Architecture.CAUSAL, 1));
        try (ScanLineClassifier c = ScanLineClassifier.open(f)) {
            LineStream stream = c.newStream();
            stream.close();
            assertThrows(IllegalStateException.class, () -> stream.push(new float[P]));
        }
    }

    @Test
    void streamsOnManyThreadsShareOneClassifier() throws Exception {
        Architecture a = Architecture.CAUSAL;
        Path f = export(a, TinyModels.metadata(a, 1));
        try (ScanLineClassifier c = ScanLineClassifier.open(f)) {
            List<float[][]> scans = new ArrayList<>();
            List<Prediction> expected = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                scans.add(scan(TinyModels.MAX, 100 + i));
                expected.add(c.classify(scans.get(i)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<Prediction>> results = new ArrayList<>();
                for (float[][] s : scans) {
                    results.add(pool.submit(() -> {
                        try (LineStream stream = c.newStream()) {
                            Prediction last = null;
                            for (float[] line : s) {
                                last = stream.push(line);
                            }
                            return last;
                        }
                    }));
                }
                for (int i = 0; i < scans.size(); i++) {
                    assertArrayEquals(expected.get(i).probabilities(), results.get(i).get().probabilities(), 1e-5f);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void opensFromAStream() throws Exception {
        Path f = export(Architecture.LRCN, TinyModels.metadata(Architecture.LRCN, 1));
        float[][] s = scan(5, 3);
        try (ScanLineClassifier fromFile = ScanLineClassifier.open(f);
             ScanLineClassifier fromBytes = ScanLineClassifier.open(new ByteArrayInputStream(Files.readAllBytes(f)))) {
            assertEquals(fromFile.classify(s), fromBytes.classify(s));
        }
    }

    // ---- refusing files ----

    Path tampered(Architecture a, java.util.function.UnaryOperator<java.util.Map<String, String>> edit) throws Exception {
        OnnxMl.ModelProto m = OnnxExporter.model(TinyModels.spec(a), model(a).namedWeights(),
                TinyModels.metadata(a, 1), false);
        java.util.Map<String, String> props = new java.util.LinkedHashMap<>();
        m.getMetadataPropsList().forEach(e -> props.put(e.getKey(), e.getValue()));
        OnnxMl.ModelProto.Builder b = m.toBuilder().clearMetadataProps();
        edit.apply(props).forEach((k, v) -> b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        Path out = dir.resolve("tampered-" + System.nanoTime() + ".onnx");
        Files.write(out, b.build().toByteArray());
        return out;
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"scanline.format", "scanline.architecture",
            "scanline.classes", "scanline.pixels", "scanline.max_lines", "scanline.normalizer", "scanline.temperature"})
    void aMissingKeyIsNamed(String key) throws Exception {
        Path f = tampered(Architecture.VIT, p -> {
            p.remove(key);
            return p;
        });
        BadModelException e = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'" + key + "'"), e.getMessage());
    }

    @Test
    void aNewerFormatNamesBothVersions() throws Exception {
        Path f = tampered(Architecture.VIT, p -> {
            p.put("scanline.format", "7");
            return p;
        });
        BadModelException e = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(f));
        assertTrue(e.getMessage().contains("7") && e.getMessage().contains("(1)"), e.getMessage());
    }

    @Test
    void aGraphThatIsNotTheArchitectureIsRefused() throws Exception {
        Path f = tampered(Architecture.VIT, p -> {
            p.put("scanline.architecture", "causal");
            return p;
        });
        BadModelException e = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(f));
        assertTrue(e.getMessage().contains("past_key_0"), e.getMessage());
        Path wrongWidth = tampered(Architecture.CAUSAL, p -> {
            p.put("scanline.pixels", "99");
            return p;
        });
        assertThrows(BadModelException.class, () -> ScanLineClassifier.open(wrongWidth));
        Path garbage = dir.resolve("garbage.onnx");
        Files.writeString(garbage, "not a model");
        BadModelException g = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(garbage));
        assertTrue(g.getMessage().contains("garbage.onnx"), g.getMessage());
    }
}
