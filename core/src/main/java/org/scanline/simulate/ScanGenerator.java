package org.scanline.simulate;

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
 *
 * <p>This class draws the scan's story (class, frame, tip history, instrument) in a fixed order of
 * random draws and fills in the line schedule; the concerns live beside it: {@link Tips} (the tip
 * model), {@link Surface} (terraces, steps, defects), {@link ScanRenderer} (blur and rendering) and
 * {@link Draws} (the random streams). Reordering any draw changes the scan: the checksums in
 * SimulatorChecksumTest hold it.
 */
final class ScanGenerator {
    private final SimulatorConfig cfg;
    private final Overrides ov;
    private final int lines;
    private final int pixels;
    private final double noiseScale;
    private final Draws draws = new Draws();
    private final Tips tips;
    private final Surface surface;
    private final ScanRenderer renderer;
    private final byte[] lineStates;

    ScanGenerator(SimulatorConfig cfg) {
        this(cfg, Overrides.NONE);
    }

    ScanGenerator(SimulatorConfig cfg, Overrides ov) {
        this.cfg = cfg;
        this.ov = ov;
        this.lines = cfg.lines();
        this.pixels = cfg.pixels();
        this.noiseScale = 0.5 + 0.5 * cfg.difficulty();
        tips = new Tips(0.5 + 0.5 * cfg.difficulty());
        surface = new Surface(lines, pixels, draws, ov);
        renderer = new ScanRenderer(lines, pixels, tips, surface, draws);
        lineStates = new byte[lines];
    }

