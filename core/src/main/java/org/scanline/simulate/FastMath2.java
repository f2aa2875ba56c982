package org.scanline.simulate;

import org.apache.commons.math3.special.Erf;

/**
 * Tables that keep transcendental functions out of the per-pixel loops: sine and cosine by
 * interpolation in a 4096-step table (error below 3e-7), the normal CDF for blurred step edges, and
 * standard normal deviates by inverse-CDF lookup.
 */
final class FastMath2 {
    private static final int TRIG_BITS = 12;
    private static final int TRIG_N = 1 << TRIG_BITS;
    private static final double TWO_PI = 2 * Math.PI;
    private static final double[] SIN = new double[TRIG_N + 1];

    private static final double PHI_RANGE = 5.0;
    private static final int PHI_N = 2048;
    private static final double[] PHI = new double[PHI_N + 1];

    private static final int EXP_STEPS = 256;
    private static final int EXP_MAX = 48;
    private static final double[] EXP_NEG = new double[EXP_MAX * EXP_STEPS + 1];

    static final int GAUSS_BITS = 12;
    static final int GAUSS_MASK = (1 << GAUSS_BITS) - 1;
    /** Standard normal quantiles at the midpoints of 4096 equal-probability cells. */
    static final double[] GAUSS = new double[1 << GAUSS_BITS];

    static {
        for (int i = 0; i <= TRIG_N; i++) {
            SIN[i] = StrictMath.sin(TWO_PI * i / TRIG_N);
        }
        for (int i = 0; i < EXP_NEG.length; i++) {
            EXP_NEG[i] = StrictMath.exp(-(double) i / EXP_STEPS);
        }
        for (int i = 0; i <= PHI_N; i++) {
            double z = -PHI_RANGE + 2 * PHI_RANGE * i / PHI_N;
            PHI[i] = 0.5 * (1 + Erf.erf(z / Math.sqrt(2)));
        }
        double sumSq = 0;
        for (int i = 0; i < GAUSS.length; i++) {
            double p = (i + 0.5) / GAUSS.length;
            GAUSS[i] = Math.sqrt(2) * Erf.erfInv(2 * p - 1);
            sumSq += GAUSS[i] * GAUSS[i];
        }
        // Cell midpoints cut the tails a little; rescale so the deviates have unit variance.
        double scale = 1 / Math.sqrt(sumSq / GAUSS.length);
        for (int i = 0; i < GAUSS.length; i++) {
            GAUSS[i] *= scale;
        }
    }

    private FastMath2() {
    }

    static double sin(double x) {
        double t = x * (TRIG_N / TWO_PI);
        double f = Math.floor(t);
        int i = (int) ((long) f & (TRIG_N - 1));
        double w = t - f;
        return SIN[i] + w * (SIN[i + 1] - SIN[i]);
    }

    static double cos(double x) {
        return sin(x + Math.PI / 2);
    }

    /**
     * exp(−x) for x ≥ 0 from a table and a cubic Taylor step (relative error below 1e-11), using only
     * IEEE arithmetic so the result is the same on every JVM; 0 beyond x = 48.
     */
    static double expNeg(double x) {
        if (!(x < EXP_MAX)) {
            return 0;
        }
        double t = x * EXP_STEPS;
        int n = (int) t;
        double r = (t - n) / EXP_STEPS;
        return EXP_NEG[n] * (1 - r * (1 - r * (0.5 - r / 6)));
    }

    /** exp(x) for |x| &lt; 48 by {@link #expNeg}. */
    static double exp(double x) {
        return x <= 0 ? expNeg(-x) : 1 / expNeg(x);
    }

    /** Normal CDF. */
    static double phi(double z) {
        if (z <= -PHI_RANGE) {
            return 0;
        }
        if (z >= PHI_RANGE) {
            return 1;
        }
        double t = (z + PHI_RANGE) * (PHI_N / (2 * PHI_RANGE));
        int i = (int) t;
        double w = t - i;
        return PHI[i] + w * (PHI[i + 1] - PHI[i]);
    }
}
