package org.scanline.simulate;

import java.util.SplittableRandom;

/**
 * The sample, before any tip sees it: H:Si(100) terraces (the dimer-row lattice as ten cosine
 * components per terrace, with cos/sin tables along the fast axis), up to two single-atom steps
 * between them with their roughness, and point defects snapped to dimer sites.
 */
final class Surface {
    // Lengths in nm, heights in nm; converted to metres at the end.
    static final double A = 0.384;
    static final double ROW = 2 * A;
    static final double STEP_HEIGHT = 0.136;
    /** Atoms of a dimer sit ±0.15 nm from the row centre, across the row. */
    static final double DIMER_HALF = 0.15;
    private static final double ATOM_WIDTH = 0.07;
    private static final double RIDGE_WIDTH = 0.2;
    private static final double ATOM_AMP = 0.05;
    private static final double RIDGE_AMP = 0.120;
    /** Reciprocal lattice vectors (m along the row in units of 1/a, n across in units of 1/2a). */
    private static final int[] CM = {0, 0, 0, 1, 1, 1, 1, 1, 1, 1};
    private static final int[] CN = {1, 2, 3, 0, 1, -1, 2, -2, 3, -3};
    static final int K = CM.length;
    static final int MAX_TERRACES = 3;
    /** The most defects one scan holds: a quarter of the Gaussians one tip blurs them into. */
    static final int MAX_DEFECTS = ScanRenderer.MAX_GAUSS / 4;

    private final Overrides ov;
    private final Draws draws;
    private final int lines;
    private final int pixels;

    // Terraces: lattice orientation, component wave vectors and base amplitudes.
    int terraceCount;
    final double[][] kx = new double[MAX_TERRACES][K];
    final double[][] ky = new double[MAX_TERRACES][K];
    final double[][] phi0 = new double[MAX_TERRACES][K];
    final double[][] base = new double[MAX_TERRACES][K];
    final double[] terraceAngle = new double[MAX_TERRACES];
    final double[] terraceOx = new double[MAX_TERRACES];
    final double[] terraceOy = new double[MAX_TERRACES];
    /** cos/sin(kx·x_j) tables per terrace, [component * pixels + j]. */
    final double[][] cosTab;
    final double[][] sinTab;

    // Steps.
    int stepCount;
    double stepNx;
    double stepNy;
    final double[] stepC = new double[2];
    boolean stepAlongLines;
    final double[][] stepRough;
    double stairSign;

    // Defects.
    int defectCount;
    final double[] defX = new double[MAX_DEFECTS];
    final double[] defY = new double[MAX_DEFECTS];
    final int[] defType = new int[MAX_DEFECTS];
    final int[] defTerrace = new int[MAX_DEFECTS];
    final double[] defAmp = new double[MAX_DEFECTS];

    Surface(int lines, int pixels, Draws draws, Overrides ov) {
        this.lines = lines;
        this.pixels = pixels;
        this.draws = draws;
        this.ov = ov;
        cosTab = new double[MAX_TERRACES][K * pixels];
        sinTab = new double[MAX_TERRACES][K * pixels];
        stepRough = new double[2][Math.max(lines, pixels)];
    }

    void setUpSteps(SplittableRandom rnd, double size) {
        if (stepCount == 0) {
            return;
        }
        double a = rnd.nextDouble() * 2 * Math.PI;
        stepNx = StrictMath.cos(a);
        stepNy = StrictMath.sin(a);
        stepAlongLines = Math.abs(stepNx) >= Math.abs(stepNy);
        stairSign = rnd.nextBoolean() ? 1 : -1;
        // Offsets measured from the frame centre along the normal; terraces ≥ 3 nm wide.
        double cx = 0.5 * size * (stepNx + stepNy);
        double span = 0.35 * size;
        if (stepCount == 1) {
            stepC[0] = cx + Draws.uniform(rnd, -span, span);
        } else {
            double w = Draws.uniform(rnd, Math.min(3.0, span), Math.max(3.0, 1.2 * span));
            double mid = cx + Draws.uniform(rnd, -0.3 * span, 0.3 * span);
            stepC[0] = mid - w / 2;
            stepC[1] = mid + w / 2;
        }
        int n = stepAlongLines ? lines : pixels;
        double pitch = size / n;
        for (int s = 0; s < stepCount; s++) {
            // S_A steps are smooth; S_B steps are kinked: jumps of one dimer row now and then.
            boolean kinked = (s % 2 == 0) == rnd.nextBoolean();
            double v = 0;
            double slow = 0;
            for (int i = 0; i < n; i++) {
                slow = 0.95 * slow + 0.02 * draws.gauss() * Math.sqrt(pitch);
                if (kinked && rnd.nextDouble() < pitch / 1.5) {
                    v += (rnd.nextBoolean() ? 1 : -1) * ROW;
                    v = Math.max(-1.0, Math.min(1.0, v));
                }
                stepRough[s][i] = v + slow;
            }
        }
    }

