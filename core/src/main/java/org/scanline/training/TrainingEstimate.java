package org.scanline.training;

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
 * <pre>{@code
 * TrainingEstimate e = TrainingEstimate.measure(config, dataset);
 * System.out.println(e.describe());       // "≈ 4 min: 25 epochs × (2800 training + 600 validation scans) ..."
 * }</pre>
 *
 * @param gpu whether the run would use a GPU
 * @param trainSamples training samples per epoch (training scans × samplesPerScan)
 * @param validScans validation scans, scored once per epoch
 * @param epochs the most epochs (early stopping can end sooner)
 * @param meanLines mean lines of a training sample (lengths are drawn uniformly in [minLines, maxLines])
 * @param samplesPerSecond measured training samples per second at {@code meanLines}
 * @param seconds the estimated wall time of the whole run
 */
@API(status = API.Status.EXPERIMENTAL)
public record TrainingEstimate(boolean gpu, int trainSamples, int validScans, int epochs, int meanLines,
        double samplesPerSecond, double seconds) {

    /** Timed steps; one more untimed warm-up step runs first. */
    private static final int STEPS = 2;
    /** Samples per timed step: enough to amortise per-step overhead, few enough for the reference model. */
    private static final int MAX_BATCH = 8;

    /**
     * @param config the run's config
     * @param data the dataset it will train on
     * @return the estimate (takes a few seconds: it runs {@value #STEPS} + 1 training steps)
     */
    public static TrainingEstimate measure(TrainingConfig config, ScanDataset data) {
        RunSplits split = RunSplits.of(config, data);
        int maxLength = Math.min(config.maxLines(), data.lines());
        int minLength = Math.min(config.minLines(), maxLength);
        int mean = (minLength + maxLength + 1) / 2;
        TrainingConfig at = config.toBuilder().maxLines(mean).minLines(Math.min(minLength, mean))
                .windowLines(Math.min(config.windowLines(), mean)).build();
        TrainingBenchmark.Result r = TrainingBenchmark.measure(at, data.pixels(), data.classCount(),
                Math.min(config.batchSize(), MAX_BATCH), STEPS);
        int trainSamples = split.train().length * config.samplesPerScan();
        int valid = split.valid().length;
        // A validation pass is a forward pass at full length: about a third of a training step per scan.
        double validCost = valid / 3.0 * maxLength / mean;
        double seconds = config.epochs() * (trainSamples + validCost) / r.samplesPerSecond();
        return new TrainingEstimate(usesGpu(config), trainSamples, valid, config.epochs(), mean, r.samplesPerSecond(),
                seconds);
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
