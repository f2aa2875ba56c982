package org.scanline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Isolated non-finite pixels are interpolated along the line; too many skip it (issue 27). */
class LineRepairTest {
    static final float NAN = Float.NaN;

    @Test
    void badPixelsAreInterpolatedBetweenTheirFiniteNeighboursAndHeldAtTheEnds() {
        float[] line = new float[20];
        for (int i = 0; i < line.length; i++) {
            line[i] = i;
        }
        line[0] = NAN;
        line[7] = Float.POSITIVE_INFINITY;
        float[] out = new float[20];
        assertEquals(2, LineRepair.repair(line, out));
        assertEquals(1, out[0]);
        assertEquals(7, out[7], 1e-6);
        assertTrue(Float.isNaN(line[0]), "the input is not modified");
        float[] end = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, NAN};
        assertEquals(1, LineRepair.repair(end, end));
        assertEquals(11, end[11]);
    }

    @Test
    void aLineWithMoreThanATenthOfItsPixelsBadIsSkipped() {
        float[] line = new float[20];
        line[3] = NAN;
        line[4] = NAN;
        assertEquals(2, LineRepair.repair(line, new float[20]));
        line[5] = NAN;
        assertEquals(-1, LineRepair.repair(line, new float[20]));
        assertEquals(1, LineRepair.maxRepaired(4));
        assertEquals(-1, LineRepair.repair(new float[] {NAN}, new float[1]));
    }

    @Test
    void aLineIsAcquiredWhileAtMostHalfOfItsPixelsAreBad() {
        assertTrue(LineRepair.acquired(new float[] {NAN, 1}));
        assertFalse(LineRepair.acquired(new float[] {NAN, NAN, 1}));
        assertFalse(LineRepair.acquired(null));
        assertFalse(LineRepair.acquired(new float[0]));
    }
}
