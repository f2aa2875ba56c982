package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.scanline.Architecture;

class ExportSummaryTest {
    static ExportSummary summary(double eceBefore, double eceAfter) {
        return new ExportSummary(Path.of("m.onnx"), Architecture.CAUSAL, 1000, false, 1.4,
                new Calibration.Result(1.4, 500, 0.9, 0.8, eceBefore, eceAfter), 1e-6, 4, null, 0.01);
    }

    @Test
    void aTemperatureThatRaisesTheEceIsAWarningNotACalibration() {
        ExportSummary worse = summary(0.020, 0.045);
        assertTrue(worse.calibrationWorsenedEce());
        assertTrue(worse.describe().contains("warning: the temperature lowers the NLL"), worse.describe());
        assertFalse(worse.describe().contains("calibrated"), worse.describe());
        ExportSummary better = summary(0.045, 0.020);
        assertFalse(better.calibrationWorsenedEce());
        assertFalse(better.describe().contains("warning"), better.describe());
    }
}
