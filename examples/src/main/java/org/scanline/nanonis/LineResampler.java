package org.scanline.nanonis;

/**
 * Resamples a line of {@code from} pixels to {@code to} pixels by linear interpolation, first and
 * last pixels aligned (pixel {@code i} of the output sits at {@code i·(from−1)/(to−1)} of the
 * input). Indices and weights are computed once; {@link #resample} allocates nothing.
 */
final class LineResampler {
    private final int from;
    private final int to;
    private final int[] left;
    private final float[] weight;

    LineResampler(int from, int to) {
        if (from < 1 || to < 1) {
            throw new IllegalArgumentException("cannot resample " + from + " pixels to " + to);
        }
        this.from = from;
        this.to = to;
        this.left = new int[to];
        this.weight = new float[to];
        for (int i = 0; i < to; i++) {
            double x = to == 1 ? (from - 1) / 2.0 : (double) i * (from - 1) / (to - 1);
            int l = Math.min((int) Math.floor(x), Math.max(0, from - 2));
            left[i] = l;
            weight[i] = from == 1 ? 0f : (float) (x - l);
        }
    }

    int from() {
        return from;
    }

    /**
     * @param src at least {@code from} values
     * @param dst receives {@code to} values
     */
    void resample(float[] src, float[] dst) {
        if (from == to) {
            System.arraycopy(src, 0, dst, 0, to);
            return;
        }
        for (int i = 0; i < to; i++) {
            int l = left[i];
            float w = weight[i];
            dst[i] = w == 0f ? src[l] : src[l] + w * (src[l + 1] - src[l]);
        }
    }
}
