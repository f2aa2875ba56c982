package org.scanline.backend;

import org.scanline.run.RunSplits;
import ai.djl.engine.Engine;
import java.util.Locale;
import org.apiguardian.api.API;
import org.scanline.ScanDataset;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.SimulatorConfig;
import org.scanline.train.SimulationConfig;
import org.scanline.train.TrainingConfig;

/**
 * How long a training run will take on this machine, measured before it starts: a few real
 * training steps of the configured model ({@link TrainingBenchmark}) at the mean sample length the
 * loop draws, scaled to the run's split, epochs and validation passes; a run on the simulator also
 * times the simulation of a few scans, since it simulates every epoch's scans afresh. {@code scanline
 * train} prints it so that nobody starts an 8-hour run by accident.
 *
 * <p>A step costs a fixed part (one JNI call per operation, the optimiser's pass over every
 * parameter) plus a part per sample; for a small model the fixed part dominates, so a rate
 * measured at a small batch says little about the configured one. The steps are timed at two
 * batch sizes and the line through them read off at the run's batch size, which costs a fraction
 * of timing that batch itself on the reference model.
 *
 * <p>How sure it is: the estimate uses the median timed step, and {@link #lowSeconds} and {@link
 * #highSeconds} the fastest and the slowest, so the range shows how much the machine's load moved
 * the timing. Not measured, and so outside the range: validation (counted as a third of a training
 * step per scan, at full length), the first epoch's one-off set-up of each sample length, and
 * early stopping, which can only shorten the run.
 *
 * <pre>{@code
 * TrainingEstimate e = TrainingEstimate.measure(config, dataset);
 * System.out.println(e.describe());       // "≈ 4 min (3–6 min by the fastest and slowest timed step): 25 epochs × ..."
 * }</pre>
 *
 * <p>Internal: public for {@code scanline train}'s estimate; not part of the library's API.
 *
 * @param gpu whether the run would use a GPU
 * @param trainSamples training samples per epoch (training scans × samplesPerScan)
 * @param validScans validation scans, scored once per epoch
 * @param epochs the most epochs (early stopping can end sooner)
 * @param meanLines mean lines of a training sample (lengths are drawn uniformly in [minLines, maxLines])
 * @param samplesPerSecond training samples per second at {@code meanLines} and the run's batch size
 * @param seconds the estimated wall time of the whole run, from the median timed step
 * @param lowSeconds the same from the fastest timed step
 * @param highSeconds the same from the slowest timed step
 * @param simulatedScansPerSecond scans the simulator made per second, or 0 when the run reads a dataset
 * @param loadAverage the machine's load average over the last minute when the steps were timed, or a
 *     negative value where the system does not tell
 * @param cores the processors the JVM may use
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public record TrainingEstimate(boolean gpu, int trainSamples, int validScans, int epochs, int meanLines,
        double samplesPerSecond, double seconds, double lowSeconds, double highSeconds,
        double simulatedScansPerSecond, double loadAverage, int cores) {

    /** Timed steps per batch size, of which the median counts: a shared machine only ever adds time. */
    private static final int STEPS = 4;
    /** Untimed steps first: the first allocates the optimiser's state, the second still runs slow. */
    private static final int WARMUP = 2;
    /** The two batch sizes timed (at most the run's own). */
    private static final int SMALL_BATCH = 2;
    private static final int LARGE_BATCH = 8;
    /** Scans simulated to time the simulator: enough to use its threads, a fraction of a second. */
    private static final int SIMULATED = 16;

    /**
     * @param config the run's config
     * @param data the dataset it will train on
     * @return the estimate (takes a few seconds: it runs {@value #WARMUP} + {@value #STEPS} training steps at
     *         each of two batch sizes)
     */
    public static TrainingEstimate measure(TrainingConfig config, ScanDataset data) {
        RunSplits split = RunSplits.of(config, data);
        return measure(config, data.pixels(), data.classCount(), data.lines(),
                split.train().length * config.samplesPerScan(), split.valid().length, 0, 0);
    }

    /**
     * The estimate of a run on the simulator ({@link TrainingConfig#simulation()}): training steps
     * timed as for a dataset, plus the simulation of every epoch's fresh scans and, once, of the
     * validation scans, timed on {@value #SIMULATED} scans.
     *
     * @param config the run's config, with its simulation settings
     * @return the estimate (a few seconds)
     */
    public static TrainingEstimate measureSimulated(TrainingConfig config) {
        SimulationConfig sim = config.simulation();
        if (sim == null) {
            throw new IllegalArgumentException("the config has no simulation settings");
        }
        Simulator simulator = new Simulator(RunSplits.simulatorConfig(sim));
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        simulator.generate(sim.seed(), 0, threads, threads, null);
        long start = System.nanoTime();
        simulator.generate(sim.seed(), threads, SIMULATED, threads, null);
        double perScan = (System.nanoTime() - start) / 1e9 / SIMULATED;
        int scans = sim.stepsPerEpoch() * config.batchSize();
        return measure(config, sim.pixels(), SimulatorConfig.CLASS_NAMES.size(), sim.lines(),
                scans * config.samplesPerScan(), sim.validScans(), scans * perScan, sim.validScans() * perScan);
    }

    /**
     * @param simulationPerEpoch seconds spent simulating each epoch's scans (0 for a dataset)
     * @param simulationOnce seconds spent simulating the validation scans, once
     */
    private static TrainingEstimate measure(TrainingConfig config, int pixels, int classes, int lines,
            int trainSamples, int valid, double simulationPerEpoch, double simulationOnce) {
        int maxLength = Math.min(config.maxLines(), lines);
        int minLength = Math.min(config.minLines(), maxLength);
        int mean = (minLength + maxLength + 1) / 2;
        TrainingConfig at = config.toBuilder().maxLines(mean).minLines(Math.min(minLength, mean))
                .windowLines(Math.min(config.windowLines(), mean)).build();
        int batch = config.batchSize();
        int b2 = Math.min(batch, LARGE_BATCH);
        int b1 = Math.min(batch, SMALL_BATCH);
        double[] t2 = sorted(TrainingBenchmark.stepSeconds(at, pixels, classes, b2, WARMUP, STEPS));
        double step2 = median(t2);
        double perStep = step2;
        if (b1 < b2 && batch > b2) {
            double t1 = median(sorted(TrainingBenchmark.stepSeconds(at, pixels, classes, b1, WARMUP, STEPS)));
            double perSample = (step2 - t1) / (b2 - b1);
            // Timing noise can make the slope meaningless; then the larger batch's rate stands.
            perStep = perSample > 0 && t1 - perSample * b1 >= 0 ? step2 + perSample * (batch - b2) : step2 * batch / b2;
        }
        double samplesPerSecond = batch / perStep;
        // A validation pass is a forward pass at full length: about a third of a training step per scan.
        double validCost = valid / 3.0 * maxLength / mean;
        double training = config.epochs() * (trainSamples + validCost) / samplesPerSecond;
        double simulation = config.epochs() * simulationPerEpoch + simulationOnce;
        // The range: the training time scaled as the fastest and the slowest timed step are to the median.
        double low = training * t2[0] / step2 + simulation;
        double high = training * t2[t2.length - 1] / step2 + simulation;
        double scansPerSecond = simulationOnce > 0 ? valid / simulationOnce : 0;
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return new TrainingEstimate(usesGpu(config), trainSamples, valid, config.epochs(), mean, samplesPerSecond,
                training + simulation, low, high, scansPerSecond, load, Runtime.getRuntime().availableProcessors());
    }

    private static double[] sorted(double[] x) {
        double[] s = x.clone();
        java.util.Arrays.sort(s);
        return s;
    }

    private static double median(double[] s) {
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * @param config a config ({@code device} auto, cpu or gpu)
     * @return whether training with it would run on a GPU
     */
    public static boolean usesGpu(TrainingConfig config) {
        return switch (config.device()) {
            case "cpu" -> false;
            case "gpu" -> true;
            default -> Engine.getInstance().getGpuCount() > 0;
        };
    }

    /** @return two lines: the estimate with its range, and what it is made of and leaves out */
    public String describe() {
        String simulated = simulatedScansPerSecond > 0
                ? String.format(Locale.ROOT, ", simulating %.0f scans/s", simulatedScansPerSecond) : "";
        return String.format(Locale.ROOT, "≈ %s on the %s (%s by the fastest and the slowest of %d timed steps): "
                + "%d %s × (%d training samples + %d validation scans) at %.1f samples/s measured here (mean sample %d "
                + "lines)%s%n  %snot timed: validation (taken as a third of a step per scan), the first epoch's set-up of "
                + "each sample length; early stopping may end the run sooner", duration(seconds), gpu ? "GPU" : "CPU",
                range(lowSeconds, highSeconds), STEPS, epochs, epochs == 1 ? "epoch" : "epochs", trainSamples,
                validScans, samplesPerSecond, meanLines, simulated, load());
    }

    /**
     * The load the steps were timed under: on a shared machine it, not the model, sets the time (the
     * same epoch took 7 s on two idle cores and 196 s on a busy day, docs/training.md).
     */
    private String load() {
        if (loadAverage < 0) {
            return "";
        }
        return String.format(Locale.ROOT, "timed at a load average of %.1f on %d cores%s; ", loadAverage, cores,
                loadAverage > cores ? ": the machine was busy, so the run is faster when it is quieter" : "");
    }

    /** @return {@code 3–6 min}: both ends in the larger end's unit, so the two read together */
    static String range(double low, double high) {
        String hi = duration(high);
        String unit = hi.substring(hi.indexOf(' ') + 1);
        double scale = switch (unit) {
            case "min" -> 60;
            case "h" -> 3600;
            case "days" -> 86400;
            default -> 1;
        };
        String lo = unit.equals("s") || unit.equals("min") ? String.format(Locale.ROOT, "%.0f", low / scale)
                : String.format(Locale.ROOT, "%.1f", low / scale);
        return lo + "–" + hi;
    }

    /**
     * @param seconds a duration
     * @return it in the largest sensible unit: {@code 40 s}, {@code 12 min}, {@code 3.5 h}, {@code 2.1 days}
     */
    public static String duration(double seconds) {
        if (seconds < 90) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 90 * 60) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        if (seconds < 48 * 3600) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        }
        return String.format(Locale.ROOT, "%.1f days", seconds / 86400);
    }
}
