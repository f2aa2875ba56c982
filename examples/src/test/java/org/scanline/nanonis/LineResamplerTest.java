package org.scanline.nanonis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class LineResamplerTest {

    @Test
    void interpolatesLinearlyWithTheEndsAligned() {
        float[] src = {0, 10, 20, 30};
        float[] up = new float[7];
        new LineResampler(4, 7).resample(src, up);
        assertArrayEquals(new float[] {0, 5, 10, 15, 20, 25, 30}, up, 1e-5f);
        float[] down = new float[3];
        new LineResampler(4, 3).resample(src, down);
        assertArrayEquals(new float[] {0, 15, 30}, down, 1e-5f);
        float[] same = new float[4];
        new LineResampler(4, 4).resample(src, same);
        assertArrayEquals(src, same);
    }

    @Test
    void degenerateWidthsStayFinite() {
        float[] one = new float[5];
        new LineResampler(1, 5).resample(new float[] {3}, one);
        assertArrayEquals(new float[] {3, 3, 3, 3, 3}, one);
        float[] mid = new float[1];
        new LineResampler(3, 1).resample(new float[] {1, 2, 3}, mid);
        assertArrayEquals(new float[] {2}, mid);
    }
}
