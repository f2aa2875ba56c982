package org.scanline.simulate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws and renders one scan. Not thread-safe: each worker thread owns one generator, whose
 * scratch arrays are reused from scan to scan; the output depends only on (seed, index).
 *
 * <p>Everything is analytic, so no convolution is ever computed: the lattice is a sum of ten
 * cosines whose amplitudes carry the tip blur exp(−½ kᵀΣk), the pixel area average (a sinc per
 * axis) and the ghosts (a complex factor per component); defects are Gaussians whose covariance is
 * the defect's plus the tip's; steps are normal-CDF edges of the tip's width along the step normal.
 * Per pixel this leaves a few multiply-adds per cosine, from separable tables.
 */
final class ScanGenerator {
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

    /** σ bands (nm) per tip class 0–2 as in GENERATOR.md; class 3 draws from the whole range. */
    static final double[][] SIGMA_BAND = {{0.030, 0.085}, {0.075, 0.160}, {0.140, 0.290}};
    private static final int MAX_TIPS = 8;
    private static final int MAX_GHOSTS = 3;
    private static final int MAX_TERRACES = 3;
    private static final int MAX_GAUSS = 1024;
    private static final int PINK_OCTAVES = 10;

    private final SimulatorConfig cfg;
    private final Overrides ov;
    private final int lines;
    private final int pixels;
    private final double bandScale;
    private final double noiseScale;

    // Tips.
    private int tipCount;
    private final int[] tipState = new int[MAX_TIPS];
    private final double[] tSxx = new double[MAX_TIPS];
    private final double[] tSxy = new double[MAX_TIPS];
    private final double[] tSyy = new double[MAX_TIPS];
    private final int[] tGhosts = new int[MAX_TIPS];
    private final double[][] tGx = new double[MAX_TIPS][MAX_GHOSTS];
    private final double[][] tGy = new double[MAX_TIPS][MAX_GHOSTS];
    private final double[][] tGw = new double[MAX_TIPS][MAX_GHOSTS];
    private final double[] tSigma = new double[MAX_TIPS];
    private final double[] tAniso = new double[MAX_TIPS];
    private final double[] tAnisoAngle = new double[MAX_TIPS];

    // Terraces: lattice orientation, component wave vectors and base amplitudes.
    private int terraceCount;
    private final double[][] kx = new double[MAX_TERRACES][K];
    private final double[][] ky = new double[MAX_TERRACES][K];
    private final double[][] phi0 = new double[MAX_TERRACES][K];
    private final double[][] base = new double[MAX_TERRACES][K];
    private final double[] terraceAngle = new double[MAX_TERRACES];
    private final double[] terraceOx = new double[MAX_TERRACES];
    private final double[] terraceOy = new double[MAX_TERRACES];
    /** Complex amplitude per (tip, terrace, component) after blur and ghosts. */
    private final double[][][] ampRe = new double[MAX_TIPS][MAX_TERRACES][K];
    private final double[][][] ampIm = new double[MAX_TIPS][MAX_TERRACES][K];
    /** cos/sin(kx·x_j) tables per terrace, [component * pixels + j]. */
    private final double[][] cosTab;
    private final double[][] sinTab;

    // Steps.
    private int stepCount;
    private double stepNx;
    private double stepNy;
    private final double[] stepC = new double[2];
    private boolean stepAlongLines;
    private final double[][] stepRough;
    private double stairSign;

    // Defects: gaussians per tip, flattened [tip][g * 6 + (xc, yc, p11, p12, p22, amp)] plus marginal y extent.
    private final int[] gaussCount = new int[MAX_TIPS];
    private final double[][] gauss = new double[MAX_TIPS][MAX_GAUSS * 7];
    private int defectCount;
    private final double[] defX = new double[MAX_GAUSS / 4];
    private final double[] defY = new double[MAX_GAUSS / 4];
    private final int[] defType = new int[MAX_GAUSS / 4];
    private final int[] defTerrace = new int[MAX_GAUSS / 4];
    private final double[] defAmp = new double[MAX_GAUSS / 4];

