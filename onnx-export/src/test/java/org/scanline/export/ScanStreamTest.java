package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.BadDataException;
import org.scanline.BadModelException;
import org.scanline.LineStream;
import org.scanline.ModelFormat;
import org.scanline.Prediction;
import org.scanline.Sampling;
import org.scanline.SamplingRange;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanStream;
import org.scanline.Uncertainty;
import org.scanline.model.DjlManager;
import org.scanline.model.ScanModel;

/**
 * The runtime at the instrument's sampling (issue 23) and its answers to the review's silent wrong
 * answers (issue 27): {@link ScanStream}, {@link ScanLineClassifier#classifyAcquired(float[][], Sampling)},
 * non-finite pixels and outputs, temperatures out of range. Tiny real models (16 px, 12 lines, no
 * normaliser, so that averaged lines are exactly comparable) with their metadata rewritten.
 */
class ScanStreamTest {
    static final int P = TinyModels.P;
    static final int MAX = TinyModels.MAX;
    /** The sampling range written into the files: frames of 8–25 nm at 16 px. */
    static final SamplingRange RANGE = SamplingRange.ofSquareFrames(8, 25, P);
    @RegisterExtension
    static final DjlManager MANAGER = new DjlManager();
    @TempDir
    Path dir;

    Path file(Consumer<Map<String, String>> edit) throws Exception {
        return file(TinyModels.model(MANAGER.get(), Architecture.CAUSAL, 21), edit);
    }

    Path file(ScanModel model, Consumer<Map<String, String>> edit) throws Exception {
        OnnxMl.ModelProto m = OnnxExporter.model(TinyModels.spec(Architecture.CAUSAL), model.namedWeights(),
                TinyModels.metadata(Architecture.CAUSAL, 1), false);
        Map<String, String> props = new LinkedHashMap<>();
        m.getMetadataPropsList().forEach(e -> props.put(e.getKey(), e.getValue()));
        edit.accept(props);
        OnnxMl.ModelProto.Builder b = m.toBuilder().clearMetadataProps();
        props.forEach((k, v) -> b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        Path out = dir.resolve("m-" + System.nanoTime() + ".onnx");
        Files.write(out, b.build().toByteArray());
        return out;
    }

    /** A format-5 file that knows it was trained on 8–25 nm frames of 16 px. */
    Path sampled() throws Exception {
        return file(p -> {
            p.put(ModelFormat.KEY_FORMAT, Integer.toString(ModelFormat.SAMPLING_SINCE));
            p.put(ModelFormat.KEY_SAMPLING, RANGE.toJson());
        });
    }

    /** A 16 × 16 frame whose every pixel is repeated {@code f × f} times: the same surface at f times the pixels. */
    static float[][] finer(float[][] frame, int f) {
        float[][] out = new float[frame.length * f][frame[0].length * f];
        for (int l = 0; l < out.length; l++) {
            for (int p = 0; p < out[l].length; p++) {
                out[l][p] = frame[l / f][p / f];
            }
        }
        return out;
    }

    static List<Prediction> streamed(ScanLineClassifier c, float[][] lines) {
        List<Prediction> out = new ArrayList<>();
        try (LineStream s = c.newStream()) {
            for (float[] l : lines) {
                out.add(s.push(l));
            }
        }
        return out;
    }

    @Test
    void aFileOfFormat5SaysItsSamplingAndAnOlderOneSaysItKnowsNone() throws Exception {
        try (ScanLineClassifier c = ScanLineClassifier.open(sampled());
             ScanLineClassifier old = ScanLineClassifier.open(file(p -> { }))) {
            assertEquals(Optional.of(RANGE), c.info().sampling());
            assertEquals(Optional.empty(), old.info().sampling());
        }
    }

    @Test
    void aSamplingKeyInAnOlderFormatOrMalformedIsRefusedByName() throws Exception {
        BadModelException older = assertThrows(BadModelException.class,
                () -> ScanLineClassifier.open(file(p -> p.put(ModelFormat.KEY_SAMPLING, RANGE.toJson()))).close());
        assertTrue(older.getMessage().contains(ModelFormat.KEY_SAMPLING), older.getMessage());
        BadModelException bad = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(file(p -> {
            p.put(ModelFormat.KEY_FORMAT, "5");
            p.put(ModelFormat.KEY_SAMPLING, "{\"pixel_nm\": [2, 1], \"line_nm\": [0.5, 1]}");
        })).close());
        assertTrue(bad.getMessage().contains(ModelFormat.KEY_SAMPLING), bad.getMessage());
    }

