package org.scanline.surface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.scanline.dataset.TestFiles;
import org.scanline.runtime.SurfaceCheck;
import org.scanline.simulate.SimulatorConfig;
import org.scanline.simulate.SurfaceKind;
import org.scanline.sxm.SxmScan;
import org.scanline.sxm.TraceDirection;

class SurfaceCheckFitTest {
    /** The shipped model's sampling: 128 px over 8–25 nm. */
    private static final SimulatorConfig SMALL = SimulatorConfig.builder().lines(128).pixels(128).build();
    private static SurfaceCheck check;

    @BeforeAll
    static void fit() {
        check = SurfaceCheckFit.fit(new SurfaceCheckFit.Settings(128, 8, 25, 31, 60, 32, 60, 0.04, 0.1, 4));
    }

    @Test
    void keepsHsiOfEveryTipStateAndFlagsOtherSurfaces() {
        SurfaceCheckReport.Row hsi = SurfaceCheckReport.hsi(check, SMALL, 33, 80, 128).get(4);
        assertEquals("all H:Si(100)", hsi.set());
        assertTrue(hsi.rate() <= 0.1, hsi.toString());
        // Clear cases of a design kind and of a held-out kind: a molecular layer and an amorphous film.
        SurfaceCheckReport.Row molecular = SurfaceCheckReport.other(check, SMALL, SurfaceKind.MOLECULAR, 33, 40, 128);
        SurfaceCheckReport.Row amorphous = SurfaceCheckReport.other(check, SMALL, SurfaceKind.AMORPHOUS, 33, 40, 128);
        assertTrue(molecular.rate() >= 0.35, molecular.toString());
        assertTrue(amorphous.rate() >= 0.7, amorphous.toString());
    }

    @Test
    void thresholdsAreFittedPerNumberOfLinesAndSurviveJson() {
        SurfaceCheck again = SurfaceCheck.fromJson(check.toJson());
        for (int n : SurfaceCheckFit.AT) {
            assertTrue(check.threshold(n) > 0);
            assertEquals(check.threshold(n), again.threshold(n), 0);
        }
        assertTrue(check.fittedOn().contains("seed 31") && check.fittedOn().contains("seed 32"), check.fittedOn());
    }

    /**
     * The real Si(111)-7×7 scans, for testing only (never fitted or thresholded on): fed as the runtime
     * feeds a 50 nm, 256 px line to a 128 px model, as 128 px windows at 0.195 nm.
     */
    @Test
    @Disabled("issue 23: the check does not flag the real Si(111)-7×7 scans yet (scores 3.6–3.8 after 128 lines, "
            + "threshold 4.92; docs/results.md); enable when it does")
    void flagsTheRealSi111Scans() {
        Path dir = Path.of(System.getProperty("scanline.sxm.dir", "../shared/data/sxm"));
        if (!Files.isDirectory(dir)) {
            dir = TestFiles.sxm("Si_7x7_028.sxm").map(Path::getParent).orElse(dir);
        }
        Assumptions.assumeTrue(Files.isDirectory(dir), "no real scans at " + dir + " (shared/data/sxm beside the checkout)");
        SurfaceCheck full = SurfaceCheckFit.fit(SurfaceCheckFit.Settings.defaults(128, 23001, 23002));
        for (String name : new String[] {"Si_7x7_028.sxm", "Si_7x7_032.sxm"}) {
            SxmScan s = SxmScan.read(dir.resolve(name));
            float[][] z = s.trace("Z", TraceDirection.FORWARD);
            double pixelNm = s.rangeMeters()[0] * 1e9 / s.pixels();
            SurfaceCheck.Scorer scorer = full.newScorer();
            for (int l = 0; l < 128; l++) {
                scorer.add(Arrays.copyOf(z[l], 128), pixelNm);
            }
            assertFalse(scorer.known(), name + " score " + scorer.score() + ", threshold " + full.threshold(128));
        }
    }
}
