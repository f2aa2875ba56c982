package org.scanline.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scanline.BadConfigException;

class OtherSurfacesTest {
    /** Renders one terrace of a kind, sharp tip, no instrument, 128 × 128 over the given frame. */
    private static float[] clean(OtherSurface s, long seed, double size) {
        s.draw(new SplittableRandom(seed), size);
        s.dropSteps();
        float[] img = new float[128 * 128];
        double[] row = new double[128];
        double d = size / 128;
        for (int l = 0; l < 128; l++) {
            s.line(row, 0, l * d, d, d, 0.02);
            for (int j = 0; j < 128; j++) {
                img[l * 128 + j] = (float) row[j];
            }
        }
        return img;
    }

    private static double peakCyclesPerNm(float[] img, double size) {
        int[] f = Spectra.peak2d(img, 128, 128);
        return Math.hypot(f[0], f[1]) / size;
    }

    @Test
    void closePackedMetalPeaksAtItsHexagonalShell() {
        for (long seed = 1; seed <= 3; seed++) {
            double f = peakCyclesPerNm(clean(new LatticeSurfaces.HcpMetal(), seed, 8), 8);
            // a = 0.25–0.29 nm: the first shell is at 2/(√3 a) = 3.98–4.62 nm⁻¹ (a pixel of slack).
            assertTrue(f > 3.98 - 0.2 && f < 4.62 + 0.2, "peak " + f);
        }
    }

    @Test
    void graphitePeaksAtItsLatticeAbove1PerNm() {
        double f = peakCyclesPerNm(clean(new LatticeSurfaces.Graphite(), 4, 8), 8);
        double expected = 2 / (Math.sqrt(3) * 0.246);
        // A moiré, when drawn, is far below; the lattice is the strongest component of the atomic scale.
        assertTrue(Math.abs(f - expected) < 0.2 || f < 1, "peak " + f);
    }

    @Test
    void rockSaltPeaksAtItsSquareLattice() {
        for (long seed = 1; seed <= 3; seed++) {
            double f = peakCyclesPerNm(clean(new LatticeSurfaces.RockSalt(), seed, 10), 10);
            assertTrue(f > 1 / 0.56 - 0.15 && f < 1 / 0.39 + 0.15, "peak " + f);
        }
    }

    @Test
    void largeCellHexPeaksOnAShellOfItsCell() {
        for (long seed = 1; seed <= 3; seed++) {
            double f = peakCyclesPerNm(clean(new LatticeSurfaces.LargeCellHex(), seed, 25), 25);
            // Cells of 2.0–3.6 nm: shells at (2/√3c)·√(m² + mn + n²); the peak lies on one of the first few.
            assertTrue(f > 2 / (Math.sqrt(3) * 3.6) - 0.05 && f < 3 * 2 / (Math.sqrt(3) * 2.0), "peak " + f);
        }
    }

    @Test
    void everyKindRendersFiniteDeterministicScansLabelledOther() {
        OtherSurfaces others = new OtherSurfaces(SimulatorConfig.builder().lines(32).pixels(48).build());
        Set<Integer> sums = new HashSet<>();
        for (SurfaceKind k : SurfaceKind.values()) {
            SimulatedScan s = others.scan(k, 5, 2);
            assertEquals(OtherSurfaces.OTHER, s.label());
            assertEquals(32 * 48, s.image().length);
            for (float v : s.image()) {
                assertTrue(Float.isFinite(v), k.key());
            }
            assertArrayEquals(s.image(), others.scan(k, 5, 2).image(), k.key());
            assertFalse(java.util.Arrays.equals(s.image(), others.backwardTrace(k, 5, 2)), k.key());
            sums.add(java.util.Arrays.hashCode(s.image()));
            assertEquals(k, SurfaceKind.of(k.key()));
        }
        assertEquals(SurfaceKind.values().length, sums.size());
        assertThrows(BadConfigException.class, () -> SurfaceKind.of("gold"));
    }

    @Test
    void designAndHeldOutKindsAreDisjointAndBothPresent() {
        long design = java.util.Arrays.stream(SurfaceKind.values()).filter(k -> k.group() == SurfaceKind.Group.DESIGN).count();
        assertTrue(design >= 3 && design <= SurfaceKind.values().length - 3);
    }
}
