package org.scanline.simulate;

import java.util.Arrays;

/**
 * Renders a scan line by line: what each tip makes of the surface (the lattice components' blur
 * and ghost factors, each defect as Gaussians convolved with the tip), then per line the terraces
 * blended across the steps, the defects, the streaks, the feedback loop's ringing, tilt, line
 * offsets and white and pink noise. The line schedule (which tip, where, offset, streak) is filled
 * in by {@link ScanGenerator} before {@link #render}.
 */
final class ScanRenderer {
    static final int MAX_GAUSS = 1024;
    private static final int PINK_OCTAVES = 10;

    private final Tips tips;
    private final Surface surface;
    private final Draws draws;
    private final int lines;
    private final int pixels;

    /** Complex amplitude per (tip, terrace, component) after blur and ghosts. */
    private final double[][][] ampRe = new double[Tips.MAX_TIPS][Surface.MAX_TERRACES][Surface.K];
    private final double[][][] ampIm = new double[Tips.MAX_TIPS][Surface.MAX_TERRACES][Surface.K];
    /** Defects blurred by each tip: [tip][g * 7 + (xc, yc, p11, p12, p22, amp, y extent)]. */
    private final int[] gaussCount = new int[Tips.MAX_TIPS];
    private final double[][] blurred = new double[Tips.MAX_TIPS][MAX_GAUSS * 7];

    // The line schedule: tip, scan origin, offset and streak of every line.
    final int[] lineTip;
    final double[] lineOx;
    final double[] lineOy;
    final double[] lineOffset;
    final int[] streakStart;
    final int[] streakEnd;
    final double[] streakHeight;

    // Scratch rows.
    private final double[] row;
    private final double[][] latRow;
    private final double[][] stepW;
    private final double[] pinkRows = new double[PINK_OCTAVES];

    ScanRenderer(int lines, int pixels, Tips tips, Surface surface, Draws draws) {
        this.lines = lines;
        this.pixels = pixels;
        this.tips = tips;
        this.surface = surface;
        this.draws = draws;
        lineTip = new int[lines];
        lineOx = new double[lines];
        lineOy = new double[lines];
        lineOffset = new double[lines];
        streakStart = new int[lines];
        streakEnd = new int[lines];
        streakHeight = new double[lines];
        row = new double[pixels];
        latRow = new double[Surface.MAX_TERRACES][pixels];
        stepW = new double[2][pixels];
    }

    /** Blurs every defect with tip t (and its ghosts) into the Gaussian list of that tip. */
    void prepareTip(int t, double dx, double dy) {
        double wsum = tips.weightSum(t);
        // Lattice: blur and ghost factor per component and terrace.
        for (int r = 0; r < surface.terraceCount; r++) {
            for (int k = 0; k < Surface.K; k++) {
                double kxk = surface.kx[r][k];
                double kyk = surface.ky[r][k];
                double blur = StrictMath.exp(-0.5 * (kxk * kxk * tips.sxx[t] + 2 * kxk * kyk * tips.sxy[t]
                        + kyk * kyk * tips.syy[t]));
                double re = 1;
                double im = 0;
                for (int g = 0; g < tips.ghosts[t]; g++) {
                    double ph = -(kxk * tips.gx[t][g] + kyk * tips.gy[t][g]);
                    re += tips.gw[t][g] * StrictMath.cos(ph);
                    im += tips.gw[t][g] * StrictMath.sin(ph);
                }
                double a = surface.base[r][k] * blur / wsum;
                ampRe[t][r][k] = a * re;
                ampIm[t][r][k] = a * im;
            }
        }
        int n = 0;
        double[] out = blurred[t];
        double pix = (dx * dx + dy * dy) / 24;
        for (int i = 0; i < surface.defectCount; i++) {
            double th = surface.terraceAngle[surface.defTerrace[i]];
            double along;
            double across;
            double amp = surface.defAmp[i];
            boolean halo = false;
            switch (surface.defType[i]) {
                case 0 -> {
                    along = 0.40;
                    across = 0.40;
                    if (amp < 0) {
                        amp = -amp;
                        halo = true;
                    }
                }
                case 1 -> {
                    along = 0.17;
                    across = 0.30;
                }
                default -> {
                    along = 0.55;
                    across = 0.55;
                }
            }
            for (int pass = 0; pass < (halo ? 2 : 1); pass++) {
                double a2 = pass == 0 ? along * along : 4 * along * along;
                double c2 = pass == 0 ? across * across : 4 * across * across;
                double h = pass == 0 ? amp : -0.35 * amp;
                double c = StrictMath.cos(th);
                double s = StrictMath.sin(th);
                double dxx = a2 * c * c + c2 * s * s;
                double dyy = a2 * s * s + c2 * c * c;
                double dxy = (a2 - c2) * c * s;
                double sxx = dxx + tips.sxx[t] + pix;
                double syy = dyy + tips.syy[t] + pix;
                double sxy = dxy + tips.sxy[t];
                double det = sxx * syy - sxy * sxy;
                double scale = Math.sqrt((dxx * dyy - dxy * dxy) / det);
                for (int g = -1; g < tips.ghosts[t] && n < MAX_GAUSS; g++) {
                    double w = (g < 0 ? 1 : tips.gw[t][g]) / wsum;
                    int o = n * 7;
                    out[o] = surface.defX[i] + (g < 0 ? 0 : tips.gx[t][g]);
                    out[o + 1] = surface.defY[i] + (g < 0 ? 0 : tips.gy[t][g]);
                    out[o + 2] = syy / det;
                    out[o + 3] = -sxy / det;
                    out[o + 4] = sxx / det;
                    out[o + 5] = h * scale * w;
                    out[o + 6] = 4 * Math.sqrt(syy);
                    n++;
                }
            }
        }
        gaussCount[t] = n;
    }

