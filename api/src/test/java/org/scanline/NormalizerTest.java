package org.scanline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NormalizerTest {

    private static float[] randomLine(Random r, int n) {
        float[] line = new float[n];
        for (int i = 0; i < n; i++) {
            line[i] = (float) (3 + 0.2 * r.nextGaussian());
        }
        return line;
    }

    @Test
    void perLineGivesMeanZeroStdOne() {
        float[] line = randomLine(new Random(1), 128);
        Normalizer.PER_LINE.normalizeInPlace(line);
        double sum = 0;
        double sq = 0;
        for (float v : line) {
            sum += v;
            sq += (double) v * v;
        }
        assertEquals(0, sum / line.length, 1e-6);
        assertEquals(1, Math.sqrt(sq / line.length), 1e-5);
    }

    @Test
    void flatLineIsOnlyCentred() {
        float[] flat = {5f, 5f, 5f, 5f};
        Normalizer.PER_LINE.normalizeInPlace(flat);
        assertArrayEquals(new float[] {0, 0, 0, 0}, flat);
        float[] almost = {1f, 1f + 1e-9f, 1f, 1f};
        float[] out = new float[4];
        Normalizer.PER_LINE.normalize(almost, 0, out, 0, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(almost[i] - 1.0, out[i], 1e-6, "centred, not blown up");
        }
    }

    @Test
    void instrumentUnitsAreScaledNotJustCentred() {
        // A Nanonis Z line in metres: std around 1e-11, far below any absolute threshold.
        Random r = new Random(3);
        float[] line = new float[256];
        for (int i = 0; i < line.length; i++) {
            line[i] = (float) (2.4e-9 + 1.5e-11 * r.nextGaussian());
        }
        Normalizer.PER_LINE.normalizeInPlace(line);
        double sq = 0;
        for (float v : line) {
            sq += (double) v * v;
        }
        assertEquals(1, Math.sqrt(sq / line.length), 1e-4);
    }

    @Test
    void roundingNoiseOnALargeOffsetCountsAsFlat() {
        float[] line = {1000f, Math.nextUp(1000f), 1000f, Math.nextDown(1000f)};
        Normalizer.PER_LINE.normalizeInPlace(line);
        for (float v : line) {
            assertEquals(0, v, 1e-3, "centred only: one ulp of 1000 is not signal");
        }
    }

    @Test
    void noneCopiesAndLeavesTheInputAlone() {
        float[] src = {1, 2, 3, 4};
        float[] dst = new float[6];
        Normalizer.NONE.normalize(src, 1, dst, 2, 3);
        assertArrayEquals(new float[] {0, 0, 2, 3, 4, 0}, dst);
        assertArrayEquals(new float[] {1, 2, 3, 4}, src);
        float[][] scan = {{1, 2}, {3, 4}};
        float[][] copy = Normalizer.NONE.normalizedCopy(scan);
        assertNotSame(scan[0], copy[0]);
        assertArrayEquals(scan[1], copy[1]);
    }

    @Test
    void perLinePathEqualsWholeScanPath() {
        Random r = new Random(7);
        int lines = 6;
        int pixels = 32;
        float[] flat = new float[lines * pixels];
        for (int l = 0; l < lines; l++) {
            System.arraycopy(randomLine(r, pixels), 0, flat, l * pixels, pixels);
        }
        float[][] rows = new float[lines][pixels];
        for (int l = 0; l < lines; l++) {
            System.arraycopy(flat, l * pixels, rows[l], 0, pixels);
        }
        float[][] copied = Normalizer.PER_LINE.normalizedCopy(rows);
        Normalizer.PER_LINE.normalizeScans(flat, lines, pixels);
        for (int l = 0; l < lines; l++) {
            float[] streamed = rows[l].clone();
            Normalizer.PER_LINE.normalizeInPlace(streamed);
            float[] whole = new float[pixels];
            System.arraycopy(flat, l * pixels, whole, 0, pixels);
            assertArrayEquals(streamed, whole, "line " + l);
            assertArrayEquals(streamed, copied[l], "line " + l);
        }
    }

    @Test
    void fromId() {
        assertSame(Normalizer.PER_LINE, Normalizer.fromId("per_line"));
        assertSame(Normalizer.PER_LINE, Normalizer.fromId(" PER-LINE "));
        assertSame(Normalizer.NONE, Normalizer.fromId("none"));
        assertEquals("per_line", Normalizer.PER_LINE.id());
        BadConfigException e = assertThrows(BadConfigException.class, () -> Normalizer.fromId("zscore"));
        assertEquals("unknown normalizer 'zscore': expected one of per_line, none", e.getMessage());
        assertThrows(BadConfigException.class, () -> Normalizer.fromId(null));
    }
}
