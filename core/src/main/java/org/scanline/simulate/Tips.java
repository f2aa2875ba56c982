package org.scanline.simulate;

import java.util.SplittableRandom;

/**
 * The tip model: the apex configurations of one scan, each a Gaussian point-spread (σ, anisotropy
 * and its angle, as a covariance) plus up to three ghost apices with their offsets and weights. A
 * stable tip state is one configuration; an unstable one is 2–3 the scan flips between.
 */
final class Tips {
    /** σ bands (nm) per tip class 0–2 as in GENERATOR.md; class 3 draws from the whole range. */
    static final double[][] SIGMA_BAND = {{0.030, 0.085}, {0.075, 0.160}, {0.140, 0.290}};
    static final int MAX_TIPS = 8;
    static final int MAX_GHOSTS = 3;

    private final double bandScale;

    int count;
    final int[] state = new int[MAX_TIPS];
    /** Point-spread covariance (nm²). */
    final double[] sxx = new double[MAX_TIPS];
    final double[] sxy = new double[MAX_TIPS];
    final double[] syy = new double[MAX_TIPS];
    final int[] ghosts = new int[MAX_TIPS];
    /** Ghost offsets (nm) and weights, [tip][ghost]. */
    final double[][] gx = new double[MAX_TIPS][MAX_GHOSTS];
    final double[][] gy = new double[MAX_TIPS][MAX_GHOSTS];
    final double[][] gw = new double[MAX_TIPS][MAX_GHOSTS];
    final double[] sigma = new double[MAX_TIPS];
    final double[] aniso = new double[MAX_TIPS];
    final double[] anisoAngle = new double[MAX_TIPS];

    /** @param bandScale how wide the σ bands are around their centres (1 = GENERATOR.md) */
    Tips(double bandScale) {
        this.bandScale = bandScale;
    }

    void clear() {
        count = 0;
    }

    /** Replaces tip t's σ (isotropic) and first ghost by the overrides' values, where they set them. */
    void override(int t, Overrides ov) {
        if (!Double.isNaN(ov.sigmaNm())) {
            double s2 = ov.sigmaNm() * ov.sigmaNm();
            sigma[t] = ov.sigmaNm();
            aniso[t] = 1;
            sxx[t] = s2;
            syy[t] = s2;
            sxy[t] = 0;
        }
        if (!Double.isNaN(ov.ghostDx())) {
            ghosts[t] = 1;
            gx[t][0] = ov.ghostDx();
            gy[t][0] = ov.ghostDy();
            gw[t][0] = ov.ghostWeight();
        }
    }

    /** @return 1 + the ghost weights of tip t: what its apex and ghosts are normalised by */
    double weightSum(int t) {
        double wsum = 1;
        for (int g = 0; g < ghosts[t]; g++) {
            wsum += gw[t][g];
        }
        return wsum;
    }

    /** Adds the tip(s) of one tip state; an unstable tip is 2–3 apex configurations it flips between. */
    int add(SplittableRandom rnd, int tipState) {
        int n = tipState == 3 ? 2 + rnd.nextInt(2) : 1;
        for (int i = 0; i < n; i++) {
            draw(rnd, count++, tipState);
        }
        return n;
    }

    private void draw(SplittableRandom rnd, int t, int tipState) {
        double lo;
        double hi;
        if (tipState < 3) {
            double l = StrictMath.log(SIGMA_BAND[tipState][0]);
            double h = StrictMath.log(SIGMA_BAND[tipState][1]);
            double mid = 0.5 * (l + h);
            double half = 0.5 * (h - l) * bandScale;
            lo = mid - half;
            hi = mid + half;
        } else {
            lo = StrictMath.log(0.03);
            hi = StrictMath.log(0.3);
        }
        double sig = StrictMath.exp(Draws.uniform(rnd, lo, hi));
        double an = 1;
        int nGhosts = 0;
        switch (tipState) {
            case 0 -> an = Draws.uniform(rnd, 1.0, 1.2);
            case 1 -> {
                double u = rnd.nextDouble();
                if (u < 0.45) {
                    an = Draws.uniform(rnd, 1.2, 2.0);
                } else if (u < 0.85) {
                    an = Draws.uniform(rnd, 1.0, 1.4);
                    nGhosts = 1;
                } else {
                    an = Draws.uniform(rnd, 1.0, 1.3);
                }
            }
            case 2 -> an = Draws.uniform(rnd, 1.0, 1.5);
            default -> {
                an = Draws.uniform(rnd, 1.0, 2.0);
                nGhosts = rnd.nextInt(MAX_GHOSTS + 1);
            }
        }
        double phi = rnd.nextDouble() * Math.PI;
        double s1 = sig * sig;
        double s2 = s1 / (an * an);
        double c = StrictMath.cos(phi);
        double s = StrictMath.sin(phi);
        state[t] = tipState;
        sigma[t] = sig;
        aniso[t] = an;
        anisoAngle[t] = phi;
        sxx[t] = s1 * c * c + s2 * s * s;
        syy[t] = s1 * s * s + s2 * c * c;
        sxy[t] = (s1 - s2) * c * s;
        ghosts[t] = nGhosts;
        for (int g = 0; g < nGhosts; g++) {
            double r = Draws.uniform(rnd, 0.3, 1.5);
            double a = rnd.nextDouble() * 2 * Math.PI;
            gx[t][g] = r * StrictMath.cos(a);
            gy[t][g] = r * StrictMath.sin(a);
            gw[t][g] = Draws.uniform(rnd, 0.2, 0.8);
        }
    }
}
