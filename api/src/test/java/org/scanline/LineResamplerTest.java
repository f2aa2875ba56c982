package org.scanline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LineResamplerTest {

    static float[] ramp(int n, double a, double b) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (a + b * i);
        }
        return x;
    }

    @Test
    void equalCountsCopyTheLineExactly() {
        float[] line = {3f, -1f, 7.5f, 2f};
        LineResampler r = LineResampler.of(4, 4);
        assertTrue(r.isIdentity());
        float[] out = r.resample(line);
        assertArrayEquals(line, out);
        assertFalse(out == line, "a new array");
    }

    @Test
    void aStraightLineStaysStraightAtThePixelCentres() {
        // Pixel j of T covers the same stretch of the scan range as pixels [j·S/T, (j+1)·S/T) of S:
        // on a ramp over pixel positions its value is the ramp at the centre (j + 0.5)·S/T − 0.5.
        float[] up = LineResampler.of(8, 32).resample(ramp(8, 1, 2));
        for (int j = 2; j < 30; j++) {
            assertEquals(1 + 2 * ((j + 0.5) * 8 / 32 - 0.5), up[j], 1e-5, "enlarging, pixel " + j);
        }
        assertEquals(1f, up[0], 1e-6, "the end pixel is held at the edge");
        float[] down = LineResampler.of(256, 64).resample(ramp(256, 0, 1));
        for (int j = 2; j < 62; j++) {
            assertEquals((j + 0.5) * 4 - 0.5, down[j], 1e-3, "shrinking, pixel " + j);
        }
    }

    @Test
    void enlargingInterpolatesBetweenTheTwoNearestPixels() {
        float[] out = LineResampler.of(2, 4).resample(new float[] {0f, 4f});
        // Centres at -0.25, 0.25, 0.75, 1.25 source pixels.
        assertArrayEquals(new float[] {0f, 1f, 3f, 4f}, out, 1e-6f);
    }

    @Test
    void shrinkingAveragesTheNoiseInsteadOfPickingPixels() {
        SplittableRandom rnd = new SplittableRandom(5);
        float[] noise = new float[4096];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rnd.nextGaussian();
        }
        float[] out = LineResampler.of(4096, 256).resample(noise);
        double sq = 0;
        for (float v : out) {
            sq += v * v;
        }
        // Point sampling would keep the variance at 1; a triangle of radius 16 divides it by ≈ 24.
        assertTrue(sq / out.length < 0.25, "variance after shrinking 16×: " + sq / out.length);
    }

    @Test
    void aConstantLineStaysConstantWhateverTheCounts() {
        for (int[] c : new int[][] {{256, 64}, {64, 256}, {100, 37}, {37, 100}, {1, 5}, {5, 1}}) {
            float[] line = new float[c[0]];
            java.util.Arrays.fill(line, 2.5e-10f);
            for (float v : LineResampler.of(c[0], c[1]).resample(line)) {
                assertEquals(2.5e-10f, v, 1e-16f, c[0] + " → " + c[1]);
            }
        }
    }

    @Test
    void aNanPixelSpoilsOnlyTheTargetPixelsThatCoverIt() {
        float[] line = ramp(64, 0, 1);
        line[40] = Float.NaN;
        float[] out = LineResampler.of(64, 16).resample(line);
        assertTrue(Float.isNaN(out[10]));
        assertTrue(Float.isFinite(out[0]) && Float.isFinite(out[15]));
    }

    @Test
    void theBufferFormAllocatesIntoTheCallersArrays() {
        LineResampler r = LineResampler.of(6, 3);
        float[] src = {9, 9, 1, 2, 3, 4, 5, 6};
        float[] dst = new float[5];
        r.resample(src, 2, dst, 1);
        assertArrayEquals(r.resample(new float[] {1, 2, 3, 4, 5, 6}), java.util.Arrays.copyOfRange(dst, 1, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> r.resample(src, 3, dst, 0));
    }

    @Test
    void aLineOfTheWrongWidthIsNamed() {
        LineResampler r = LineResampler.of(256, 64);
        BadDataException e = assertThrows(BadDataException.class, () -> r.resample(new float[][] {new float[256], new float[128]}));
        assertTrue(e.getMessage().contains("line 1 has 128 pixels; this resampler takes 256"), e.getMessage());
        assertThrows(BadConfigException.class, () -> LineResampler.of(0, 64));
    }

    @Test
    void acquiredLinesStopAtTheFirstLineThatIsMostlyNonFinite() {
        float[][] scan = new float[5][4];
        assertEquals(5, ScanLineClassifier.acquiredLines(scan));
        scan[3][2] = Float.NaN;          // a dead pixel is repaired later, not the end of the scan (issue 27)
        scan[4] = new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        assertEquals(4, ScanLineClassifier.acquiredLines(scan));
        scan[0] = new float[] {Float.POSITIVE_INFINITY, Float.NaN, Float.NaN, 0};
        assertEquals(0, ScanLineClassifier.acquiredLines(scan));
        assertEquals(0, ScanLineClassifier.acquiredLines(new float[0][]));
    }
}
