package org.scanline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scanline.ScanLineClassifier.Options;
import org.scanline.export.GraphStyle;

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
}
