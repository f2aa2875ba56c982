package org.scanline.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scanline.simulate.SimulatedDataset;
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

    @Option(names = "--out", description = "Output .npz file (required unless --montage or --bench).")
    Path out;

    @Option(names = "--montage", description = "Write a PNG montage (6 scans per class) instead of data (default: none).")
    Path montage;

    @Option(names = "--bench", paramLabel = "SECONDS",
            description = "Measure scans per second with 1 and 2 threads for about this long each; writes nothing (default: off).")
    Double bench;

    @Override
    public Integer call() throws Exception {
        SimulatorConfig cfg = SimulatorConfig.builder().lines(lines).pixels(pixels).difficulty(difficulty)
                .labelNoise(labelNoise).asGordon(asGordon).build();
        if (bench != null) {
            SimulateBench.run(cfg, bench, System.out);
            return 0;
        }
        if (montage != null) {
            Montage.write(cfg, seed, 6, montage);
            System.out.println("wrote " + montage);
            return 0;
        }
        if (out == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --out FILE.npz, --montage FILE.png or --bench SECONDS");
        }
        Simulator sim = new Simulator(cfg);
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
}
