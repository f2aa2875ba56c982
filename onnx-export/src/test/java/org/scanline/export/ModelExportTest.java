package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.ScanDataset;
import org.scanline.ScanLineClassifier;
import org.scanline.metrics.ClassificationMetrics;
import org.scanline.model.DjlManager;
import org.scanline.model.ModelFixtures;
import org.scanline.model.ModelSpec;
import org.scanline.model.ScanModel;

class ModelExportTest {
    @RegisterExtension
    static final DjlManager MANAGER = new DjlManager();
    @TempDir
    Path dir;

    static ScanDataset validation(int n) {
        int t = TinyModels.MAX;
        int p = TinyModels.P;
        float[] x = ModelFixtures.gaussian(n * t * p, 99);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < t * p; j++) {
                x[i * t * p + j] += labels[i] * (j % p) * 0.2f;   // a class-dependent slope the model half-sees
            }
        }
        return new ScanDataset("synthetic", x, n, t, p, labels, TinyModels.CLASSES);
    }

    @Test
    void exportCalibratesChecksAndWritesTheTemperatureIntoTheFile() throws Exception {
        Architecture a = Architecture.CAUSAL;
        ScanModel model = TinyModels.model(MANAGER.get(), a, 3);
        Path out = dir.resolve("sub/model.onnx");
        ExportSummary s = ModelExport.export(model, TinyModels.spec(a), TinyModels.metadata(a, 1), validation(40), 2,
                out, ExportSettings.defaults());
        assertTrue(Files.size(out) == s.bytes() && s.bytes() > 0);
        assertTrue(s.maxAbsLogitDiff() <= 1e-4, s.describe());
        assertNotNull(s.calibration());
        assertEquals(40 * (TinyModels.MAX - 1), s.calibration().samples());
        assertTrue(s.calibration().nllAfter() <= s.calibration().nllBefore() + 1e-9, s.describe());
        assertTrue(s.temperature() != 1.0, s.describe());
        try (ScanLineClassifier c = ScanLineClassifier.open(out)) {
            assertEquals(s.temperature(), c.info().temperature(), 1e-12);
        }
        assertTrue(s.describe().contains("ECE"), s.describe());
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary file may be left behind");
        }
    }

    @Test
    void int8WeightsStayCloseToFloat32AndShrinkTheFile() throws Exception {
        Architecture a = Architecture.CAUSAL;
        ScanModel model = TinyModels.model(MANAGER.get(), a, 8);
        ModelSpec spec = TinyModels.spec(a);
        byte[] fp32 = OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(a, 1), false);
        byte[] int8 = OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(a, 1), true);
        float[] x = TinyModels.structured(2, TinyModels.MAX);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s32 = env.createSession(fp32, new OrtSession.SessionOptions());
             OrtSession s8 = env.createSession(int8, new OrtSession.SessionOptions())) {
            float[] y32 = ModelExport.run(spec, s32, env, x, 2, TinyModels.MAX);
            float[] y8 = ModelExport.run(spec, s8, env, x, 2, TinyModels.MAX);
            double diff = TinyModels.maxAbsDiff(y32, y8);
            double scale = 0;
            for (float v : y32) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(diff > 0 && diff < 0.1 * scale, "int8 diff " + diff + " at logit scale " + scale);
        }
        assertTrue(int8.length < fp32.length, int8.length + " vs " + fp32.length);
    }

    @Test
    void anInt8ExportReportsItsAccuracyAgainstFloat32() throws Exception {
        Architecture a = Architecture.CAUSAL;
        ScanModel model = TinyModels.model(MANAGER.get(), a, 8);
        Path out = dir.resolve("int8.onnx");
        ExportSummary s = ModelExport.export(model, TinyModels.spec(a), TinyModels.metadata(a, 1), validation(40), 2, out,
                ExportSettings.defaults().withInt8(true).withInt8Drop(1.0, true));
        Int8Check c = s.int8Check();
        assertNotNull(c, s.describe());
        assertEquals(40 * (TinyModels.MAX - 1), c.predictions());
        assertEquals(40, c.scans());
        assertTrue(c.agreement() > 0.5 && c.agreement() <= 1, s.describe());
        assertTrue(s.describe().contains("int8 vs float32") && !s.int8DropTooLarge(), s.describe());
        assertTrue(Files.exists(out));
        ExportSummary fp32 = ModelExport.export(model, TinyModels.spec(a), TinyModels.metadata(a, 1), validation(40), 2,
                dir.resolve("fp32.onnx"), ExportSettings.defaults());
        assertNull(fp32.int8Check());
        ExportSummary unchecked = ModelExport.export(model, TinyModels.spec(a), TinyModels.metadata(a, 1), null, 2,
                dir.resolve("unchecked.onnx"), ExportSettings.defaults().withInt8(true));
        assertTrue(unchecked.describe().contains("int8 accuracy not checked"), unchecked.describe());
    }

    /**
     * Scans labelled with float32's answer after their last line, chosen so that int8 disagrees on at
     * least one: float32 is right on all of them and int8 is not, so a threshold of 0 is passed. int8
     * quantises activations per call, so the scans are compared in one call of 32, as the export does.
     */
    @Test
    void anInt8DropPastTheThresholdIsRefusedOrOnlyWarned() throws Exception {
        Architecture a = Architecture.CAUSAL;
        ScanModel model = TinyModels.model(MANAGER.get(), a, 8);
        ModelSpec spec = TinyModels.spec(a);
        int t = TinyModels.MAX;
        int p = TinyModels.P;
        int k = TinyModels.K;
        int n = 32;
        float[] x = null;
        int[] labels = new int[n];
        java.util.List<Integer> differing = new java.util.ArrayList<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s32 = env.createSession(OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(a, 1),
                false), new OrtSession.SessionOptions());
             OrtSession s8 = env.createSession(OnnxExporter.toBytes(spec, model.namedWeights(), TinyModels.metadata(a, 1),
                     true), new OrtSession.SessionOptions())) {
            for (long seed = 0; seed < 40 && differing.isEmpty(); seed++) {
                x = ModelFixtures.gaussian(n * t * p, seed);
                float[] y32 = ModelExport.run(spec, s32, env, x, n, t);
                float[] y8 = ModelExport.run(spec, s8, env, x, n, t);
                for (int i = 0; i < n; i++) {
                    int o = (i * t + t - 1) * k;
                    labels[i] = ClassificationMetrics.argmax(y32, o, k);
                    if (ClassificationMetrics.argmax(y8, o, k) != labels[i]) {
                        differing.add(i);
                    }
                }
            }
        }
        Assumptions.assumeFalse(differing.isEmpty(), "int8 and float32 agreed on every random scan");
        ScanDataset data = new ScanDataset("disagreeing", x, n, t, p, labels, TinyModels.CLASSES);
        Path refused = dir.resolve("refused.onnx");
        ExportSettings strict = ExportSettings.defaults().withInt8(true).withInt8Drop(0, true);
        org.scanline.BadModelException e = assertThrows(org.scanline.BadModelException.class,
                () -> ModelExport.export(model, spec, TinyModels.metadata(a, 1), data, t, refused, strict));
        assertTrue(e.getMessage().contains("not written") && e.getMessage().contains("int8"), e.getMessage());
        assertFalse(Files.exists(refused));
        Path warned = dir.resolve("warned.onnx");
        ExportSummary s = ModelExport.export(model, spec, TinyModels.metadata(a, 1), data, t, warned,
                strict.withInt8Drop(0, false));
        assertEquals(1.0, s.int8Check().fp32Accuracy(), 1e-12);
        assertEquals(1.0 - differing.size() / (double) n, s.int8Check().int8Accuracy(), 1e-12);
        assertTrue(s.int8DropTooLarge() && s.describe().contains("warning: int8 loses"), s.describe());
        assertTrue(Files.exists(warned));
    }
}
