package org.scanline.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scanline.simulate.SimulatedDataset;
import org.scanline.simulate.OtherSurfaces;
import org.scanline.simulate.SimulatedSxm;
import org.scanline.simulate.SurfaceKind;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.SimulatorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scanline simulate}: simulated H:Si(100) scans to an .npz, or a PNG montage of them. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate STM scans of H:Si(100)-2×1 under four tip states (dataset "
                + SimulatorConfig.DEFAULT_VERSION + " by default).")
public final class SimulateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--count", description = "Number of scans (default ${DEFAULT-VALUE}).", defaultValue = "1000")
    int count;

    @Option(names = "--seed", description = "Seed; same seed, same bytes (default ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    @Option(names = "--lines", description = "Lines per scan (default ${DEFAULT-VALUE}).", defaultValue = "128")
    int lines;

    @Option(names = "--pixels", description = "Pixels per line (default ${DEFAULT-VALUE}).", defaultValue = "128")
    int pixels;

    @Option(names = "--difficulty", description = "0 easy … 1 default … 3 hard (default ${DEFAULT-VALUE}).",
            defaultValue = "1.0")
    double difficulty;

    @Option(names = "--label-noise", description = "Label flip probability (default ${DEFAULT-VALUE}).",
            defaultValue = "0.06")
    double labelNoise;

    @Option(names = "--as-gordon", description = "Per-line flatten and min–max to 8-bit grey levels, like the published set (default: ${DEFAULT-VALUE}).")
    boolean asGordon;

    @Option(names = "--threads", description = "Worker threads (default: all processors); output does not depend on it.")
    Integer threads;

    @Option(names = "--frame-nm", paramLabel = "MIN:MAX",
            description = "Frame edge in nm, drawn log-uniformly in MIN:MAX, or one size (default ${DEFAULT-VALUE}).",
            defaultValue = "8:25")
    String frameNm;

    @Option(names = "--filled-share", description = "Share of filled-state scans (sample bias negative); 1 = all "
            + "filled, 0 = all empty (default ${DEFAULT-VALUE}).", defaultValue = "0.7")
    double filledShare;

    @Option(names = "--noise-scale", description = "Factor on the white and 1/f noise (default ${DEFAULT-VALUE}).",
            defaultValue = "1.0")
    double noiseScale;

    @Option(names = "--surface", paramLabel = "KIND", description = "Render another surface instead of H:Si(100), "
            + "labelled other: hsi100 (default) or one of ${COMPLETION-CANDIDATES}.", defaultValue = "hsi100",
            completionCandidates = SurfaceKeys.class)
    String surface;

    @Option(names = "--out", description = "Output .npz file (default: none; one of --out, --sxm, --montage or --bench is required).")
    Path out;

    @Option(names = "--sxm", paramLabel = "DIR", description = "Write one Nanonis .sxm per scan (Z forward and backward, "
            + "the frame in :SCAN_RANGE:) and " + SimulatedSxm.TRUTH + " into DIR (default: none).")
    Path sxm;

    @Option(names = "--scan-dir", description = "With --sxm: :SCAN_DIR: written, up or down; the data stay in "
            + "acquisition order either way (default ${DEFAULT-VALUE}).", defaultValue = "down")
    String scanDir;

    @Option(names = "--montage", description = "Write a PNG montage (6 scans per class) instead of data (default: none).")
    Path montage;

    @Option(names = "--bench", paramLabel = "SECONDS",
            description = "Measure scans per second with 1 and 2 threads for about this long each; writes nothing (default: off).")
    Double bench;

    @Override
    public Integer call() throws Exception {
        double[] frame = frameRange(spec, frameNm);
        SimulatorConfig cfg = SimulatorConfig.builder().lines(lines).pixels(pixels).difficulty(difficulty)
                .labelNoise(labelNoise).asGordon(asGordon).frameNm(frame[0], frame[1]).filledShare(filledShare)
                .noiseScale(noiseScale).build();
        if (bench != null) {
            SimulateBench.run(cfg, bench, System.out);
            return 0;
        }
        if (montage != null) {
            Montage.write(cfg, seed, 6, montage);
            System.out.println("wrote " + montage);
            return 0;
        }
        Simulator sim = new Simulator(cfg);
        if (sxm != null) {
            if (asGordon) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sxm writes heights in metres, as an "
                        + "instrument does; --as-gordon's grey levels are not written to .sxm");
            }
            if (!"up".equals(scanDir) && !"down".equals(scanDir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--scan-dir is up or down, found " + scanDir);
            }
            long t0 = System.nanoTime();
            if (other() != null) {
                SimulatedSxm.write(new OtherSurfaces(cfg), other(), seed, 0, count, scanDir, sxm);
            } else {
                SimulatedSxm.write(sim, seed, 0, count, scanDir, sxm);
            }
            System.out.printf(java.util.Locale.ROOT, "wrote %d .sxm scans of %d × %d (%s, seed %d, frames %s nm) and %s "
                    + "to %s in %.1f s%n", count, pixels, lines, cfg.version(), seed, frameNm, SimulatedSxm.TRUTH, sxm,
                    (System.nanoTime() - t0) / 1e9);
            return 0;
        }
        if (out == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give --out FILE.npz, --sxm DIR, --montage FILE.png or --bench SECONDS");
        }
        if (other() != null) {
            new OtherSurfaces(cfg).writeNpz(other(), seed, count, out);
            System.out.printf("wrote %s: %d scans of %s, %d × %d, labelled %s (seed %d)%n", out, count, surface, lines,
                    pixels, OtherSurfaces.OTHER_NAME, seed);
            return 0;
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        SimulatedDataset data;
        long t0 = System.nanoTime();
        if (count >= 2000 && System.console() != null) {   // a bar in a log file is a line of carriage returns
            try (ProgressBar pb = new ProgressBarBuilder().setTaskName("simulate").setInitialMax(count)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
                data = sim.generate(seed, 0, count, workers, pb::stepTo);
            }
        } else {
            data = sim.generate(seed, 0, count, workers, null);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        data.writeNpz(out, false);
        int[] counts = data.dataset().classCounts();
        System.out.printf("wrote %s: %d scans of %d × %d (%s, seed %d) in %.1f s; labels per class %s%n", out, count,
                lines, pixels, cfg.version(), seed, secs, java.util.Arrays.toString(counts));
        return 0;
    }

    /** @return the other surface asked for, or null for H:Si(100) */
    private SurfaceKind other() {
        return "hsi100".equals(surface) ? null : SurfaceKind.of(surface);
    }

    /** The values of {@code --surface} for its help. */
    static final class SurfaceKeys implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(SurfaceKind.values()).map(SurfaceKind::key).iterator();
        }
    }

    /** Parses {@code MIN:MAX} or one size, in nm. */
    static double[] frameRange(CommandLine.Model.CommandSpec spec, String text) {
        String[] parts = text.split(":", -1);
        try {
            if (parts.length == 1) {
                double v = Double.parseDouble(parts[0]);
                return new double[] {v, v};
            }
            if (parts.length == 2) {
                return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "--frame-nm takes MIN:MAX or one size in nm, "
                + "e.g. 8:25, found " + text);
    }
}
