package org.scanline.cli;

import java.util.concurrent.Callable;
import org.scanline.bench.Baseline;
import org.scanline.simulate.SimulatorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scanline baseline}: feature baselines on simulated scans, to gauge the simulator's difficulty. */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Score feature baselines (logistic regression on line spectra, random forest on image statistics) "
                + "on simulated scans: train on seed 1, test on seed 2.")
public final class BaselineCommand implements Callable<Integer> {
    @Option(names = "--train", description = "Training scans (default ${DEFAULT-VALUE}).", defaultValue = "6000")
    int train;

    @Option(names = "--test", description = "Test scans (default ${DEFAULT-VALUE}).", defaultValue = "3000")
    int test;

    @Option(names = "--difficulty", description = "Simulator difficulty (default ${DEFAULT-VALUE}).", defaultValue = "1.0")
    double difficulty;

    @Option(names = "--lines-seen", split = ",", description = "Line counts to score with (default ${DEFAULT-VALUE}).",
            defaultValue = "128,20")
    int[] linesSeen;

    @Override
    public Integer call() {
        SimulatorConfig cfg = SimulatorConfig.builder().difficulty(difficulty).build();
        System.out.println("model | lines seen | balanced acc. (annotated) | balanced acc. (true) | accuracy (annotated)"
                + " | macro AUROC (true)");
        for (Baseline.Score s : Baseline.run(cfg, train, test, linesSeen, System.out)) {
            System.out.printf(java.util.Locale.ROOT, "%s | %d | %.3f | %.3f | %.3f | %.3f%n", s.model(), s.linesSeen(),
                    s.balancedAnnotated(), s.balancedTrue(), s.accuracy(), s.aurocTrue());
        }
        return 0;
    }
}
