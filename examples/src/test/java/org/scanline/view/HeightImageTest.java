package org.scanline.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class HeightImageTest {
    private static final HeightImage.Unit PM = HeightImage.Unit.of("m");

    /** A corrugation of 50 pm amplitude on a tilted, offset line, in metres. */
    private static float[] tiltedLine(int pixels, double offset, double tilt) {
        float[] v = new float[pixels];
        for (int j = 0; j < pixels; j++) {
            v[j] = (float) (offset + tilt * j + 50e-12 * Math.cos(2 * Math.PI * j / 4.0));
        }
        return v;
    }

    @Test
    void levellingRemovesEachLinesOffsetAndTiltAndLeavesTheCorrugationInPicometres() {
        float[] a = HeightImage.levelLine(tiltedLine(64, 3e-9, 2e-11), PM);
        float[] b = HeightImage.levelLine(tiltedLine(64, -7e-9, -5e-11), PM);
        for (int j = 0; j < 64; j++) {
            assertEquals(a[j], b[j], 0.5, "the same corrugation whatever the line's offset and tilt, pixel " + j);
        }
        double max = 0;
        double mean = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
            mean += v / 64;
        }
        assertEquals(0, mean, 1e-3);
        assertTrue(max > 45 && max < 55, "the 50 pm corrugation is kept, in pm: " + max);
    }

    @Test
    void nonFinitePixelsStayEmptyAndDoNotBendTheFit() {
        float[] line = tiltedLine(16, 1e-9, 1e-11);
        float[] clean = HeightImage.levelLine(line, PM);
        line[5] = Float.NaN;
        float[] holed = HeightImage.levelLine(line, PM);
        assertTrue(Float.isNaN(holed[5]));
        assertEquals(clean[0], holed[0], 3, "one missing pixel shifts the fit a little, not the picture");
        float[] empty = HeightImage.levelLine(new float[] {Float.NaN, Float.NaN}, PM);
        assertTrue(Float.isNaN(empty[0]) && Float.isNaN(empty[1]));
    }

    @Test
    void theScaleSpansThePercentilesSoASpikeDoesNotWashThePictureOut() {
        float[][] rows = new float[10][100];
        for (int l = 0; l < 10; l++) {
            for (int j = 0; j < 100; j++) {
                rows[l][j] = j - 50;
            }
        }
        rows[3][7] = 1e6f;
        HeightImage.Scale s = HeightImage.scale(rows, 10, PM);
        assertEquals(-50, s.lo(), 1e-9);
        assertEquals(49, s.hi(), 1e-9, "the spike lies beyond the 99.5th percentile");
        assertEquals(0, s.position(-60), 0);
        assertEquals(1, s.position(1e6), 0);
        assertEquals(0.5, s.position(Double.NaN), 0);
        assertEquals(new HeightImage.Scale(0, 0, PM), HeightImage.scale(new float[][] {{Float.NaN}}, 1, PM));
    }

    @Test
    void unitsReadAsAMicroscopistWritesThem() {
        assertEquals("pm", PM.name());
        assertEquals("-122 pm", PM.label(-122.2));
        assertEquals("1.50 nm", PM.label(1500));
        assertEquals(new HeightImage.Unit("gray8", 1), HeightImage.Unit.of("gray8"));
    }

    @Test
    void theRampRunsFromBlackThroughOrangeToWhiteAndRendersOnePixelPerHeight() {
        assertEquals(0x000000, HeightImage.afmhot(0));
        assertEquals(0xffffff, HeightImage.afmhot(1));
        assertEquals(0xff8000, HeightImage.afmhot(0.5));
        BufferedImage img = HeightImage.render(new float[][] {{0, 10}, {5, Float.NaN}}, new HeightImage.Scale(0, 10, PM));
        assertArrayEquals(new int[] {0x000000, 0xffffff, 0xff8000, 0xff8000},
                new int[] {img.getRGB(0, 0) & 0xffffff, img.getRGB(1, 0) & 0xffffff, img.getRGB(0, 1) & 0xffffff,
                    img.getRGB(1, 1) & 0xffffff});
    }
}