    @Test
    void aFinerFrameOfTheSameAreaGivesTheSameAnswers() throws Exception {
        float[][] coarse = TinyModels.scan(MAX, P, 3);
        float[][] fine = finer(coarse, 4);
        try (ScanLineClassifier c = ScanLineClassifier.open(sampled())) {
            List<Prediction> expected = streamed(c, coarse);
            try (ScanStream s = c.newStream(Sampling.ofFrame(16, 12, 4 * P, 4 * MAX), 4 * P)) {
                for (int l = 0; l < fine.length; l++) {
                    Optional<Prediction> p = s.push(fine[l]);
                    // four acquired lines make one model line, decided by the one nearest its centre
                    assertEquals(l % 4 == 2, p.isPresent(), "line " + l);
                    if (p.isPresent()) {
                        assertArrayEquals(expected.get(l / 4).probabilities(), p.get().probabilities(), 1e-5f);
                    }
                }
                assertEquals(4 * MAX, s.linesPushed());
            }
            Prediction whole = c.classifyAcquired(fine, Sampling.ofFrame(16, 12, 4 * P, 4 * MAX));
            assertArrayEquals(c.classify(coarse).probabilities(), whole.probabilities(), 1e-5f);
            assertEquals(MAX, whole.linesSeen());
        }
    }

    @Test
    void coarserLinesAreInterpolatedToTheModelsSpacing() throws Exception {
        float[][] coarse = TinyModels.scan(MAX / 2, P, 4);
        try (ScanLineClassifier c = ScanLineClassifier.open(sampled());
             ScanStream s = c.newStream(new Sampling(1, 1.5), P)) {
            for (float[] line : coarse) {
                assertTrue(s.push(line).isPresent());
            }
            // 6 lines 1.5 nm apart reach the centres of 8 model lines 1 nm apart
            assertEquals(8, s.latest().orElseThrow().linesSeen(), "model lines emitted");
            assertTrue(s.latest().orElseThrow().reasons().isEmpty()
                    || s.latest().orElseThrow().reasons().equals(java.util.Set.of(Uncertainty.LOW_CONFIDENCE)));
        }
    }

    @Test
    void aFrameWiderThanTheModelsFieldIsCutIntoTilesWhoseProbabilitiesAreAveraged() throws Exception {
        float[][] wide = TinyModels.scan(6, 2 * P, 5);
        try (ScanLineClassifier c = ScanLineClassifier.open(sampled());
             ScanStream s = c.newStream(new Sampling(RANGE.maxPixelNm(), RANGE.maxLineNm()), 2 * P);
             LineStream left = c.newStream();
             LineStream right = c.newStream()) {
            for (float[] line : wide) {
                Prediction p = s.push(line).orElseThrow();
                float[] a = left.push(Arrays.copyOfRange(line, 0, P)).probabilities();
                float[] b = right.push(Arrays.copyOfRange(line, P, 2 * P)).probabilities();
                float[] mean = new float[a.length];
                for (int k = 0; k < a.length; k++) {
                    mean[k] = (a[k] + b[k]) / 2;
                }
                assertArrayEquals(mean, p.probabilities(), 1e-6f);
                assertFalse(p.reasons().contains(Uncertainty.SAMPLING));
            }
        }
    }

