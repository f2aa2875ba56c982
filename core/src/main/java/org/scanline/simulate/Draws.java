package org.scanline.simulate;

import java.util.SplittableRandom;

/**
 * The random draws of one scan beside its {@link SplittableRandom}: a xorshift stream of standard
 * normal deviates from a lookup table (for the per-pixel noise, where a call to
 * {@code nextGaussian} per pixel would dominate) and the uniform and Poisson helpers.
 */
final class Draws {
    private long rngState;
    private int gaussLeft;

    /** Restarts the deviate stream; the state must be odd (non-zero) for xorshift. */
    void start(long state) {
        rngState = state;
        gaussLeft = 0;
    }

    /** A standard normal deviate from the lookup table, five per 64-bit draw of a xorshift stream. */
    double gauss() {
        if (gaussLeft == 0) {
            long x = rngState;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            rngState = x;
            gaussLeft = 5;
        }
        gaussLeft--;
        int idx = (int) (rngState >>> (gaussLeft * FastMath2.GAUSS_BITS)) & FastMath2.GAUSS_MASK;
        return FastMath2.GAUSS[idx];
    }

    static double uniform(SplittableRandom rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    static int poisson(SplittableRandom rnd, double mean) {
        if (mean > 30) {
            return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * (rnd.nextDouble() + rnd.nextDouble()
                    + rnd.nextDouble() - 1.5) * 2));
        }
        double limit = StrictMath.exp(-mean);
        double prod = rnd.nextDouble();
        int n = 0;
        while (prod > limit) {
            prod *= rnd.nextDouble();
            n++;
        }
        return n;
    }
}
