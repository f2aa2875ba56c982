package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.ScanDataset;
import org.scanline.ScanLineClassifier;
import org.scanline.model.ScanModel;

class ModelExportTest {
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

    static ScanDataset validation(int n) {
        int t = TinyModels.MAX;
        int p = TinyModels.P;
        float[] x = TinyModels.gaussian(n * t * p, 99);
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
        ScanModel model = TinyModels.model(manager, a, 3);
        Path out = dir.resolve("sub/model.onnx");
        ExportSummary s = ModelExport.export(model, TinyModels.spec(a), TinyModels.metadata(a, 1), validation(40), 2,
                out, false);
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
        ScanModel model = TinyModels.model(manager, a, 8);
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
}
