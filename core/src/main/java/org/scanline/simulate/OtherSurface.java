package org.scanline.simulate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A surface that is not H:Si(100), as a sum of three shared ingredients that each kind fills in
 * {@link #draw}: lattice components (cosines with a wave vector, amplitude and phase), Gaussian
 * blobs (atoms, molecules, adsorbates, holes) and straight steps with meandering edges. The tip blur
 * is applied as in the H:Si renderer, analytically: a component of wave vector k is multiplied by
 * exp(−½σ²k²) and the pixel's sinc, a blob's variance grows by σ² plus the pixel's, a step edge
 * becomes a normal-CDF of width σ. {@link #line} evaluates one scan line; the instrument (offsets,
 * tilt, drift, noise, feedback) is added by {@link OtherSurfaces}.
 *
 * <p>Lengths and heights in nm. Not thread-safe; one instance per scan.
 */
abstract class OtherSurface {
    private static final int MAX_COMPONENTS = 64;
    private static final int MAX_STEPS = 12;

    // Lattice components: kx, ky (rad/nm), amplitude (nm), phase.
    private final double[] ck = new double[MAX_COMPONENTS * 4];
    private int components;
    // Blobs: x, y, variance, amplitude (nm).
    private double[] blobs = new double[256 * 4];
    private int blobCount;
    // Steps along a common normal (nx, ny): offset, height, meander amplitude, wavelength, phase.
    private final double[] steps = new double[MAX_STEPS * 5];
    private int stepCount;
    private double stepNx = 1;
    private double stepNy;

    /**
     * Draws the surface of one frame.
     *
     * @param rnd the scan's random stream
     * @param size frame edge, nm; the frame spans [0, size]² (drift may carry it a little beyond)
     */
    abstract void draw(SplittableRandom rnd, double size);

    /** @return true for a tip that no longer images (noise, streaks, saturation): the instrument adds those */
    boolean crashed() {
        return false;
    }

    final void clear() {
        components = 0;
        blobCount = 0;
        stepCount = 0;
    }

    final void component(double kx, double ky, double amp, double phase) {
        if (components < MAX_COMPONENTS) {
            int o = components++ * 4;
            ck[o] = kx;
            ck[o + 1] = ky;
            ck[o + 2] = amp;
            ck[o + 3] = phase;
        }
    }

    /** Adds the first-order components of a lattice given by two real-space basis vectors. */
    final void lattice(double ax, double ay, double bx, double by, double amp, SplittableRandom rnd, int maxOrder) {
        double det = ax * by - ay * bx;
        // Reciprocal basis: a*·a = b*·b = 2π, a*·b = b*·a = 0.
        double asx = 2 * Math.PI * by / det;
        double asy = -2 * Math.PI * bx / det;
        double bsx = -2 * Math.PI * ay / det;
        double bsy = 2 * Math.PI * ax / det;
        double ox = rnd.nextDouble() * 10;
        double oy = rnd.nextDouble() * 10;
        // Higher orders fall off as (k₀/k)²: the first shell carries the corrugation.
        double k0 = Math.min(Math.min(Math.hypot(asx, asy), Math.hypot(bsx, bsy)),
                Math.min(Math.hypot(asx + bsx, asy + bsy), Math.hypot(asx - bsx, asy - bsy)));
        for (int m = 0; m <= maxOrder; m++) {
            for (int n = -maxOrder; n <= maxOrder; n++) {
                if (m == 0 && n <= 0) {
                    continue;
                }
                double kx = m * asx + n * bsx;
                double ky = m * asy + n * bsy;
                double r = k0 * k0 / (kx * kx + ky * ky);
                component(kx, ky, amp * r, -(kx * ox + ky * oy));
            }
        }
    }

    final void blob(double x, double y, double sigma, double amp) {
        if (blobCount * 4 == blobs.length) {
            blobs = Arrays.copyOf(blobs, blobs.length * 2);
        }
        int o = blobCount++ * 4;
        blobs[o] = x;
        blobs[o + 1] = y;
        blobs[o + 2] = sigma * sigma;
        blobs[o + 3] = amp;
    }

    /** Sets the direction every step runs across: the steps are lines of constant n·r. */
    final void stepNormal(double angle) {
        stepNx = StrictMath.cos(angle);
        stepNy = StrictMath.sin(angle);
    }

    final void step(double offset, double height, double meander, double wavelength, double phase) {
        if (stepCount < MAX_STEPS) {
            int o = stepCount++ * 5;
            steps[o] = offset;
            steps[o + 1] = height;
            steps[o + 2] = meander;
            steps[o + 3] = wavelength;
            steps[o + 4] = phase;
        }
    }

    /** Forgets the steps (tests measure the lattice of one terrace). */
    final void dropSteps() {
        stepCount = 0;
    }

    final int blobCount() {
        return blobCount;
    }

    /**
     * Heights of one line as the tip sees them.
     *
     * @param out pixels heights, nm (overwritten)
     * @param ox x of pixel 0, nm
     * @param y y of the line, nm
     * @param dx pixel size along the line, nm
     * @param dy line spacing, nm (for the pixel average across the line)
     * @param sigma tip apex width, nm
     */
    final void line(double[] out, double ox, double y, double dx, double dy, double sigma) {
        int pixels = out.length;
        Arrays.fill(out, 0);
        double s2 = sigma * sigma;
        for (int c = 0; c < components; c++) {
            int o = c * 4;
            double kx = ck[o];
            double ky = ck[o + 1];
            double amp = ck[o + 2] * Math.exp(-0.5 * s2 * (kx * kx + ky * ky)) * sinc(0.5 * kx * dx) * sinc(0.5 * ky * dy);
            if (Math.abs(amp) < 1e-6) {
                continue;
            }
            double ph = kx * ox + ky * y + ck[o + 3];
            double step = kx * dx;
            for (int j = 0; j < pixels; j++) {
                out[j] += amp * FastMath2.cos(ph + j * step);
            }
        }
        double pix = (dx * dx + dy * dy) / 24;
        for (int b = 0; b < blobCount; b++) {
            int o = b * 4;
            double v = blobs[o + 2] + s2 + pix;
            double ddy = y - blobs[o + 1];
            if (ddy * ddy > 16 * v) {
                continue;
            }
            // Volume kept: a blurred blob is lower and wider.
            double amp = blobs[o + 3] * blobs[o + 2] / v * Math.exp(-0.5 * ddy * ddy / v);
            double half = 4 * Math.sqrt(v);
            int j0 = Math.max(0, (int) Math.ceil((blobs[o] - half - ox) / dx));
            int j1 = Math.min(pixels - 1, (int) Math.floor((blobs[o] + half - ox) / dx));
            for (int j = j0; j <= j1; j++) {
                double ddx = ox + j * dx - blobs[o];
                out[j] += amp * FastMath2.expNeg(0.5 * ddx * ddx / v);
            }
        }
        if (stepCount > 0) {
            double w = 1 / Math.sqrt(s2 + dx * dx / 12);
            double tx = -stepNy;
            double ty = stepNx;
            for (int j = 0; j < pixels; j++) {
                double x = ox + j * dx;
                double d = stepNx * x + stepNy * y;
                double t = tx * x + ty * y;
                double h = 0;
                for (int s = 0; s < stepCount; s++) {
                    int o = s * 5;
                    double edge = steps[o] + steps[o + 2] * FastMath2.sin(2 * Math.PI * t / steps[o + 3] + steps[o + 4]);
                    h += steps[o + 1] * FastMath2.phi((d - edge) * w);
                }
                out[j] += h;
            }
        }
        pattern(out, ox, y, dx, sigma);
    }

    /**
     * A pattern a kind cannot write as components, blobs or steps (zigzag ridges, masked domains),
     * added to the line after them; nothing by default.
     */
    void pattern(double[] out, double ox, double y, double dx, double sigma) {
    }

    static double sinc(double x) {
        return Math.abs(x) < 1e-8 ? 1 : Math.sin(x) / x;
    }

    /** Adds 0–{@code max} parallel steps of the given height across the frame, edges meandering. */
    final void randomSteps(SplittableRandom rnd, double size, int max, double height) {
        int n = rnd.nextInt(max + 1);
        stepNormal(rnd.nextDouble() * 2 * Math.PI);
        double sign = rnd.nextBoolean() ? 1 : -1;
        double centre = 0.5 * size * (stepNx + stepNy);
        for (int s = 0; s < n; s++) {
            double offset = centre + Draws.uniform(rnd, -0.45, 0.45) * size;
            step(offset, sign * height, Draws.uniform(rnd, 0, 0.08) * size, Draws.uniform(rnd, 0.3, 1.5) * size,
                    rnd.nextDouble() * 2 * Math.PI);
        }
    }

    /** Scatters point defects: {@code count} blobs of width and height drawn from the ranges. */
    final void scatter(SplittableRandom rnd, double size, int count, double sigmaLo, double sigmaHi, double ampLo,
            double ampHi) {
        for (int i = 0; i < count; i++) {
            blob(Draws.uniform(rnd, -0.1, 1.1) * size, Draws.uniform(rnd, -0.1, 1.1) * size,
                    Draws.uniform(rnd, sigmaLo, sigmaHi), Draws.uniform(rnd, ampLo, ampHi));
        }
    }

    /** The two basis vectors of a hexagonal lattice of constant a at a random angle: {ax, ay, bx, by}. */
    static double[] hexBasis(SplittableRandom rnd, double a) {
        double t = rnd.nextDouble() * Math.PI / 3;
        return new double[] {a * StrictMath.cos(t), a * StrictMath.sin(t), a * StrictMath.cos(t + Math.PI / 3),
            a * StrictMath.sin(t + Math.PI / 3)};
    }
}