    /**
     * @param backward render the backward trace: the tip moves right to left, so the feedback rings
     *     and the noise runs in that order; the image is still stored with pixel 0 at the left
     */
    void render(float[] image, double dx, double tiltX, double tiltY, double white,
            double pink, double ringGain, double ringDecay, double ringPeriod, boolean backward) {
        double rho = StrictMath.exp(-1 / ringDecay);
        double a1 = 2 * rho * StrictMath.cos(2 * Math.PI / ringPeriod);
        double a2 = -rho * rho;
        Arrays.fill(pinkRows, 0);
        for (int o = 0; o < PINK_OCTAVES; o++) {
            pinkRows[o] = draws.gauss();
        }
        double pinkSum = 0;
        for (double v : pinkRows) {
            pinkSum += v;
        }
        double pinkScale = pink / Math.sqrt(PINK_OCTAVES);
        long sample = 0;
        boolean[] need = new boolean[Surface.MAX_TERRACES];
        for (int l = 0; l < lines; l++) {
            int t = lineTip[l];
            double ox = lineOx[l];
            double y = lineOy[l];
            // Step weights and which terraces this line touches.
            Arrays.fill(need, false);
            if (surface.stepCount == 0) {
                need[0] = true;
            } else {
                stepWeights(t, l, ox, y, dx);
                for (int j = 0; j < pixels; j++) {
                    double w1 = stepW[0][j];
                    double w2 = surface.stepCount > 1 ? stepW[1][j] : 0;
                    if (w1 < 1) {
                        need[0] = true;
                    }
                    if (w1 > w2) {
                        need[1] = true;
                    }
                    if (w2 > 0) {
                        need[2] = true;
                    }
                }
            }
            for (int r = 0; r < surface.terraceCount; r++) {
                if (need[r]) {
                    latticeRow(t, r, ox, y, latRow[r]);
                }
            }
            if (surface.stepCount == 0) {
                System.arraycopy(latRow[0], 0, row, 0, pixels);
            } else {
                double[] w1 = stepW[0];
                double[] w2 = surface.stepCount > 1 ? stepW[1] : null;
                for (int j = 0; j < pixels; j++) {
                    double a = w1[j];
                    double b = w2 == null ? 0 : w2[j];
                    double v = Surface.STEP_HEIGHT * surface.stairSign * (a + b);
                    if (a < 1) {
                        v += (1 - a) * latRow[0][j];
                    }
                    if (a > b) {
                        v += (a - b) * latRow[1][j];
                    }
                    if (b > 0) {
                        v += b * latRow[2][j];
                    }
                    row[j] = v;
                }
            }
            addDefects(t, ox, y, dx);
            if (streakEnd[l] > streakStart[l]) {
                double h = streakHeight[l];
                for (int j = streakStart[l]; j < streakEnd[l]; j++) {
                    row[j] += h + 0.2 * Math.abs(h) * draws.gauss();
                }
            }
            // Feedback: a damped second-order response to every height change along the fast axis.
            double s1 = 0;
            double s2 = 0;
            double prev = row[backward ? pixels - 1 : 0];
            double ty = tiltY * ((l + 0.5) / lines - 0.5) + lineOffset[l];
            double txStep = tiltX / pixels;
            double tx0 = -0.5 * tiltX + 0.5 * txStep;
            int base = l * pixels;
            for (int jj = 0; jj < pixels; jj++) {
                int j = backward ? pixels - 1 - jj : jj;
                double h = row[j];
                double s = a1 * s1 + a2 * s2 + ringGain * (h - prev);
                s2 = s1;
                s1 = s;
                prev = h;
                sample++;
                int oct = Long.numberOfTrailingZeros(sample);
                if (oct < PINK_OCTAVES) {
                    double nv = draws.gauss();
                    pinkSum += nv - pinkRows[oct];
                    pinkRows[oct] = nv;
                }
                double z = h + s + ty + tx0 + j * txStep + white * draws.gauss() + pinkScale * pinkSum;
                image[base + j] = (float) (z * 1e-9);
            }
        }
    }