    @Test
    void pixelsCoarserThanTheModelsOrAFrameNarrowerThanItsFieldAreMarkedSampling() throws Exception {
        float[][] scan = TinyModels.scan(MAX, P, 6);
        try (ScanLineClassifier c = ScanLineClassifier.open(sampled())) {
            for (Sampling s : List.of(new Sampling(2 * RANGE.maxPixelNm(), 2 * RANGE.maxLineNm()),
                    new Sampling(RANGE.minPixelNm() / 2, RANGE.minLineNm() / 2))) {
                try (ScanStream stream = c.newStream(s, P)) {
                    for (float[] line : scan) {
                        stream.push(line).ifPresent(p -> {
                            assertTrue(p.uncertain() && p.reasons().contains(Uncertainty.SAMPLING), s + ": " + p);
                            assertTrue(p.tipChange().isEmpty());
                        });
                    }
                    assertTrue(stream.latest().isPresent(), s.toString());
                }
                assertTrue(c.classifyAcquired(scan, s).reasons().contains(Uncertainty.SAMPLING), s.toString());
            }
        }
    }

    @Test
    void withoutAModelSamplingAScanStreamTakesLinesOneToOneAsALineStream() throws Exception {
        float[][] scan = TinyModels.scan(MAX, P, 7);
        try (ScanLineClassifier c = ScanLineClassifier.open(file(p -> { }));
             ScanStream s = c.newStream(Sampling.ofFrame(100, 100, P, MAX), P)) {
            List<Prediction> expected = streamed(c, scan);
            for (int l = 0; l < scan.length; l++) {
                assertEquals(expected.get(l), s.push(scan[l]).orElseThrow(), "line " + l);
            }
        }
    }

    @Test
    void aFrameLongerThanMaxLinesIsFollowedToItsEndWithHalfAWindowOfContextAtLeast() throws Exception {
        float[][] scan = TinyModels.scan(3 * MAX, P, 8);
        try (ScanLineClassifier c = ScanLineClassifier.open(file(p -> { }));
             ScanStream s = c.newStream(P)) {
            for (int l = 0; l < scan.length; l++) {
                Prediction p = s.push(scan[l]).orElseThrow();
                int context = p.linesSeen();
                assertTrue(l < MAX ? context == l + 1 : context >= MAX / 2 && context <= MAX, l + ": " + context);
                // the reported prediction is that of a stream over exactly the latest `context` lines
                List<Prediction> fresh = streamed(c, Arrays.copyOfRange(scan, l + 1 - context, l + 1));
                assertArrayEquals(fresh.get(context - 1).probabilities(), p.probabilities(), 1e-5f, "line " + l);
            }
            assertEquals(3 * MAX, s.linesPushed());
            Prediction whole = c.classifyAcquired(scan);
            assertArrayEquals(s.latest().orElseThrow().probabilities(), whole.probabilities(), 1e-6f);
        }
    }

    @Test
    void isolatedNonFinitePixelsAreRepairedAndALineWithTooManyIsSkipped() throws Exception {
        float[][] scan = TinyModels.scan(MAX, P, 9);
        float[][] dead = new float[MAX][];
        for (int l = 0; l < MAX; l++) {
            dead[l] = scan[l].clone();
            dead[l][5] = Float.NaN;                              // one dead pixel column
            scan[l][5] = (scan[l][4] + scan[l][6]) / 2;          // what its repair gives
        }
        dead[3] = new float[P];
        Arrays.fill(dead[3], 0, P / 4, Float.POSITIVE_INFINITY); // a glitch: a quarter of a line
        try (ScanLineClassifier c = ScanLineClassifier.open(file(p -> { }));
             ScanStream s = c.newStream(P);
             LineStream strict = c.newStream()) {
            List<float[]> kept = new ArrayList<>(Arrays.asList(scan));
            kept.remove(3);
            List<Prediction> expected = streamed(c, kept.toArray(new float[0][]));
            int k = 0;
            for (int l = 0; l < MAX; l++) {
                Optional<Prediction> p = s.push(dead[l]);
                assertEquals(l != 3, p.isPresent(), "line " + l);
                if (p.isPresent()) {
                    assertArrayEquals(expected.get(k++).probabilities(), p.get().probabilities(), 1e-6f, "line " + l);
                }
            }
            assertEquals(1, s.linesSkipped());
            assertEquals(MAX - 1, s.pixelsRepaired());
            // the file reading path: one dead column no longer makes the scan unclassifiable
            assertEquals(MAX, ScanLineClassifier.acquiredLines(dead));
            assertArrayEquals(expected.get(expected.size() - 1).probabilities(), c.classifyAcquired(dead).probabilities(),
                    1e-5f);
            // a LineStream keeps its strict contract
            assertThrows(BadDataException.class, () -> strict.push(dead[0]));
        }
    }