    // Per line.
    private final int[] lineTip;
    private final double[] lineOx;
    private final double[] lineOy;
    private final double[] lineOffset;
    private final int[] streakStart;
    private final int[] streakEnd;
    private final double[] streakHeight;
    private final byte[] lineStates;

    // Scratch rows.
    private final double[] row;
    private final double[][] latRow;
    private final double[][] stepW;
    private final double[] pinkRows = new double[PINK_OCTAVES];
    private long rngState;
    private int gaussLeft;

    ScanGenerator(SimulatorConfig cfg) {
        this(cfg, Overrides.NONE);
    }

    ScanGenerator(SimulatorConfig cfg, Overrides ov) {
        this.cfg = cfg;
        this.ov = ov;
        this.lines = cfg.lines();
        this.pixels = cfg.pixels();
        this.bandScale = 0.5 + 0.5 * cfg.difficulty();
        this.noiseScale = 0.5 + 0.5 * cfg.difficulty();
        cosTab = new double[MAX_TERRACES][K * pixels];
        sinTab = new double[MAX_TERRACES][K * pixels];
        stepRough = new double[2][Math.max(lines, pixels)];
        lineTip = new int[lines];
        lineOx = new double[lines];
        lineOy = new double[lines];
        lineOffset = new double[lines];
        streakStart = new int[lines];
        streakEnd = new int[lines];
        streakHeight = new double[lines];
        lineStates = new byte[lines];
        row = new double[pixels];
        latRow = new double[MAX_TERRACES][pixels];
        stepW = new double[2][pixels];
    }