    private void stepWeights(int t, int l, double ox, double y, double dx) {
        double nx = surface.stepNx;
        double ny = surface.stepNy;
        double sn = Math.sqrt(nx * nx * tips.sxx[t] + 2 * nx * ny * tips.sxy[t] + ny * ny * tips.syy[t] + dx * dx / 12);
        double inv = 1 / sn;
        double wsum = tips.weightSum(t);
        for (int s = 0; s < surface.stepCount; s++) {
            double[] w = stepW[s];
            double c0 = surface.stepC[s] - nx * ox - ny * y;
            double rl = surface.stepAlongLines ? surface.stepRough[s][l] : 0;
            double[] rough = surface.stepRough[s];
            for (int j = 0; j < pixels; j++) {
                double d = nx * j * dx - c0 - (surface.stepAlongLines ? rl : rough[j]);
                double v = FastMath2.phi(d * inv);
                if (tips.ghosts[t] > 0) {
                    v /= wsum;
                    for (int g = 0; g < tips.ghosts[t]; g++) {
                        double dg = d - nx * tips.gx[t][g] - ny * tips.gy[t][g];
                        v += tips.gw[t][g] / wsum * FastMath2.phi(dg * inv);
                    }
                }
                w[j] = v;
            }
        }
    }

    private void latticeRow(int t, int r, double ox, double y, double[] out) {
        Arrays.fill(out, 0);
        double[] ct = surface.cosTab[r];
        double[] st = surface.sinTab[r];
        double[] are = ampRe[t][r];
        double[] aim = ampIm[t][r];
        for (int k = 0; k < Surface.K; k++) {
            double ph = surface.kx[r][k] * ox + surface.ky[r][k] * y + surface.phi0[r][k];
            double c = FastMath2.cos(ph);
            double s = FastMath2.sin(ph);
            double zr = are[k] * c - aim[k] * s;
            double zi = are[k] * s + aim[k] * c;
            int off = k * pixels;
            for (int j = 0; j < pixels; j++) {
                out[j] += zr * ct[off + j] - zi * st[off + j];
            }
        }
    }

    private void addDefects(int t, double ox, double y, double dx) {
        double[] g = blurred[t];
        int n = gaussCount[t];
        for (int i = 0; i < n; i++) {
            int o = i * 7;
            double dyv = y - g[o + 1];
            if (Math.abs(dyv) > g[o + 6]) {
                continue;
            }
            double p11 = g[o + 2];
            double p12 = g[o + 3];
            double p22 = g[o + 4];
            double xc = g[o] - p12 / p11 * dyv;
            double f = g[o + 5] * FastMath2.expNeg(0.5 * (p22 - p12 * p12 / p11) * dyv * dyv);
            double half = 4 / Math.sqrt(p11);
            int j0 = Math.max(0, (int) Math.ceil((xc - half - ox) / dx));
            int j1 = Math.min(pixels - 1, (int) Math.floor((xc + half - ox) / dx));
            if (j0 > j1) {
                continue;
            }
            double t0 = j0 * dx + ox - xc;
            double v = f * FastMath2.expNeg(0.5 * p11 * t0 * t0);
            double ratio = FastMath2.exp(-0.5 * p11 * (2 * t0 * dx + dx * dx));
            double q = FastMath2.expNeg(p11 * dx * dx);
            for (int j = j0; j <= j1; j++) {
                row[j] += v;
                v *= ratio;
                ratio *= q;
            }
        }
    }
}
