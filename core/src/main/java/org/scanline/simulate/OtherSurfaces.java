package org.scanline.simulate;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.dataset.NpyArray;
import org.scanline.dataset.NpzWriter;

/**
 * Scans of surfaces that are not H:Si(100) ({@link SurfaceKind}), with the frame sizes, shape and
 * bias polarity of a {@link SimulatorConfig} and the same kinds of instrument effects as the H:Si
 * scans (tip blur, line offsets, tilt, drift and creep, feedback ringing, white and 1/f noise), so
 * that only the surface tells them apart. Their label is {@link #OTHER}. Scan {@code i} of seed
 * {@code s} and kind {@code k} is a pure function of (config, k, s, i).
 *
 * <pre>{@code
 * OtherSurfaces others = new OtherSurfaces(SimulatorConfig.defaults());
 * SimulatedScan s = others.scan(SurfaceKind.GRAPHITE, 11, 0);
 * }</pre>
 *
 * <p>Thread-safe: every call builds its own scratch.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class OtherSurfaces {
    /** Label (and true label, and every line state) of a scan of another surface: "other". */
    public static final int OTHER = 4;
    /** The name of {@link #OTHER}. */
    public static final String OTHER_NAME = "other";

    private final SimulatorConfig config;

    /** @param config shape, frame range, filled share and noise scale to use */
    public OtherSurfaces(SimulatorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** @return the config */
    public SimulatorConfig config() {
        return config;
    }

    /**
     * @param kind the surface
     * @param seed the sequence's seed
     * @param index the scan's index (≥ 0)
     * @return the scan (forward trace), heights in metres
     */
    public SimulatedScan scan(SurfaceKind kind, long seed, long index) {
        return render(kind, seed, index, false);
    }

    /**
     * @param kind the surface
     * @param seed the sequence's seed
     * @param index the scan's index (≥ 0)
     * @return the backward trace of the same scan, pixel 0 at the left, its own noise
     */
    public float[] backwardTrace(SurfaceKind kind, long seed, long index) {
        return render(kind, seed, index, true).image();
    }

    /**
     * Writes scans 0 … count−1 of a kind to an {@code .npz} laid out like the simulator's: {@code images}
     * (N, L, P) float32 metres, {@code labels} and {@code labels_true} all {@link #OTHER},
     * {@code class_names} (the four tip classes and {@value #OTHER_NAME}), {@code change_line} −1,
     * {@code param_scan_size_nm}, {@code param_sigma_nm}, {@code param_bias_sign}, and the scalars
     * {@code surface}, {@code seed}, {@code units}.
     *
     * @param kind the surface
     * @param seed the seed
     * @param count number of scans (≥ 1)
     * @param file destination
     */
    public void writeNpz(SurfaceKind kind, long seed, int count, Path file) {
        if (count < 1) {
            throw new BadConfigException("simulate: --count must be ≥ 1, found " + count);
        }
        int lines = config.lines();
        int pixels = config.pixels();
        float[] images = new float[Math.multiplyExact(count, lines * pixels)];
        int[] labels = new int[count];
        int[] change = new int[count];
        double[][] params = new double[3][count];
        Parameter[] keep = {Parameter.SCAN_SIZE_NM, Parameter.SIGMA_NM, Parameter.BIAS_SIGN};
        for (int i = 0; i < count; i++) {
            SimulatedScan s = scan(kind, seed, i);
            System.arraycopy(s.image(), 0, images, i * lines * pixels, lines * pixels);
            labels[i] = OTHER;
            change[i] = -1;
            for (int k = 0; k < keep.length; k++) {
                params[k][i] = s.parameters().get(keep[k]);
            }
        }
        String[] names = new String[SimulatorConfig.CLASS_NAMES.size() + 1];
        for (int c = 0; c < names.length - 1; c++) {
            names[c] = SimulatorConfig.CLASS_NAMES.get(c);
        }
        names[names.length - 1] = OTHER_NAME;
        try (NpzWriter w = NpzWriter.create(file, false)) {
            w.write("images", NpyArray.of(images, count, lines, pixels));
            w.write("labels", NpyArray.of(labels, count));
            w.write("labels_true", NpyArray.of(labels, count));
            w.write("change_line", NpyArray.of(change, count));
            w.write("class_names", NpyArray.ofStrings(names, names.length));
            for (int k = 0; k < keep.length; k++) {
                w.write("param_" + keep[k].key(), NpyArray.of(params[k], count));
            }
            w.write("surface", NpyArray.scalar(kind.key()));
            w.write("seed", NpyArray.scalar(seed));
            w.write("units", NpyArray.scalar("m"));
            w.commit();
        }
    }

    private SimulatedScan render(SurfaceKind kind, long seed, long index, boolean backward) {
        if (index < 0) {
            throw new IllegalArgumentException("scan index must be ≥ 0, found " + index);
        }
        int lines = config.lines();
        int pixels = config.pixels();
        long kindSeed = seed * 31 + kind.ordinal() + 1;
        SplittableRandom rnd = new SplittableRandom(ScanGenerator.scanSeed(kindSeed, index));
        Draws noise = new Draws();
        long noiseSeed = ScanGenerator.scanSeed(backward ? ~kindSeed : kindSeed, index ^ 0x5DEECE66DL);
        noise.start(noiseSeed | 1L);
        ScanParameters.Builder p = new ScanParameters.Builder();

        double size = StrictMath.exp(Draws.uniform(rnd, StrictMath.log(config.frameMinNm()), StrictMath.log(config.frameMaxNm())));
        double dx = size / pixels;
        double dy = size / lines;
        double bias = rnd.nextDouble() < config.filledShare() ? -1 : 1;
        double sigma = StrictMath.exp(Draws.uniform(rnd, StrictMath.log(0.03), StrictMath.log(0.3)));
        OtherSurface surface = kind.create();
        surface.draw(rnd, size);
        boolean crashed = surface.crashed();
        double ns = config.noiseScale() * (0.5 + 0.5 * config.difficulty());
        double white = (crashed ? Draws.uniform(rnd, 0.05, 0.3) : Draws.uniform(rnd, 0.002, 0.015)) * ns;
        double pink = (crashed ? Draws.uniform(rnd, 0.02, 0.1) : Draws.uniform(rnd, 0.001, 0.01)) * ns;
        double walk = Draws.uniform(rnd, 0.01, 0.1) * (crashed ? 3 : 1);
        double tilt = rnd.nextDouble() * 2.0;
        double tiltDir = rnd.nextDouble() * 2 * Math.PI;
        double tiltX = tilt * StrictMath.cos(tiltDir);
        double tiltY = tilt * StrictMath.sin(tiltDir);
        double drift = Draws.uniform(rnd, 0.002, 0.02);
        double driftDir = rnd.nextDouble() * 2 * Math.PI;
        double creep = (rnd.nextBoolean() ? 1 : -1) * Draws.uniform(rnd, 0.1, 0.8);
        double creepLines = Draws.uniform(rnd, 10, 30) / 3;
        double ringGain = Draws.uniform(rnd, 0.1, 0.5);
        double rho = StrictMath.exp(-1 / Draws.uniform(rnd, 2, 6));
        double ringW = 2 * Math.PI / Draws.uniform(rnd, 4, 12);
        double a1 = 2 * rho * StrictMath.cos(ringW);
        double a2 = -rho * rho;
        // A crashed tip streaks many lines, jumps and saturates: Z clipped at a limit on a share of lines.
        double streakShare = crashed ? Draws.uniform(rnd, 0.2, 0.8) : 0;
        double clip = crashed ? Draws.uniform(rnd, 0.05, 0.5) : Double.POSITIVE_INFINITY;
        p.set(Parameter.SCAN_SIZE_NM, size).set(Parameter.BIAS_SIGN, bias).set(Parameter.SIGMA_NM, sigma)
                .set(Parameter.WHITE_NOISE_PM, white * 1000).set(Parameter.PINK_NOISE_PM, pink * 1000)
                .set(Parameter.LINE_WALK_PM, walk * 1000).set(Parameter.TILT_X_NM, tiltX).set(Parameter.TILT_Y_NM, tiltY)
                .set(Parameter.CREEP_NM, creep).set(Parameter.CREEP_LINES, creepLines).set(Parameter.RING_GAIN, ringGain);

        float[] image = new float[lines * pixels];
        double[] row = new double[pixels];
        double offset = 0;
        double pinkState = 0;
        double pinkKeep = 0.995;
        double pinkDrive = pink * Math.sqrt(1 - pinkKeep * pinkKeep);
        for (int l = 0; l < lines; l++) {
            double e = StrictMath.exp(-l / creepLines);
            double ox = drift * StrictMath.cos(driftDir) * l + creep * e;
            double y = l * dy + drift * StrictMath.sin(driftDir) * l + 0.3 * creep * e;
            surface.line(row, ox, y, dx, dy, sigma);
            offset += walk * rnd.nextGaussian();
            boolean streak = rnd.nextDouble() < streakShare;
            int s0 = streak ? rnd.nextInt(pixels) : 0;
            double sh = streak ? (rnd.nextBoolean() ? 1 : -1) * Draws.uniform(rnd, 0.1, 1.0) : 0;
            boolean saturate = crashed && rnd.nextDouble() < 0.3;
            double ty = tiltY * ((l + 0.5) / lines - 0.5) + offset;
            double s1 = 0;
            double s2 = 0;
            double prev = row[backward ? pixels - 1 : 0];
            for (int jj = 0; jj < pixels; jj++) {
                int j = backward ? pixels - 1 - jj : jj;
                double h = row[j] + (streak && j >= s0 ? sh : 0);
                double s = a1 * s1 + a2 * s2 + ringGain * (h - prev);
                s2 = s1;
                s1 = s;
                prev = h;
                pinkState = pinkKeep * pinkState + pinkDrive * noise.gauss();
                double z = h + s + ty + tiltX * ((j + 0.5) / pixels - 0.5) + white * noise.gauss() + pinkState;
                if (saturate) {
                    z = Math.max(-clip, Math.min(clip, z));
                }
                image[l * pixels + j] = (float) (z * 1e-9);
            }
        }
        p.set(Parameter.STEPS, Double.NaN).set(Parameter.DEFECTS, surface.blobCount());
        byte[] states = new byte[lines];
        Arrays.fill(states, (byte) OTHER);
        return new SimulatedScan(index, image, lines, pixels, OTHER, OTHER, states, -1, p.build());
    }
}
