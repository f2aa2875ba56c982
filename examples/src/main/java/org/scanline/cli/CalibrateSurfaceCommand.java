package org.scanline.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scanline.io.AtomicOutput;
import org.scanline.runtime.SurfaceCheck;
import org.scanline.simulate.SimulatorConfig;
import org.scanline.simulate.SurfaceKind;
import org.scanline.surface.SurfaceCheckFit;
import org.scanline.surface.SurfaceCheckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scanline calibrate-surface}: fit the "not a surface I know" check on simulated H:Si(100), and measure it. */
@Command(name = "calibrate-surface", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fit the surface check (scanline.surface) on simulated H:Si(100) scans of every class, "
                + "report how often it flags H:Si and other surfaces, and write it as JSON.")
public final class CalibrateSurfaceCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--pixels", description = "The model's pixels per line (default ${DEFAULT-VALUE}).", defaultValue = "128")
    int pixels;

    @Option(names = "--frame-nm", paramLabel = "MIN:MAX", description = "The model's frame range, nm (default ${DEFAULT-VALUE}).",
            defaultValue = "8:25")
    String frameNm;

    @Option(names = "--fit-seed", description = "Simulator seed of the scans the statistics are fitted on (default ${DEFAULT-VALUE}).",
            defaultValue = "23001")
    long fitSeed;

    @Option(names = "--validation-seed", description = "Simulator seed of the scans the thresholds are fitted on "
            + "(default ${DEFAULT-VALUE}).", defaultValue = "23002")
    long validationSeed;

    @Option(names = "--count", description = "Scans for the fit and for the thresholds, each (default ${DEFAULT-VALUE}).",
            defaultValue = "400")
    int count;

    @Option(names = "--flag-rate", description = "Share of validation H:Si scans flagged at each number of lines "
            + "(default ${DEFAULT-VALUE}).", defaultValue = "0.03")
    double flagRate;

    @Option(names = "--shrinkage", description = "Weight taken off the covariances' off-diagonal (default ${DEFAULT-VALUE}).",
            defaultValue = "0.1")
    double shrinkage;

    @Option(names = "--clip", description = "A line's features are clipped to the mean ± this many standard deviations "
            + "(default ${DEFAULT-VALUE}).", defaultValue = "4")
    double clip;

    @Option(names = "--out", description = "Write the check's JSON here (default: none).")
    Path out;

    @Option(names = "--model", description = "An exported model (format 5 or newer) to store the check in (default: none).")
    Path model;

    @Option(names = "--into", description = "With --model: the copy to write, the check in its metadata "
            + "(default: the model file itself).")
    Path into;

    @Option(names = "--measure-seed", description = "Also measure flag rates on this seed: H:Si by class and the "
            + "other surfaces of --kinds (default: none).")
    Long measureSeed;

    @Option(names = "--measure-count", description = "Scans per set when measuring (default ${DEFAULT-VALUE}).",
            defaultValue = "200")
    int measureCount;

    @Option(names = "--kinds", description = "Other surfaces to measure: design, held-out or all (default ${DEFAULT-VALUE}).",
            defaultValue = "design")
    String kinds;

    @Option(names = "--lines", split = ",", description = "Lines seen when measuring (default ${DEFAULT-VALUE}).",
            defaultValue = "20,128")
    List<Integer> lines;

    @Override
    public Integer call() throws Exception {
        double[] frame = SimulateCommand.frameRange(spec, frameNm);
        SurfaceCheckFit.Settings settings = new SurfaceCheckFit.Settings(pixels, frame[0], frame[1], fitSeed, count,
                validationSeed, count, flagRate, shrinkage, clip);
        long t0 = System.nanoTime();
        SurfaceCheck check = SurfaceCheckFit.fit(settings);
        System.out.printf(Locale.ROOT, "fitted in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, check.fittedOn());
        System.out.printf(Locale.ROOT, "thresholds: 2 lines %.2f, 20 lines %.2f, 128 lines %.2f%n",
                check.threshold(2), check.threshold(20), check.threshold(128));
        if (out != null) {
            AtomicOutput.writeString(out, check.toJson());
            System.out.println("wrote " + out);
        }
        if (model != null) {
            Path target = into == null ? model : into;
            org.scanline.export.SurfaceCheckStamp.write(model, check, target);
            System.out.println("wrote " + target + " with " + org.scanline.ModelFormat.KEY_SURFACE);
        }
        if (measureSeed != null) {
            SimulatorConfig cfg = SimulatorConfig.builder().lines(pixels).pixels(pixels).frameNm(frame[0], frame[1]).build();
            for (int n : lines) {
                System.out.printf(Locale.ROOT, "%nafter %d lines, seed %d:%n", n, measureSeed);
                SurfaceCheckReport.hsi(check, cfg, measureSeed, measureCount, n).forEach(System.out::println);
                for (SurfaceKind k : SurfaceKind.values()) {
                    if ("all".equals(kinds) || k.group().name().replace('_', '-').equalsIgnoreCase(kinds)) {
                        System.out.println(SurfaceCheckReport.other(check, cfg, k, measureSeed, measureCount, n));
                    }
                }
            }
        }
        return 0;
    }
}
