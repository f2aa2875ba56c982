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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scanline.Architecture;
import org.scanline.BadDataException;
import org.scanline.BadModelException;
import org.scanline.LineState;
import org.scanline.LineStream;
import org.scanline.ModelFormat;
import org.scanline.Normalizer;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;
import org.scanline.TipChange;
import org.scanline.TipChangeDetector;
import org.scanline.model.DjlManager;
import org.scanline.model.ModelSpec;
import org.scanline.model.ScanModel;
import org.scanline.model.ScanModels;
import org.scanline.train.TrainingConfig;

/** The embedded runtime ({@link ScanLineClassifier}, {@link LineStream}) on real exported files. */
class ClassifierRuntimeTest {
    static final int P = TinyModels.P;
    @RegisterExtension
    static final DjlManager MANAGER = new DjlManager();
    @TempDir
    Path dir;

    static final java.util.Map<Architecture, ScanModel> MODELS = new java.util.EnumMap<>(Architecture.class);

    static ScanModel model(Architecture a) {
        return MODELS.computeIfAbsent(a, x -> TinyModels.model(MANAGER.get(), x, 21));
    }

    Path export(Architecture a, ExportMetadata meta) {
        return export(a, meta, GraphStyle.FIXED_CACHE);
    }

    Path export(Architecture a, ExportMetadata meta, GraphStyle style) {
        Path out = dir.resolve(a.id() + "-" + System.nanoTime() + ".onnx");
        OnnxExporter.write(out, TinyModels.spec(a), model(a).namedWeights(), meta, false, style);
        return out;
    }