    /** Mixes (seed, index) into the seed of one scan's random stream. */
    static long scanSeed(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    SimulatedScan generate(long seed, long index) {
        return generate(seed, index, false);
    }

    /**
     * @param backward render the backward trace of the same scan: the same surface, tip history and
     *     instrument settings, its own noise, the feedback ringing towards the left
     */
    SimulatedScan generate(long seed, long index, boolean backward) {
        SplittableRandom rnd = new SplittableRandom(scanSeed(seed, index));
        draws.start(rnd.nextLong() | 1L);
        ScanParameters.Builder p = new ScanParameters.Builder();
        float[] image = new float[lines * pixels];

        int labelTrue = drawClass(rnd);
        if (ov.tipClass() >= 0) {
            labelTrue = ov.tipClass();
        }
        double size = StrictMath.exp(Draws.uniform(rnd, StrictMath.log(cfg.frameMinNm()), StrictMath.log(cfg.frameMaxNm())));
        if (!Double.isNaN(ov.sizeNm())) {
            size = ov.sizeNm();
        }
        double dx = size / pixels;
        double dy = size / lines;
        double angle = rnd.nextDouble() * Math.PI;
        if (!Double.isNaN(ov.angleDeg())) {
            angle = Math.toRadians(ov.angleDeg());
        }
        double bias = rnd.nextDouble() < cfg.filledShare() ? -1 : 1;
        p.set(Parameter.SCAN_SIZE_NM, size).set(Parameter.ANGLE_DEG, Math.toDegrees(angle)).set(Parameter.BIAS_SIGN, bias);

        // Tip history: one or two segments of tip states.
        tips.clear();
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
        int firstA = tips.count;
        int nA = tips.add(rnd, stateA);
        tips.override(firstA, ov);
        int firstB = tips.count;
        int nB = stateB >= 0 ? tips.add(rnd, stateB) : 0;
        double switchProb = anyUnstable ? Draws.uniform(rnd, 0.03, 0.2) : 0;
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
            renderer.lineTip[l] = cur;
            lineStates[l] = (byte) (second ? stateB : stateA);
        }
        p.set(Parameter.TIP_STATE, stateA).set(Parameter.SIGMA_NM, tips.sigma[firstA])
                .set(Parameter.ANISOTROPY, tips.aniso[firstA])
                .set(Parameter.ANISOTROPY_ANGLE_DEG, Math.toDegrees(tips.anisoAngle[firstA]))
                .set(Parameter.GHOSTS, tips.ghosts[firstA]);
        if (tips.ghosts[firstA] > 0) {
            p.set(Parameter.GHOST_DX_NM, tips.gx[firstA][0]).set(Parameter.GHOST_DY_NM, tips.gy[firstA][0])
                    .set(Parameter.GHOST_WEIGHT, tips.gw[firstA][0]);
        }
        double jump = 0;
        if (changeLine >= 0) {
            jump = (rnd.nextBoolean() ? 1 : -1) * Draws.uniform(rnd, 0.05, 0.3);
            p.set(Parameter.TIP_STATE_AFTER, stateB).set(Parameter.SIGMA_AFTER_NM, tips.sigma[firstB])
                    .set(Parameter.JUMP_PM, jump * 1000);
        }

        // Surface: terraces, steps, defects.
        double corrugation = Draws.uniform(rnd, 0.7, 1.3);
        if (!Double.isNaN(ov.corrugation())) {
            corrugation = ov.corrugation();
        }
        p.set(Parameter.CORRUGATION_SCALE, corrugation);
        double u = rnd.nextDouble();
        surface.stepCount = u < 0.5 ? 0 : u < 0.85 ? 1 : 2;
        if (ov.steps() >= 0) {
            surface.stepCount = ov.steps();
        }
        surface.terraceCount = surface.stepCount + 1;
        surface.setUpSteps(rnd, size);
        for (int t = 0; t < surface.terraceCount; t++) {
            surface.setUpTerrace(rnd, t, angle + t * Math.PI / 2, corrugation, bias, dx, dy);
        }
        p.set(Parameter.STEPS, surface.stepCount);
        double density = Draws.uniform(rnd, 0.01, 0.05);
        surface.defectCount = Math.min(Surface.MAX_DEFECTS, Draws.poisson(rnd, density * size * size));
        if (ov.defects() >= 0) {
            surface.defectCount = ov.defects();
        }
        for (int i = 0; i < surface.defectCount; i++) {
            surface.placeDefect(rnd, i, size, bias);
        }
        p.set(Parameter.DEFECTS, surface.defectCount);
        for (int t = 0; t < tips.count; t++) {
            renderer.prepareTip(t, dx, dy);
        }

        // Instrument.
        double white = (anyUnstable ? Draws.uniform(rnd, 0.008, 0.040) : Draws.uniform(rnd, 0.002, 0.010)) * noiseScale
                * cfg.noiseScale();
        double pink = (anyUnstable ? Draws.uniform(rnd, 0.003, 0.020) : Draws.uniform(rnd, 0.001, 0.008)) * noiseScale
                * cfg.noiseScale();
        double walk = Draws.uniform(rnd, 0.010, 0.100);
        double tiltMag = rnd.nextDouble() * 2.0;
        double tiltDir = rnd.nextDouble() * 2 * Math.PI;
        double tiltX = tiltMag * StrictMath.cos(tiltDir);
        double tiltY = tiltMag * StrictMath.sin(tiltDir);
        double driftMag = Draws.uniform(rnd, 0.002, 0.02);
        double driftDir = rnd.nextDouble() * 2 * Math.PI;
        double driftX = driftMag * StrictMath.cos(driftDir);
        double driftY = driftMag * StrictMath.sin(driftDir);
        double creep = (rnd.nextBoolean() ? 1 : -1) * Draws.uniform(rnd, 0.1, 0.8);
        double creepLines = Draws.uniform(rnd, 10, 30) / 3;
        double ringGain = Draws.uniform(rnd, 0.1, 0.5);
        double ringDecay = Draws.uniform(rnd, 2, 6);
        double ringPeriod = Draws.uniform(rnd, 4, 12);
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
        double streakFraction = anyUnstable ? Draws.uniform(rnd, 0.03, 0.25) : 0;
        int streaks = 0;
        for (int l = 0; l < lines; l++) {
            double e = StrictMath.exp(-l / creepLines);
            renderer.lineOx[l] = driftX * l + creep * e;
            renderer.lineOy[l] = l * dy + driftY * l + 0.3 * creep * e;
            offset += walk * draws.gauss();
            renderer.lineOffset[l] = offset + (changeLine >= 0 && l >= changeLine ? jump : 0);
            renderer.streakStart[l] = 0;
            renderer.streakEnd[l] = 0;
            if (lineStates[l] == 3 && rnd.nextDouble() < streakFraction && !ov.quiet()) {
                renderer.streakStart[l] = rnd.nextInt(pixels);
                renderer.streakEnd[l] = rnd.nextDouble() < 0.5 ? pixels
                        : Math.min(pixels, renderer.streakStart[l] + 3 + rnd.nextInt(Math.max(1, pixels / 2)));
                renderer.streakHeight[l] = (rnd.nextDouble() < 0.75 ? 1 : -1) * Draws.uniform(rnd, 0.03, 0.2);
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
            renderer.streakStart[glitchLine] = rnd.nextInt(pixels / 2);
            renderer.streakEnd[glitchLine] = pixels;
            renderer.streakHeight[glitchLine] = (rnd.nextBoolean() ? 1 : -1) * Draws.uniform(rnd, 0.1, 0.5);
        }
        int spikes = anyUnstable ? rnd.nextInt(40) : (rnd.nextDouble() < 0.1 ? 1 + rnd.nextInt(3) : 0);
        if (ov.quiet()) {
            spikes = 0;
        }
        p.set(Parameter.SPIKES, spikes);

        if (backward) {
            draws.start(scanSeed(~seed, index) | 1L); // the same scan, a noise of its own
        }
        renderer.render(image, dx, tiltX, tiltY, white, pink, ringGain, ringDecay, ringPeriod, backward);
        for (int s = 0; s < spikes; s++) {
            int at = rnd.nextInt(lines * pixels);
            image[at] += (float) ((rnd.nextDouble() < 0.7 ? 1 : -1) * Draws.uniform(rnd, 0.1, 0.6) * 1e-9);
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
}