    /** Mixes (seed, index) into the seed of one scan's random stream. */
    static long scanSeed(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    SimulatedScan generate(long seed, long index) {
        SplittableRandom rnd = new SplittableRandom(scanSeed(seed, index));
        rngState = rnd.nextLong() | 1L;
        gaussLeft = 0;
        ScanParameters.Builder p = new ScanParameters.Builder();
        float[] image = new float[lines * pixels];

        int labelTrue = drawClass(rnd);
        if (ov.tipClass() >= 0) {
            labelTrue = ov.tipClass();
        }
        double size = StrictMath.exp(uniform(rnd, StrictMath.log(8), StrictMath.log(25)));
        if (!Double.isNaN(ov.sizeNm())) {
            size = ov.sizeNm();
        }
        double dx = size / pixels;
        double dy = size / lines;
        double angle = rnd.nextDouble() * Math.PI;
        if (!Double.isNaN(ov.angleDeg())) {
            angle = Math.toRadians(ov.angleDeg());
        }
        double bias = rnd.nextDouble() < 0.7 ? -1 : 1;
        p.set(Parameter.SCAN_SIZE_NM, size).set(Parameter.ANGLE_DEG, Math.toDegrees(angle)).set(Parameter.BIAS_SIGN, bias);

        // Tip history: one or two segments of tip states.
        tipCount = 0;
        int changeLine = -1;
        int stateA = labelTrue;
        int stateB = -1;
        boolean change = rnd.nextDouble() < 0.4;
        if (ov.forceChange() != null) {
            change = ov.forceChange();
        }
        if (labelTrue == 3 && change) {
            changeLine = 10 + rnd.nextInt(lines - 19);
            stateA = rnd.nextInt(4);
            stateB = (stateA + 1 + rnd.nextInt(3)) % 4;
        }
        boolean anyUnstable = stateA == 3 || stateB == 3;
        int firstA = tipCount;
        int nA = addTips(rnd, stateA);
        if (!Double.isNaN(ov.sigmaNm())) {
            double s2 = ov.sigmaNm() * ov.sigmaNm();
            tSigma[firstA] = ov.sigmaNm();
            tAniso[firstA] = 1;
            tSxx[firstA] = s2;
            tSyy[firstA] = s2;
            tSxy[firstA] = 0;
        }
        if (!Double.isNaN(ov.ghostDx())) {
            tGhosts[firstA] = 1;
            tGx[firstA][0] = ov.ghostDx();
            tGy[firstA][0] = ov.ghostDy();
            tGw[firstA][0] = ov.ghostWeight();
        }
        int firstB = tipCount;
        int nB = stateB >= 0 ? addTips(rnd, stateB) : 0;
        double switchProb = anyUnstable ? uniform(rnd, 0.03, 0.2) : 0;
        int cur = firstA;
        for (int l = 0; l < lines; l++) {
            boolean second = changeLine >= 0 && l >= changeLine;
            int first = second ? firstB : firstA;
            int n = second ? nB : nA;
            if (l == 0 || (second && l == changeLine)) {
                cur = first;
            } else if (n > 1 && rnd.nextDouble() < switchProb) {
                cur = first + rnd.nextInt(n);
            }
            lineTip[l] = cur;
            lineStates[l] = (byte) (second ? stateB : stateA);
        }
        p.set(Parameter.TIP_STATE, stateA).set(Parameter.SIGMA_NM, tSigma[firstA]).set(Parameter.ANISOTROPY, tAniso[firstA])
                .set(Parameter.ANISOTROPY_ANGLE_DEG, Math.toDegrees(tAnisoAngle[firstA]))
                .set(Parameter.GHOSTS, tGhosts[firstA]);
        if (tGhosts[firstA] > 0) {
            p.set(Parameter.GHOST_DX_NM, tGx[firstA][0]).set(Parameter.GHOST_DY_NM, tGy[firstA][0])
                    .set(Parameter.GHOST_WEIGHT, tGw[firstA][0]);
        }
        double jump = 0;
        if (changeLine >= 0) {
            jump = (rnd.nextBoolean() ? 1 : -1) * uniform(rnd, 0.05, 0.3);
            p.set(Parameter.TIP_STATE_AFTER, stateB).set(Parameter.SIGMA_AFTER_NM, tSigma[firstB])
                    .set(Parameter.JUMP_PM, jump * 1000);
        }

        // Surface: terraces, steps, defects.
        double corrugation = uniform(rnd, 0.7, 1.3);
        if (!Double.isNaN(ov.corrugation())) {
            corrugation = ov.corrugation();
        }
        p.set(Parameter.CORRUGATION_SCALE, corrugation);
        double u = rnd.nextDouble();
        stepCount = u < 0.5 ? 0 : u < 0.85 ? 1 : 2;
        if (ov.steps() >= 0) {
            stepCount = ov.steps();
        }
        terraceCount = stepCount + 1;
        setUpSteps(rnd, size);
        for (int t = 0; t < terraceCount; t++) {
            setUpTerrace(rnd, t, angle + t * Math.PI / 2, corrugation, bias, dx, dy);
        }
        p.set(Parameter.STEPS, stepCount);
        double density = uniform(rnd, 0.01, 0.05);
        defectCount = Math.min(defX.length, poisson(rnd, density * size * size));
        if (ov.defects() >= 0) {
            defectCount = ov.defects();
        }
        for (int i = 0; i < defectCount; i++) {
            placeDefect(rnd, i, size, bias);
        }
        p.set(Parameter.DEFECTS, defectCount);
        for (int t = 0; t < tipCount; t++) {
            prepareTip(t, dx, dy);
        }

        // Instrument.
        double white = (anyUnstable ? uniform(rnd, 0.008, 0.040) : uniform(rnd, 0.002, 0.010)) * noiseScale;
        double pink = (anyUnstable ? uniform(rnd, 0.003, 0.020) : uniform(rnd, 0.001, 0.008)) * noiseScale;
        double walk = uniform(rnd, 0.010, 0.100);
        double tiltMag = rnd.nextDouble() * 2.0;
        double tiltDir = rnd.nextDouble() * 2 * Math.PI;
        double tiltX = tiltMag * StrictMath.cos(tiltDir);
        double tiltY = tiltMag * StrictMath.sin(tiltDir);
        double driftMag = uniform(rnd, 0.002, 0.02);
        double driftDir = rnd.nextDouble() * 2 * Math.PI;
        double driftX = driftMag * StrictMath.cos(driftDir);
        double driftY = driftMag * StrictMath.sin(driftDir);
        double creep = (rnd.nextBoolean() ? 1 : -1) * uniform(rnd, 0.1, 0.8);
        double creepLines = uniform(rnd, 10, 30) / 3;
        double ringGain = uniform(rnd, 0.1, 0.5);
        double ringDecay = uniform(rnd, 2, 6);
        double ringPeriod = uniform(rnd, 4, 12);
        if (ov.quiet()) {
            white = 0;
            pink = 0;
            walk = 0;
            tiltX = 0;
            tiltY = 0;
            driftX = 0;
            driftY = 0;
            creep = 0;
            ringGain = 0;
        }
        p.set(Parameter.WHITE_NOISE_PM, white * 1000).set(Parameter.PINK_NOISE_PM, pink * 1000)
                .set(Parameter.LINE_WALK_PM, walk * 1000).set(Parameter.TILT_X_NM, tiltX).set(Parameter.TILT_Y_NM, tiltY)
                .set(Parameter.DRIFT_X_NM, driftX).set(Parameter.DRIFT_Y_NM, driftY).set(Parameter.CREEP_NM, creep)
                .set(Parameter.CREEP_LINES, creepLines).set(Parameter.RING_GAIN, ringGain)
                .set(Parameter.RING_DECAY_PX, ringDecay).set(Parameter.RING_PERIOD_PX, ringPeriod);

        double offset = 0;
        double streakFraction = anyUnstable ? uniform(rnd, 0.03, 0.25) : 0;
        int streaks = 0;
        for (int l = 0; l < lines; l++) {
            double e = StrictMath.exp(-l / creepLines);
            lineOx[l] = driftX * l + creep * e;
            lineOy[l] = l * dy + driftY * l + 0.3 * creep * e;
            offset += walk * gauss();
            lineOffset[l] = offset + (changeLine >= 0 && l >= changeLine ? jump : 0);
            streakStart[l] = 0;
            streakEnd[l] = 0;
            if (lineStates[l] == 3 && rnd.nextDouble() < streakFraction && !ov.quiet()) {
                streakStart[l] = rnd.nextInt(pixels);
                streakEnd[l] = rnd.nextDouble() < 0.5 ? pixels
                        : Math.min(pixels, streakStart[l] + 3 + rnd.nextInt(Math.max(1, pixels / 2)));
                streakHeight[l] = (rnd.nextDouble() < 0.75 ? 1 : -1) * uniform(rnd, 0.03, 0.2);
                streaks++;
            }
        }
        p.set(Parameter.STREAK_FRACTION, (double) streaks / lines);
        int glitchLine = rnd.nextDouble() < 0.03 ? rnd.nextInt(lines) : -1;
        if (ov.quiet()) {
            glitchLine = -1;
        }
        p.set(Parameter.GLITCH_LINE, glitchLine);
        if (glitchLine >= 0) {
            streakStart[glitchLine] = rnd.nextInt(pixels / 2);
            streakEnd[glitchLine] = pixels;
            streakHeight[glitchLine] = (rnd.nextBoolean() ? 1 : -1) * uniform(rnd, 0.1, 0.5);
        }
        int spikes = anyUnstable ? rnd.nextInt(40) : (rnd.nextDouble() < 0.1 ? 1 + rnd.nextInt(3) : 0);
        if (ov.quiet()) {
            spikes = 0;
        }
        p.set(Parameter.SPIKES, spikes);

        render(image, dx, tiltX, tiltY, white, pink, ringGain, ringDecay, ringPeriod);
        for (int s = 0; s < spikes; s++) {
            int at = rnd.nextInt(lines * pixels);
            image[at] += (float) ((rnd.nextDouble() < 0.7 ? 1 : -1) * uniform(rnd, 0.1, 0.6) * 1e-9);
        }
        if (cfg.asGordon()) {
            GordonPipeline.apply(image, lines, pixels);
        }
        int label = flipLabel(rnd, labelTrue);
        return new SimulatedScan(index, image, lines, pixels, label, labelTrue, lineStates.clone(), changeLine, p.build());
    }

    private int drawClass(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        for (int c = 0; c < 3; c++) {
            u -= cfg.share(c);
            if (u < 0) {
                return c;
            }
        }
        return 3;
    }

    private int flipLabel(SplittableRandom rnd, int c) {
        if (rnd.nextDouble() >= cfg.labelNoise()) {
            return c;
        }
        return switch (c) {
            case 0 -> rnd.nextBoolean() ? 1 : 3;
            case 1 -> new int[] {0, 2, 3}[rnd.nextInt(3)];
            case 2 -> rnd.nextBoolean() ? 1 : 3;
            default -> rnd.nextInt(3);
        };
    }

    /** Adds the tip(s) of one tip state; an unstable tip is 2–3 apex configurations it flips between. */
    private int addTips(SplittableRandom rnd, int state) {
        int n = state == 3 ? 2 + rnd.nextInt(2) : 1;
        for (int i = 0; i < n; i++) {
            drawTip(rnd, tipCount++, state);
        }
        return n;
    }

    private void drawTip(SplittableRandom rnd, int t, int state) {
        double lo;
        double hi;
        if (state < 3) {
            double l = StrictMath.log(SIGMA_BAND[state][0]);
            double h = StrictMath.log(SIGMA_BAND[state][1]);
            double mid = 0.5 * (l + h);
            double half = 0.5 * (h - l) * bandScale;
            lo = mid - half;
            hi = mid + half;
        } else {
            lo = StrictMath.log(0.03);
            hi = StrictMath.log(0.3);
        }
        double sigma = StrictMath.exp(uniform(rnd, lo, hi));
        double aniso = 1;
        int ghosts = 0;
        switch (state) {
            case 0 -> aniso = uniform(rnd, 1.0, 1.2);
            case 1 -> {
                double u = rnd.nextDouble();
                if (u < 0.45) {
                    aniso = uniform(rnd, 1.2, 2.0);
                } else if (u < 0.85) {
                    aniso = uniform(rnd, 1.0, 1.4);
                    ghosts = 1;
                } else {
                    aniso = uniform(rnd, 1.0, 1.3);
                }
            }
            case 2 -> aniso = uniform(rnd, 1.0, 1.5);
            default -> {
                aniso = uniform(rnd, 1.0, 2.0);
                ghosts = rnd.nextInt(MAX_GHOSTS + 1);
            }
        }
        double phi = rnd.nextDouble() * Math.PI;
        double s1 = sigma * sigma;
        double s2 = s1 / (aniso * aniso);
        double c = StrictMath.cos(phi);
        double s = StrictMath.sin(phi);
        tipState[t] = state;
        tSigma[t] = sigma;
        tAniso[t] = aniso;
        tAnisoAngle[t] = phi;
        tSxx[t] = s1 * c * c + s2 * s * s;
        tSyy[t] = s1 * s * s + s2 * c * c;
        tSxy[t] = (s1 - s2) * c * s;
        tGhosts[t] = ghosts;
        for (int g = 0; g < ghosts; g++) {
            double r = uniform(rnd, 0.3, 1.5);
            double a = rnd.nextDouble() * 2 * Math.PI;
            tGx[t][g] = r * StrictMath.cos(a);
            tGy[t][g] = r * StrictMath.sin(a);
            tGw[t][g] = uniform(rnd, 0.2, 0.8);
        }
    }

    private void setUpSteps(SplittableRandom rnd, double size) {
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
            stepC[0] = cx + uniform(rnd, -span, span);
        } else {
            double w = uniform(rnd, Math.min(3.0, span), Math.max(3.0, 1.2 * span));
            double mid = cx + uniform(rnd, -0.3 * span, 0.3 * span);
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
                slow = 0.95 * slow + 0.02 * gauss() * Math.sqrt(pitch);
                if (kinked && rnd.nextDouble() < pitch / 1.5) {
                    v += (rnd.nextBoolean() ? 1 : -1) * ROW;
                    v = Math.max(-1.0, Math.min(1.0, v));
                }
                stepRough[s][i] = v + slow;
            }
        }
    }

    private void setUpTerrace(SplittableRandom rnd, int t, double theta, double corrugation, double bias, double dx, double dy) {
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
    private int terraceAt(double x, double y) {
        int t = 0;
        for (int s = 0; s < stepCount; s++) {
            if (stepNx * x + stepNy * y > stepC[s]) {
                t = s + 1;
            }
        }
        return t;
    }

    private void placeDefect(SplittableRandom rnd, int i, double size, double bias) {
        double x = uniform(rnd, -0.1, 1.1) * size;
        double y = uniform(rnd, -0.1, 1.1) * size;
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
            case 0 -> uniform(rnd, 0.07, 0.13);
            case 1 -> -uniform(rnd, 0.06, 0.10);
            default -> uniform(rnd, 0.15, 0.30);
        };
        if (type == 0 && bias > 0) {
            defAmp[i] = -defAmp[i]; // marks the empty-state halo; resolved in prepareTip
        }
    }

    /** Blurs every defect with tip t (and its ghosts) into the Gaussian list of that tip. */
    private void prepareTip(int t, double dx, double dy) {
        double wsum = 1;
        for (int g = 0; g < tGhosts[t]; g++) {
            wsum += tGw[t][g];
        }
        // Lattice: blur and ghost factor per component and terrace.
        for (int r = 0; r < terraceCount; r++) {
            for (int k = 0; k < K; k++) {
                double kxk = kx[r][k];
                double kyk = ky[r][k];
                double blur = StrictMath.exp(-0.5 * (kxk * kxk * tSxx[t] + 2 * kxk * kyk * tSxy[t] + kyk * kyk * tSyy[t]));
                double re = 1;
                double im = 0;
                for (int g = 0; g < tGhosts[t]; g++) {
                    double ph = -(kxk * tGx[t][g] + kyk * tGy[t][g]);
                    re += tGw[t][g] * StrictMath.cos(ph);
                    im += tGw[t][g] * StrictMath.sin(ph);
                }
                double a = base[r][k] * blur / wsum;
                ampRe[t][r][k] = a * re;
                ampIm[t][r][k] = a * im;
            }
        }
        int n = 0;
        double[] out = gauss[t];
        double pix = (dx * dx + dy * dy) / 24;
        for (int i = 0; i < defectCount; i++) {
            double th = terraceAngle[defTerrace[i]];
            double along;
            double across;
            double amp = defAmp[i];
            boolean halo = false;
            switch (defType[i]) {
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
                double sxx = dxx + tSxx[t] + pix;
                double syy = dyy + tSyy[t] + pix;
                double sxy = dxy + tSxy[t];
                double det = sxx * syy - sxy * sxy;
                double scale = Math.sqrt((dxx * dyy - dxy * dxy) / det);
                for (int g = -1; g < tGhosts[t] && n < MAX_GAUSS; g++) {
                    double w = (g < 0 ? 1 : tGw[t][g]) / wsum;
                    int o = n * 7;
                    out[o] = defX[i] + (g < 0 ? 0 : tGx[t][g]);
                    out[o + 1] = defY[i] + (g < 0 ? 0 : tGy[t][g]);
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

    private void render(float[] image, double dx, double tiltX, double tiltY, double white,
            double pink, double ringGain, double ringDecay, double ringPeriod) {
        double rho = StrictMath.exp(-1 / ringDecay);
        double a1 = 2 * rho * StrictMath.cos(2 * Math.PI / ringPeriod);
        double a2 = -rho * rho;
        Arrays.fill(pinkRows, 0);
        for (int o = 0; o < PINK_OCTAVES; o++) {
            pinkRows[o] = gauss();
        }
        double pinkSum = 0;
        for (double v : pinkRows) {
            pinkSum += v;
        }
        double pinkScale = pink / Math.sqrt(PINK_OCTAVES);
        long sample = 0;
        boolean[] need = new boolean[MAX_TERRACES];
        for (int l = 0; l < lines; l++) {
            int t = lineTip[l];
            double ox = lineOx[l];
            double y = lineOy[l];
            // Step weights and which terraces this line touches.
            Arrays.fill(need, false);
            if (stepCount == 0) {
                need[0] = true;
            } else {
                stepWeights(t, l, ox, y, dx);
                for (int j = 0; j < pixels; j++) {
                    double w1 = stepW[0][j];
                    double w2 = stepCount > 1 ? stepW[1][j] : 0;
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
            for (int r = 0; r < terraceCount; r++) {
                if (need[r]) {
                    latticeRow(t, r, ox, y, latRow[r]);
                }
            }
            if (stepCount == 0) {
                System.arraycopy(latRow[0], 0, row, 0, pixels);
            } else {
                double[] w1 = stepW[0];
                double[] w2 = stepCount > 1 ? stepW[1] : null;
                for (int j = 0; j < pixels; j++) {
                    double a = w1[j];
                    double b = w2 == null ? 0 : w2[j];
                    double v = STEP_HEIGHT * stairSign * (a + b);
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
                    row[j] += h + 0.2 * Math.abs(h) * gauss();
                }
            }
            // Feedback: a damped second-order response to every height change along the fast axis.
            double s1 = 0;
            double s2 = 0;
            double prev = row[0];
            double ty = tiltY * ((l + 0.5) / lines - 0.5) + lineOffset[l];
            double txStep = tiltX / pixels;
            double tx0 = -0.5 * tiltX + 0.5 * txStep;
            int base = l * pixels;
            for (int j = 0; j < pixels; j++) {
                double h = row[j];
                double s = a1 * s1 + a2 * s2 + ringGain * (h - prev);
                s2 = s1;
                s1 = s;
                prev = h;
                sample++;
                int oct = Long.numberOfTrailingZeros(sample);
                if (oct < PINK_OCTAVES) {
                    double nv = gauss();
                    pinkSum += nv - pinkRows[oct];
                    pinkRows[oct] = nv;
                }
                double z = h + s + ty + tx0 + j * txStep + white * gauss() + pinkScale * pinkSum;
                image[base + j] = (float) (z * 1e-9);
            }
        }
    }

    private void stepWeights(int t, int l, double ox, double y, double dx) {
        double sn = Math.sqrt(stepNx * stepNx * tSxx[t] + 2 * stepNx * stepNy * tSxy[t] + stepNy * stepNy * tSyy[t]
                + dx * dx / 12);
        double inv = 1 / sn;
        double wsum = 1;
        for (int g = 0; g < tGhosts[t]; g++) {
            wsum += tGw[t][g];
        }
        for (int s = 0; s < stepCount; s++) {
            double[] w = stepW[s];
            double c0 = stepC[s] - stepNx * ox - stepNy * y;
            double rl = stepAlongLines ? stepRough[s][l] : 0;
            double[] rough = stepRough[s];
            for (int j = 0; j < pixels; j++) {
                double d = stepNx * j * dx - c0 - (stepAlongLines ? rl : rough[j]);
                double v = FastMath2.phi(d * inv);
                if (tGhosts[t] > 0) {
                    v /= wsum;
                    for (int g = 0; g < tGhosts[t]; g++) {
                        double dg = d - stepNx * tGx[t][g] - stepNy * tGy[t][g];
                        v += tGw[t][g] / wsum * FastMath2.phi(dg * inv);
                    }
                }
                w[j] = v;
            }
        }
    }

    private void latticeRow(int t, int r, double ox, double y, double[] out) {
        Arrays.fill(out, 0);
        double[] ct = cosTab[r];
        double[] st = sinTab[r];
        double[] are = ampRe[t][r];
        double[] aim = ampIm[t][r];
        for (int k = 0; k < K; k++) {
            double ph = kx[r][k] * ox + ky[r][k] * y + phi0[r][k];
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
        double[] g = gauss[t];
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

    private static double uniform(SplittableRandom rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    private static int poisson(SplittableRandom rnd, double mean) {
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

    /** A standard normal deviate from the lookup table, five per 64-bit draw of a xorshift stream. */
    private double gauss() {
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
}
