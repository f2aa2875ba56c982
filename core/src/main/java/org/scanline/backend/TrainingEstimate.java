package org.scanline.backend;

import org.scanline.run.RunSplits;
import ai.djl.engine.Engine;
import java.util.Locale;
import org.apiguardian.api.API;
import org.scanline.ScanDataset;
import org.scanline.train.TrainingConfig;

/**
 * How long a training run will take on this machine, measured before it starts: a few real
 * training steps of the configured model ({@link TrainingBenchmark}) at the mean sample length the
 * loop draws, scaled to the run's split, epochs and validation passes. {@code scanline train}
 * prints it so that nobody starts an 8-hour run by accident.
 *
 * <p>A step costs a fixed part (one JNI call per operation, the optimiser's pass over every
 * parameter) plus a part per sample; for a small model the fixed part dominates, so a rate
 * measured at a small batch says little about the configured one. The steps are timed at two
 * batch sizes and the line through them read off at the run's batch size, which costs a fraction
 * of timing that batch itself on the reference model.
 *
 * <pre>{@code
 * TrainingEstimate e = TrainingEstimate.measure(config, dataset);
 * System.out.println(e.describe());       // "≈ 4 min: 25 epochs × (2800 training + 600 validation scans) ..."
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
 * @param seconds the estimated wall time of the whole run
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public record TrainingEstimate(boolean gpu, int trainSamples, int validScans, int epochs, int meanLines,
        double samplesPerSecond, double seconds) {

    /** Timed steps per batch size, of which the median counts: a shared machine only ever adds time. */
    private static final int STEPS = 4;
    /** Untimed steps first: the first allocates the optimiser's state, the second still runs slow. */
    private static final int WARMUP = 2;
    /** The two batch sizes timed (at most the run's own). */
    private static final int SMALL_BATCH = 2;
    private static final int LARGE_BATCH = 8;

    /**
     * @param config the run's config
     * @param data the dataset it will train on
     * @return the estimate (takes a few seconds: it runs {@value #WARMUP} + {@value #STEPS} training steps at
     *         each of two batch sizes)
     */
    public static TrainingEstimate measure(TrainingConfig config, ScanDataset data) {
        RunSplits split = RunSplits.of(config, data);
        int maxLength = Math.min(config.maxLines(), data.lines());
        int minLength = Math.min(config.minLines(), maxLength);
        int mean = (minLength + maxLength + 1) / 2;
        TrainingConfig at = config.toBuilder().maxLines(mean).minLines(Math.min(minLength, mean))
                .windowLines(Math.min(config.windowLines(), mean)).build();
        int batch = config.batchSize();
        int b2 = Math.min(batch, LARGE_BATCH);
        int b1 = Math.min(batch, SMALL_BATCH);
        double t2 = median(TrainingBenchmark.stepSeconds(at, data.pixels(), data.classCount(), b2, WARMUP, STEPS));
        double perStep = t2;
        if (b1 < b2 && batch > b2) {
            double t1 = median(TrainingBenchmark.stepSeconds(at, data.pixels(), data.classCount(), b1, WARMUP, STEPS));
            double perSample = (t2 - t1) / (b2 - b1);
            // Timing noise can make the slope meaningless; then the larger batch's rate stands.
            perStep = perSample > 0 && t1 - perSample * b1 >= 0 ? t2 + perSample * (batch - b2) : t2 * batch / b2;
        }
        double samplesPerSecond = batch / perStep;
        int trainSamples = split.train().length * config.samplesPerScan();
        int valid = split.valid().length;
        // A validation pass is a forward pass at full length: about a third of a training step per scan.
        double validCost = valid / 3.0 * maxLength / mean;
        double seconds = config.epochs() * (trainSamples + validCost) / samplesPerSecond;
        return new TrainingEstimate(usesGpu(config), trainSamples, valid, config.epochs(), mean, samplesPerSecond,
                seconds);
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        java.util.Arrays.sort(s);
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

    /** @return one line: the estimate and what it is made of */
    public String describe() {
        return String.format(Locale.ROOT, "≈ %s on the %s: %d %s × (%d training samples + %d validation scans) at "
                + "%.1f samples/s measured here (mean sample %d lines); early stopping may end it sooner",
                duration(seconds), gpu ? "GPU" : "CPU", epochs, epochs == 1 ? "epoch" : "epochs", trainSamples,
                validScans, samplesPerSecond, meanLines);
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