    static float[][] scan(int lines, long seed) {
        return TinyModels.scan(lines, P, seed);
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
        float[] logits = TinyModels.djl(MANAGER.get(), model(a), flat, 1, s.length);
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

    /**
     * The same weights written as format 3 (fixed buffers) and format 2 (growing cache): both open,
     * and their streams agree with each other and with DJL's full scan at every line, over two
     * scans with a reset between them.
     */
    @Test
    void fixedCacheAndFormat2StreamsAgreeAtEveryLine() {
        Architecture a = Architecture.CAUSAL;
        Path fixed = export(a, TinyModels.metadata(a, 1.3), GraphStyle.FIXED_CACHE);
        Path growing = export(a, TinyModels.metadata(a, 1.3), GraphStyle.GROWING_CACHE);
        try (ScanLineClassifier c3 = ScanLineClassifier.open(fixed); ScanLineClassifier c2 = ScanLineClassifier.open(growing);
             LineStream s3 = c3.newStream(); LineStream s2 = c2.newStream()) {
            assertEquals(ModelFormat.FIXED_CACHE_SINCE, c3.info().formatVersion());
            assertEquals(2, c2.info().formatVersion());
            for (long seed : new long[] {4, 5}) {
                float[][] s = scan(TinyModels.MAX, seed);
                float[] flat = new float[s.length * P];
                for (int l = 0; l < s.length; l++) {
                    System.arraycopy(s[l], 0, flat, l * P, P);
                }
                float[] logits = TinyModels.djl(MANAGER.get(), model(a), flat, 1, s.length);
                for (int l = 0; l < s.length; l++) {
                    float[] p3 = s3.push(s[l]).probabilities();
                    float[] p2 = s2.push(s[l]).probabilities();
                    float[] expected = softmax(java.util.Arrays.copyOfRange(logits, l * 3, l * 3 + 3), 1.3);
                    assertTrue(TinyModels.maxAbsDiff(p2, p3) <= 1e-5, "seed " + seed + ", line " + l);
                    assertTrue(TinyModels.maxAbsDiff(expected, p3) <= 1e-5, "seed " + seed + ", line " + l);
                }
                s3.reset();
                s2.reset();
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
    void aStreamingSessionWithItsOwnThreadsAgreesWithTheBatchSession() {
        Architecture a = Architecture.CAUSAL;
        Path f = export(a, TinyModels.metadata(a, 1));
        ScanLineClassifier.Options split = ScanLineClassifier.Options.builder()
                .intraOpThreads(ScanLineClassifier.Options.Workload.STREAMING, 1)
                .intraOpThreads(ScanLineClassifier.Options.Workload.BATCH, 2).spinning(
                        ScanLineClassifier.Options.Workload.BATCH, true).build();
        float[][] s = scan(TinyModels.MAX, 8);
        try (ScanLineClassifier c = ScanLineClassifier.open(f, split); LineStream stream = c.newStream()) {
            for (int l = 0; l < s.length; l++) {
                assertArrayEquals(c.classify(java.util.Arrays.copyOf(s, l + 1)).probabilities(),
                        stream.push(s[l]).probabilities(), 1e-5f, "line " + l);
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
        return tampered(a, GraphStyle.FIXED_CACHE, edit);
    }

    /** A tiny model of architecture {@code a} whose metadata {@code key} says {@code value}. */
    Path withMetadata(Architecture a, String key, String value) throws Exception {
        return withMetadata(a, GraphStyle.FIXED_CACHE, key, value);
    }

    Path withMetadata(Architecture a, GraphStyle style, String key, String value) throws Exception {
        return tampered(a, style, p -> {
            p.put(key, value);
            return p;
        });
    }

    Path tampered(Architecture a, GraphStyle style, java.util.function.UnaryOperator<java.util.Map<String, String>> edit)
            throws Exception {
        OnnxMl.ModelProto m = OnnxExporter.model(TinyModels.spec(a), model(a).namedWeights(),
                TinyModels.metadata(a, 1), false, style);
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
        Path f = withMetadata(Architecture.VIT, "scanline.format", "7");
        BadModelException e = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(f));
        assertTrue(e.getMessage().contains("7") && e.getMessage().contains("(" + ModelFormat.VERSION + ")"), e.getMessage());
    }

    @Test
    void aFormat1FileStillOpensClassifiesAndStreamsTheSame() throws Exception {
        Architecture a = Architecture.CAUSAL;
        Path current = export(a, TinyModels.metadata(a, 1));
        Path old = withMetadata(a, GraphStyle.GROWING_CACHE, ModelFormat.KEY_FORMAT, "1");
        float[][] s = scan(5, 12);
        try (ScanLineClassifier c1 = ScanLineClassifier.open(old); ScanLineClassifier c3 = ScanLineClassifier.open(current);
             LineStream s1 = c1.newStream(); LineStream s3 = c3.newStream()) {
            assertEquals(1, c1.info().formatVersion());
            assertFalse(c1.info().hasLineStates());
            assertArrayEquals(c3.classify(s).probabilities(), c1.classify(s).probabilities(), 1e-5f);
            for (float[] line : s) {
                assertArrayEquals(s3.push(line).probabilities(), s1.push(line).probabilities(), 1e-5f);
            }
        }
    }

    @Test
    void aGraphThatDoesNotMatchItsFormatIsRefused() throws Exception {
        Architecture a = Architecture.CAUSAL;
        Path fixedCalled2 = withMetadata(a, GraphStyle.FIXED_CACHE, ModelFormat.KEY_FORMAT, "2");
        BadModelException e2 = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(fixedCalled2));
        assertTrue(e2.getMessage().contains(ModelFormat.PAST_LINES) && e2.getMessage().contains("scanline.format 2"),
                e2.getMessage());
        Path growingCalled3 = withMetadata(a, GraphStyle.GROWING_CACHE, ModelFormat.KEY_FORMAT, "3");
        BadModelException e3 = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(growingCalled3));
        assertTrue(e3.getMessage().contains("'" + ModelFormat.PAST_LINES + "'") && e3.getMessage().contains(
                growingCalled3.toString()), e3.getMessage());
    }

    /**
     * A format-4 model with line differences: its stream, which hands each line on as the next one's
     * {@code previous_line}, equals DJL's full scan at every line, over two scans with a reset between
     * them; classify and a batch of mixed lengths agree with it.
     */
    @Test
    void aLineDifferenceStreamEqualsTheFullScanAtEveryLine() {
        TrainingConfig config = TinyModels.config(Architecture.CAUSAL).toBuilder().spectrumTokens(true)
                .lineDifference(true).lineStateWeight(0.5).build();
        ScanModel m = TinyModels.model(MANAGER.get(), config, 37);
        Path f = dir.resolve("difference-" + System.nanoTime() + ".onnx");
        OnnxExporter.write(f, ModelSpec.of(config, P, TinyModels.K), m.namedWeights(),
                new ExportMetadata(TinyModels.CLASSES, Normalizer.NONE, 1, config.toJson(), "test-run", "{}", null), false);
        try (ScanLineClassifier c = ScanLineClassifier.open(f); LineStream stream = c.newStream()) {
            assertEquals(ModelFormat.PREVIOUS_LINE_SINCE, c.info().formatVersion());
            for (long seed : new long[] {5, 6}) {
                float[][] s = scan(TinyModels.MAX, seed);
                float[] flat = new float[s.length * P];
                for (int l = 0; l < s.length; l++) {
                    System.arraycopy(s[l], 0, flat, l * P, P);
                }
                float[] logits = TinyModels.djl(MANAGER.get(), m, flat, 1, s.length);
                for (int l = 0; l < s.length; l++) {
                    Prediction p = stream.push(s[l]);
                    float[] expected = softmax(java.util.Arrays.copyOfRange(logits, l * 3, l * 3 + 3), 1);
                    assertTrue(TinyModels.maxAbsDiff(expected, p.probabilities()) <= 1e-5, "line " + l);
                }
                assertTrue(TinyModels.maxAbsDiff(c.classify(s).probabilities(),
                        softmax(java.util.Arrays.copyOfRange(logits, logits.length - 3, logits.length), 1)) <= 1e-5);
                stream.reset();
            }
            List<float[][]> scans = List.of(scan(3, 1), scan(TinyModels.MAX, 2), scan(1, 3));
            List<Prediction> batch = c.classifyBatch(scans);
            for (int i = 0; i < scans.size(); i++) {
                assertTrue(TinyModels.maxAbsDiff(c.classify(scans.get(i)).probabilities(),
                        batch.get(i).probabilities()) <= 1e-5);
            }
        }
    }

    /** A causal model with the spectrum tokens and the tip-state head, exported. */
    Path exportWithLineStates(ScanModel[] modelOut) {
        TrainingConfig config = TinyModels.config(Architecture.CAUSAL).toBuilder().spectrumTokens(true)
                .lineStateWeight(0.5).build();
        ScanModel m = TinyModels.model(MANAGER.get(), config, 31);
        modelOut[0] = m;
        Path out = dir.resolve("states-" + System.nanoTime() + ".onnx");
        OnnxExporter.write(out, ModelSpec.of(config, P, TinyModels.K), m.namedWeights(),
                new ExportMetadata(TinyModels.CLASSES, Normalizer.NONE, 1, config.toJson(), "test-run", "{}", null), false);
        return out;
    }

    @Test
    void aStreamReportsEveryLinesTipStateAndTheChangesTheDetectorFinds() {
        ScanModel[] m = new ScanModel[1];
        Path f = exportWithLineStates(m);
        int states = ScanModels.LINE_STATES;
        // Scans whose second half differs from the first (other seed and amplitude); keep the first
        // on which the offline detector, fed DJL's tip states, reports a change.
        float[][] s = null;
        float[] stateLogits = null;
        for (long seed = 0; seed < 40 && s == null; seed++) {
            float[][] candidate = scan(TinyModels.MAX, seed);
            float[][] other = scan(TinyModels.MAX, 1000 + seed);
            for (int l = TinyModels.MAX / 2; l < TinyModels.MAX; l++) {
                for (int i = 0; i < P; i++) {
                    candidate[l][i] = 5 * other[l][i] + 3;
                }
            }
            float[] logits = djlLineStates(m[0], candidate);
            TipChangeDetector probe = new TipChangeDetector(ScanModels.LINE_STATE_NAMES, 0.3, 1);
            boolean change = false;
            for (int l = 0; l < candidate.length; l++) {
                change |= probe.update(l, softmax(java.util.Arrays.copyOfRange(logits, l * states, (l + 1) * states), 1))
                        .isPresent();
            }
            if (change) {
                s = candidate;
                stateLogits = logits;
            }
        }
        assertTrue(s != null, "no test scan made the tiny model change its tip state");
        ScanLineClassifier.Options options = ScanLineClassifier.Options.builder().tipChange(0.3, 1)
                .tipChangeClassRise(null, 0, 0, 0).build();
        TipChangeDetector offline = new TipChangeDetector(ScanModels.LINE_STATE_NAMES, 0.3, 1);
        int changes = 0;
        try (ScanLineClassifier c = ScanLineClassifier.open(f, options); LineStream stream = c.newStream()) {
            assertEquals(ScanModels.LINE_STATE_NAMES, c.info().lineStateNames());
            for (int l = 0; l < s.length; l++) {
                Prediction p = stream.push(s[l]);
                float[] expected = softmax(java.util.Arrays.copyOfRange(stateLogits, l * states, (l + 1) * states), 1);
                LineState state = p.lineState().orElseThrow();
                assertTrue(TinyModels.maxAbsDiff(expected, state.probabilities()) <= 1e-5, "line " + l);
                assertEquals(ScanModels.LINE_STATE_NAMES.get(state.index()), state.name());
                assertEquals(offline.update(l, expected).map(TipChange::to), p.tipChange().map(TipChange::to), "line " + l);
                changes += p.tipChange().isPresent() ? 1 : 0;
            }
        }
        assertTrue(changes > 0, "the stream reported no change where the detector found one");
    }

    @Test
    void aStreamReportsTheClassRiseOnTheUncalibratedClassLogitsAsTheOfflineDetectorDoes() {
        TrainingConfig config = TinyModels.config(Architecture.CAUSAL).toBuilder().spectrumTokens(true)
                .lineStateWeight(0.5).build();
        ScanModel m = TinyModels.model(MANAGER.get(), config, 31);
        Path f = dir.resolve("rise-" + System.nanoTime() + ".onnx");
        // temperature 2: the detector must see the raw class logits, not the calibrated probabilities
        OnnxExporter.write(f, ModelSpec.of(config, P, TinyModels.K), m.namedWeights(),
                new ExportMetadata(TinyModels.CLASSES, Normalizer.NONE, 2, config.toJson(), "test-run", "{}", null), false);
        int states = ScanModels.LINE_STATES;
        int k = TinyModels.CLASSES.size();
        int watched = k - 1;
        int calmLines = 4;
        for (long seed = 0; seed < 40; seed++) {
            float[][] s = scan(TinyModels.MAX, seed);
            float[][] other = scan(TinyModels.MAX, 1000 + seed);
            for (int l = TinyModels.MAX / 2; l < TinyModels.MAX; l++) {
                for (int i = 0; i < P; i++) {
                    s[l][i] = 5 * other[l][i] + 3;
                }
            }
            float[] flat = new float[s.length * P];
            for (int l = 0; l < s.length; l++) {
                System.arraycopy(s[l], 0, flat, l * P, P);
            }
            float[] classLogits;
            float[] stateLogits;
            try (NDManager batch = MANAGER.get().newSubManager()) {
                ai.djl.ndarray.NDList out = m.forwardAll(new ai.djl.training.ParameterStore(batch, false),
                        batch.create(flat, new ai.djl.ndarray.types.Shape(1, s.length, P)), false);
                classLogits = out.get(0).toFloatArray();
                stateLogits = out.get(1).toFloatArray();
            }
            // settings from this scan's own trajectory: its first lines calm, a later line high enough
            double calm = 0;
            for (int l = 0; l < calmLines; l++) {
                calm = Math.max(calm, softmax(java.util.Arrays.copyOfRange(classLogits, l * k, (l + 1) * k), 1)[watched]);
            }
            double high = 0;
            for (int l = calmLines; l < s.length; l++) {
                high = Math.max(high, softmax(java.util.Arrays.copyOfRange(classLogits, l * k, (l + 1) * k), 1)[watched]);
            }
            if (high < calm + 0.01) {
                continue;
            }
            TipChangeDetector.ClassRise rise = new TipChangeDetector.ClassRise(watched, high - 0.002, calm + 0.001, calmLines);
            TipChangeDetector offline = new TipChangeDetector(ScanModels.LINE_STATE_NAMES, 0.99, 100, rise);
            ScanLineClassifier.Options options = ScanLineClassifier.Options.builder().tipChange(0.99, 100)
                    .tipChangeClassRise(TinyModels.CLASSES.get(watched), rise.rise(), rise.calm(), calmLines).build();
            int changes = 0;
            try (ScanLineClassifier c = ScanLineClassifier.open(f, options); LineStream stream = c.newStream()) {
                for (int l = 0; l < s.length; l++) {
                    Prediction p = stream.push(s[l]);
                    float[] expected = softmax(java.util.Arrays.copyOfRange(stateLogits, l * states, (l + 1) * states), 1);
                    java.util.Optional<TipChange> want = offline.update(l, expected,
                            java.util.Arrays.copyOfRange(classLogits, l * k, (l + 1) * k));
                    assertEquals(want.map(TipChange::detectedAt), p.tipChange().map(TipChange::detectedAt), "line " + l);
                    changes += p.tipChange().isPresent() ? 1 : 0;
                }
            }
            assertTrue(changes > 0, "the class rose from " + calm + " to " + high + " and no change was reported");
            return;
        }
        throw new AssertionError("no test scan raised the tiny model's last class");
    }

    static float[] djlLineStates(ScanModel model, float[][] s) {
        float[] flat = new float[s.length * P];
        for (int l = 0; l < s.length; l++) {
            System.arraycopy(s[l], 0, flat, l * P, P);
        }
        try (NDManager batch = MANAGER.get().newSubManager()) {
            return model.forwardAll(new ai.djl.training.ParameterStore(batch, false),
                    batch.create(flat, new ai.djl.ndarray.types.Shape(1, s.length, P)), false).get(1).toFloatArray();
        }
    }

    @Test
    void tipStatesOnAFormat1FileAreRefused() throws Exception {
        ScanModel[] m = new ScanModel[1];
        Path f = exportWithLineStates(m);
        OnnxMl.ModelProto.Builder b = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(f)).toBuilder();
        for (int i = 0; i < b.getMetadataPropsCount(); i++) {
            if (b.getMetadataProps(i).getKey().equals(ModelFormat.KEY_FORMAT)) {
                b.setMetadataProps(i, b.getMetadataProps(i).toBuilder().setValue("1"));
            }
        }
        Path old = dir.resolve("old-states.onnx");
        Files.write(old, b.build().toByteArray());
        BadModelException e = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(old));
        assertTrue(e.getMessage().contains(ModelFormat.KEY_LINE_STATES) && e.getMessage().contains(old.toString()),
                e.getMessage());
    }

    @Test
    void aGraphThatIsNotTheArchitectureIsRefused() throws Exception {
        Path f = withMetadata(Architecture.VIT, "scanline.architecture", "causal");
        BadModelException e = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(f));
        assertTrue(e.getMessage().contains("past_key_0"), e.getMessage());
        Path wrongWidth = withMetadata(Architecture.CAUSAL, "scanline.pixels", "99");
        assertThrows(BadModelException.class, () -> ScanLineClassifier.open(wrongWidth));
        Path garbage = dir.resolve("garbage.onnx");
        Files.writeString(garbage, "not a model");
        BadModelException g = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(garbage));
        assertTrue(g.getMessage().contains("garbage.onnx"), g.getMessage());
    }
}
