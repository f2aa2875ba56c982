package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.SamplingRange;
import org.scanline.model.DjlManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scanline.BadConfigException;
import org.scanline.ModelFormat;
import org.scanline.Prediction;
import org.scanline.Sampling;
import org.scanline.ScanStream;
import org.scanline.ScanLineClassifier;
import org.scanline.Uncertainty;
import org.scanline.runtime.SurfaceCheck;
import org.scanline.runtime.SurfaceFeatures;

class SurfaceCheckStampTest {
    private static final int P = TinyModels.P;
    @RegisterExtension
    static final DjlManager MANAGER = new DjlManager();
    @TempDir
    Path dir;

    /** A tiny causal model's file with its metadata edited. */
    private Path file(Consumer<Map<String, String>> edit) throws Exception {
        OnnxMl.ModelProto m = OnnxExporter.model(TinyModels.spec(Architecture.CAUSAL),
                TinyModels.model(MANAGER.get(), Architecture.CAUSAL, 21).namedWeights(),
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

    /** A format-5 file that knows it was trained on 8–25 nm frames. */
    private Path sampled() throws Exception {
        return file(p -> {
            p.put(ModelFormat.KEY_FORMAT, Integer.toString(ModelFormat.SAMPLING_SINCE));
            p.put(ModelFormat.KEY_SAMPLING, SamplingRange.ofSquareFrames(8, 25, P).toJson());
        });
    }
    /** A check that knows only a smooth surface: its mean sits far from what white noise looks like. */
    private static SurfaceCheck smoothOnly() {
        int d = SurfaceFeatures.SIZE;
        double[] mean = new double[3 * d];
        double[] cov = new double[d * d];
        for (int i = 0; i < d; i++) {
            cov[i * d + i] = 0.01;
        }
        // Consecutive lines of the known surface correlate fully; white noise does not.
        mean[3 * SurfaceFeatures.names().indexOf("line_correlation")] = 1;
        return new SurfaceCheck(mean, cov, cov.clone(), 4, new int[] {2, 16}, new double[] {3, 3}, "test");
    }

    @Test
    void aStampedModelSaysWhenTheSurfaceIsUnknown() throws Exception {
        Path stamped = dir.resolve("stamped.onnx");
        SurfaceCheckStamp.write(sampled(), smoothOnly(), stamped);
        SplittableRandom rnd = new SplittableRandom(5);
        float[][] noise = new float[20][P];
        for (float[] line : noise) {
            for (int j = 0; j < P; j++) {
                line[j] = (float) rnd.nextGaussian();
            }
        }
        try (ScanLineClassifier c = ScanLineClassifier.open(stamped)) {
            Prediction p = c.classifyAcquired(noise, Sampling.ofFrame(12, 12, P, 20));
            assertTrue(p.reasons().contains(Uncertainty.UNKNOWN_SURFACE), p.reasons().toString());
        }
        try (ScanLineClassifier c = ScanLineClassifier.open(sampled())) {
            Prediction p = c.classifyAcquired(noise, Sampling.ofFrame(12, 12, P, 20));
            assertFalse(p.reasons().contains(Uncertainty.UNKNOWN_SURFACE));
        }
    }

    /** Its features are physical frequencies: without a sampling there is nothing to judge, not an unknown surface. */
    @Test
    void withoutASamplingTheCheckDoesNotJudge() throws Exception {
        Path stamped = dir.resolve("stamped.onnx");
        SurfaceCheckStamp.write(sampled(), smoothOnly(), stamped);
        SplittableRandom rnd = new SplittableRandom(6);
        float[][] noise = new float[20][P];
        for (float[] line : noise) {
            for (int j = 0; j < P; j++) {
                line[j] = (float) rnd.nextGaussian();
            }
        }
        try (ScanLineClassifier c = ScanLineClassifier.open(stamped)) {
            assertFalse(c.classifyAcquired(noise).reasons().contains(Uncertainty.UNKNOWN_SURFACE));
            try (ScanStream s = c.newStream(P)) {
                Prediction last = null;
                for (float[] line : noise) {
                    last = s.push(line).orElseThrow();
                }
                assertFalse(last.reasons().contains(Uncertainty.UNKNOWN_SURFACE), last.reasons().toString());
            }
            try (ScanStream s = c.newStream(Sampling.ofFrame(12, 12, P, 20), P)) {
                for (float[] line : noise) {
                    s.push(line);
                }
                Prediction last = s.latest().orElseThrow();
                assertTrue(last.reasons().contains(Uncertainty.UNKNOWN_SURFACE), "with its sampling it does judge");
            }
        }
    }

    @Test
    void olderFormatsCannotHoldACheck() throws Exception {
        Path old = file(p -> p.put(ModelFormat.KEY_FORMAT, "4"));
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> SurfaceCheckStamp.write(old, smoothOnly(), dir.resolve("x.onnx")));
        assertTrue(e.getMessage().contains("--format 5"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }
}