    @Test
    void aScanStoppedEarlyEndsAtItsFirstLineThatIsMostlyNaN() {
        float[][] scan = TinyModels.scan(8, P, 10);
        scan[2][7] = Float.NaN;
        Arrays.fill(scan[5], Float.NaN);
        Arrays.fill(scan[6], Float.NaN);
        scan[7] = null;
        assertEquals(5, ScanLineClassifier.acquiredLines(scan));
    }

    @Test
    void aModelWhoseOutputIsNotFiniteIsRefusedWhenOpened() throws Exception {
        ScanModel m = TinyModels.model(MANAGER.get(), Architecture.CAUSAL, 22);
        m.parameters().forEach((name, p) -> {
            float[] v = p.getArray().toFloatArray();
            Arrays.fill(v, Float.NaN);
            p.getArray().set(v);
        });
        Path f = file(m, p -> { });
        BadModelException e = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(f).close());
        assertTrue(e.getMessage().contains("not finite") && e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void aTemperatureOutsideItsRangeIsRefusedNamingKeyAndValue() throws Exception {
        for (String t : List.of("1e-30", "0.01", "50")) {
            Path f = file(p -> p.put(ModelFormat.KEY_TEMPERATURE, t));
            BadModelException e = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(f).close());
            assertTrue(e.getMessage().contains(ModelFormat.KEY_TEMPERATURE)
                    && e.getMessage().contains(String.valueOf(Double.parseDouble(t))), e.getMessage());
        }
        for (String t : List.of("0.05", "20")) {
            ScanLineClassifier.open(file(p -> p.put(ModelFormat.KEY_TEMPERATURE, t))).close();
        }
    }

    @Test
    void theExporterWritesFormat5WithTheSimulationsSamplingAndOlderFormatsWithout() {
        ExportMetadata m = TinyModels.metadata(Architecture.CAUSAL, 1).withSampling(RANGE);
        Map<String, String> fixed = OnnxExporter.metadataProps(TinyModels.spec(Architecture.CAUSAL), m, false,
                ModelFormat.FIXED_CACHE_SINCE);
        assertEquals("5", fixed.get(ModelFormat.KEY_FORMAT));
        assertEquals(RANGE.toJson(), fixed.get(ModelFormat.KEY_SAMPLING));
        Map<String, String> growing = OnnxExporter.metadataProps(TinyModels.spec(Architecture.CAUSAL), m, false, 2);
        assertEquals("2", growing.get(ModelFormat.KEY_FORMAT));
        assertFalse(growing.containsKey(ModelFormat.KEY_SAMPLING));
        org.scanline.train.TrainingConfig simulated = TinyModels.config(Architecture.CAUSAL).toBuilder()
                .simulation(org.scanline.train.SimulationConfig.defaults().withSize(256, 128)).build();
        assertEquals(new SamplingRange(8.0 / 128, 25.0 / 128, 8.0 / 256, 25.0 / 256),
                ExportMetadata.trainedSampling(simulated));
        assertEquals(null, ExportMetadata.trainedSampling(TinyModels.config(Architecture.CAUSAL)));
    }
}
