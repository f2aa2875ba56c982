package org.scanline.backend;

import org.scanline.run.RunFolder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apiguardian.api.API;
import org.scanline.model.ScanModel;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainingConfig;

/**
 * What listeners see of a running training: the config, run folder, model and the progress state
 * that a {@code last} checkpoint saves.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class TrainingContext {
    private final TrainingConfig config;
    private final RunFolder run;
    private final ScanModel model;
    final AdamW optimizer;
    final LearningRateSchedule schedule;
    final List<EpochMetrics> history = new ArrayList<>();
    int epoch;
    double bestLoss = Double.POSITIVE_INFINITY;
    int bestEpoch;
    int epochsWithoutImprovement;
    boolean improved;
    String stopReason;

    TrainingContext(TrainingConfig config, RunFolder run, ScanModel model, AdamW optimizer, LearningRateSchedule schedule) {
        this.config = config;
        this.run = run;
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
    }

    /** @return the run's config */
    public TrainingConfig config() {
        return config;
    }

    /** @return the run folder */
    public RunFolder run() {
        return run;
    }

    /** @return the model being trained */
    public ScanModel model() {
        return model;
    }

    /** @return the current (or last finished) 1-based epoch */
    public int epoch() {
        return epoch;
    }

    /** @return every finished epoch's metrics, train and valid rows */
    public List<EpochMetrics> history() {
        return Collections.unmodifiableList(history);
    }

    /** @return the lowest validation loss so far */
    public double bestLoss() {
        return bestLoss;
    }

    /** @return the epoch of {@link #bestLoss()} (0 before the first) */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** @return epochs since the validation loss last improved */
    public int epochsWithoutImprovement() {
        return epochsWithoutImprovement;
    }

    /** @return whether the epoch just finished set a new best validation loss */
    public boolean improved() {
        return improved;
    }

    /**
     * Ends training after the current epoch (its checkpoints are still written).
     *
     * @param reason why, for the log
     */
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** @return whether a listener asked to stop */
    public boolean stopRequested() {
        return stopReason != null;
    }
}
