package org.scanline.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.sxm.SxmScan;
import org.scanline.sxm.TraceDirection;

class SimulatedSxmTest {
    @TempDir
    Path dir;

    @Test
    void eachScanIsAnSxmWithItsFrameAndTruth() throws Exception {
        SimulatorConfig cfg = SimulatorConfig.builder().lines(32).pixels(48).frameNm(30, 60).filledShare(0).build();
        Simulator sim = new Simulator(cfg);
        SimulatedSxm.write(sim, 3, 10, 4, "up", dir);
        List<String> truth = Files.readAllLines(dir.resolve(SimulatedSxm.TRUTH));
        assertEquals("file,label,label_true,change_line,surface", truth.get(0));
        assertEquals(5, truth.size());
        for (int i = 0; i < 4; i++) {
            SimulatedScan s = sim.scan(3, 10 + i);
            String[] row = truth.get(i + 1).split(",");
            assertEquals(List.of(String.valueOf(s.label()), String.valueOf(s.labelTrue()), String.valueOf(s.changeLine())),
                    List.of(row[1], row[2], row[3]));
            SxmScan f = SxmScan.read(dir.resolve(row[0]));
            double size = s.parameters().get(Parameter.SCAN_SIZE_NM);
            assertTrue(size >= 30 && size <= 60, "frame " + size);
            // :SCAN_RANGE: holds 7 significant digits, as Nanonis writes it.
            assertArrayEquals(new double[] {size * 1e-9, size * 1e-9}, f.rangeMeters(), size * 1e-15);
            assertEquals(48, f.pixels());
            assertEquals(32, f.lines());
            assertEquals("up", f.scanDirection());
            assertEquals(SimulatedSxm.EMPTY_BIAS, f.biasVolts(), 1e-9);
            assertArrayEquals(s.image(), f.traceFlat("Z", TraceDirection.FORWARD));
        }
    }

    @Test
    void theBackwardTraceImagesTheSameSurfaceWithItsOwnNoise() {
        Simulator sim = new Simulator(SimulatorConfig.builder().lines(64).pixels(64).classShares(0, 0, 1, 0).build());
        float[] fwd = sim.scan(4, 0).image();
        float[] bwd = sim.backwardTrace(4, 0);
        assertFalse(java.util.Arrays.equals(fwd, bwd));
        // Per-line detrended correlation: high where the same place is compared, low when mirrored.
        assertTrue(meanLineCorrelation(fwd, bwd, 64, false) > 0.6, "aligned");
        assertTrue(meanLineCorrelation(fwd, bwd, 64, true) < 0.4, "mirrored");
    }

    private static double meanLineCorrelation(float[] a, float[] b, int p, boolean mirror) {
        double sum = 0;
        int lines = a.length / p;
        for (int l = 0; l < lines; l++) {
            double ma = 0;
            double mb = 0;
            for (int j = 0; j < p; j++) {
                ma += a[l * p + j];
                mb += b[l * p + (mirror ? p - 1 - j : j)];
            }
            ma /= p;
            mb /= p;
            double sab = 0;
            double saa = 0;
            double sbb = 0;
            for (int j = 0; j < p; j++) {
                double x = a[l * p + j] - ma;
                double y = b[l * p + (mirror ? p - 1 - j : j)] - mb;
                sab += x * y;
                saa += x * x;
                sbb += y * y;
            }
            sum += sab / Math.sqrt(saa * sbb);
        }
        return sum / lines;
    }
}