    void setUpTerrace(SplittableRandom rnd, int t, double theta, double corrugation, double bias, double dx, double dy) {
        terraceAngle[t] = theta;
        double ux = StrictMath.cos(theta);
        double uy = StrictMath.sin(theta);
        double vx = -uy;
        double vy = ux;
        terraceOx[t] = rnd.nextDouble() * 10;
        terraceOy[t] = rnd.nextDouble() * 10;
        // Empty-state images of H:Si show the rows with somewhat less atomic contrast.
        double atom = ATOM_AMP * corrugation * (bias < 0 ? 1.0 : 0.75);
        double ridge = RIDGE_AMP * corrugation * (bias < 0 ? 1.0 : 0.85);
        for (int k = 0; k < K; k++) {
            double gu = 2 * Math.PI * CM[k] / A;
            double gv = 2 * Math.PI * CN[k] / ROW;
            double kxk = gu * ux + gv * vx;
            double kyk = gu * uy + gv * vy;
            double k2 = gu * gu + gv * gv;
            double structure = 2 * StrictMath.cos(gv * DIMER_HALF);
            double amp = atom * structure * StrictMath.exp(-0.5 * ATOM_WIDTH * ATOM_WIDTH * k2);
            if (CM[k] == 0) {
                amp += ridge * StrictMath.exp(-0.5 * RIDGE_WIDTH * RIDGE_WIDTH * k2);
            }
            amp *= sinc(0.5 * kxk * dx) * sinc(0.5 * kyk * dy);
            kx[t][k] = kxk;
            ky[t][k] = kyk;
            base[t][k] = amp;
            phi0[t][k] = -(kxk * terraceOx[t] + kyk * terraceOy[t]);
            double[] ct = cosTab[t];
            double[] st = sinTab[t];
            int off = k * pixels;
            for (int j = 0; j < pixels; j++) {
                double ph = kxk * j * dx;
                ct[off + j] = FastMath2.cos(ph);
                st[off + j] = FastMath2.sin(ph);
            }
        }
    }

    private static double sinc(double x) {
        return Math.abs(x) < 1e-8 ? 1 : StrictMath.sin(x) / x;
    }

    /** Terrace index of a surface point, ignoring step roughness. */
    int terraceAt(double x, double y) {
        int t = 0;
        for (int s = 0; s < stepCount; s++) {
            if (stepNx * x + stepNy * y > stepC[s]) {
                t = s + 1;
            }
        }
        return t;
    }

    void placeDefect(SplittableRandom rnd, int i, double size, double bias) {
        double x = Draws.uniform(rnd, -0.1, 1.1) * size;
        double y = Draws.uniform(rnd, -0.1, 1.1) * size;
        int t = terraceAt(x, y);
        // Snap to a dimer site of that terrace's lattice.
        double ux = StrictMath.cos(terraceAngle[t]);
        double uy = StrictMath.sin(terraceAngle[t]);
        double rx = x - terraceOx[t];
        double ry = y - terraceOy[t];
        double cu = Math.rint((rx * ux + ry * uy) / A) * A;
        double cv = Math.rint((-rx * uy + ry * ux) / ROW) * ROW;
        double u = rnd.nextDouble();
        int type = u < 0.6 ? 0 : u < 0.9 ? 1 : 2;
        if (ov.defectType() >= 0) {
            type = ov.defectType();
        }
        if (type == 0) {
            cv += rnd.nextBoolean() ? DIMER_HALF : -DIMER_HALF;
        }
        defX[i] = terraceOx[t] + cu * ux - cv * uy;
        defY[i] = terraceOy[t] + cu * uy + cv * ux;
        defType[i] = type;
        defTerrace[i] = t;
        defAmp[i] = switch (type) {
            case 0 -> Draws.uniform(rnd, 0.07, 0.13);
            case 1 -> -Draws.uniform(rnd, 0.06, 0.10);
            default -> Draws.uniform(rnd, 0.15, 0.30);
        };
        if (type == 0 && bias > 0) {
            defAmp[i] = -defAmp[i]; // marks the empty-state halo; resolved in prepareTip
        }
    }
}
