package org.scanline.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.scanline.simulate.SimulatorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scanline simulate}: simulated H:Si(100) scans to an .npz, or a PNG montage of them. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate STM scans of H:Si(100)-2×1 under four tip states (dataset "
                + SimulatorConfig.DEFAULT_VERSION + " by default).")
public final class SimulateCommand implements Callable<Integer> {
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

    @Option(names = "--as-gordon", description = "Per-line flatten and min–max to 8-bit grey levels, like the published set.")
    boolean asGordon;

    @Option(names = "--threads", description = "Worker threads (default: all processors); output does not depend on it.")
    Integer threads;

    @Option(names = "--out", description = "Output .npz file.")
    Path out;

    @Option(names = "--montage", description = "Write a PNG montage (6 scans per class) instead of data.")
    Path montage;

    @Option(names = "--bench", paramLabel = "SECONDS",
            description = "Measure scans per second with 1 and 2 threads for about this long each; writes nothing.")
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
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give --out FILE.npz or --montage FILE.png");
    }
}
