package org.scanline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.BadConfigException;
import org.scanline.ScanLineClassifier.Options;
import org.scanline.export.GraphStyle;
import org.scanline.models.PretrainedModels;
import org.scanline.nanonis.TinyModel;

class RuntimeComparisonTest {
    static long[] ms(double... v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.round(v[i] * 1e6);
        }
        return out;
    }

    @Test
    void theTableGivesEachVariantsSpeedUpOverTheFirst() {
        RuntimeComparison.Variant plain = new RuntimeComparison.Variant("plain", GraphStyle.PLAIN, false,
                RuntimeComparison.onnxRuntimeDefaults());
        RuntimeComparison.Variant fixed = new RuntimeComparison.Variant("fixed", GraphStyle.FIXED_CACHE, false,
                Options.defaults());
        List<RuntimeComparison.Report> reports = List.of(
                new RuntimeComparison.Report(plain, ms(2, 2, 2, 9), ms(1, 1, 1, 1), ms(30, 30)),
                new RuntimeComparison.Report(fixed, ms(1, 1, 1, 9), ms(1, 1, 1, 1), ms(10, 10)));
        assertEquals(2.0, reports.get(0).streamMs(0.5), 1e-9);
        assertEquals(9.0, reports.get(0).streamMs(0.99), 1e-9);
        String table = RuntimeComparison.table(reports);
        assertTrue(table.contains("| fixed | 1.000 | 9.000 | 1.000 | 10.00 | 2.00× | 3.00× |"), table);
        assertTrue(table.contains("| plain | 2.000 | 9.000 | 1.000 | 30.00 | 1.00× | 1.00× |"), table);
        assertTrue(RuntimeComparison.onnxRuntimeDefaults().spinning(Options.Workload.STREAMING));
    }

    @Test
    void modelFilesAreTimedAgainstEachOtherWithTheFirstAsBaseline(@TempDir Path dir) throws IOException {
        Path fp32 = shipped(dir, false);
        Path int8 = shipped(dir, true);
        List<RuntimeComparison.Report> reports = RuntimeComparison.run(List.of(
                RuntimeComparison.Variant.ofFile(fp32, Options.defaults()),
                RuntimeComparison.Variant.ofFile(int8, Options.defaults())), 0, 1);
        assertEquals(2, reports.size());
        for (RuntimeComparison.Report r : reports) {
            assertEquals(128, r.streamNanos().length, "one timed push per line of the 128-line scan");
            assertTrue(r.streamMs(0.5) > 0 && r.fullScanMs(0.5) > 0);
        }
        String table = RuntimeComparison.table(reports);
        assertTrue(table.contains("| " + fp32 + " |") && table.contains("| " + int8 + " |"), table);
        assertTrue(table.contains(" 1.00× | 1.00× |"), "the first file is the baseline: " + table);
    }

    @Test
    void aFileThatCannotStreamTheComparisonsLinesIsRefusedByName() {
        Path tiny = TinyModel.get();
        BadConfigException e = assertThrows(BadConfigException.class, () -> RuntimeComparison.run(
                List.of(RuntimeComparison.Variant.ofFile(tiny, Options.defaults())), 0, 1));
        assertTrue(e.getMessage().contains(tiny.toString()) && e.getMessage().contains("128"), e.getMessage());
    }

    private static Path shipped(Path dir, boolean int8) throws IOException {
        Path f = dir.resolve(int8 ? "int8.onnx" : "fp32.onnx");
        try (InputStream in = PretrainedModels.class.getResourceAsStream(
                PretrainedModels.resource(PretrainedModels.DEFAULT, int8))) {
            Files.copy(in, f);
        }
        return f;
    }
}
