package org.scanline.backend;

import org.apiguardian.api.API;
import org.scanline.train.EpochMetrics;

/**
 * A cross-cutting concern of a training run (progress display, metrics files, checkpoints, early
 * stopping), called by the loop in registration order, in the style of DJL's {@code TrainingListener}.
 * Every method has an empty default.
 *
 * <pre>{@code
 * TrainingListener stopAt3 = new TrainingListener() {
 *     public void onEpochEnd(TrainingContext ctx, EpochMetrics train, EpochMetrics valid) {
 *         if (ctx.epoch() == 3) ctx.requestStop("enough");
 *     }
 * };
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public interface TrainingListener {

    /** @param ctx the run, before the first epoch (after a resume: before the first new epoch) */
    default void onTrainingStart(TrainingContext ctx) {
    }

    /**
     * @param ctx the run
     * @param batches training batches in this epoch
     * @param lr learning rate of this epoch
     */
    default void onEpochStart(TrainingContext ctx, int batches, double lr) {
    }

    /**
     * @param ctx the run
     * @param batch 1-based index of the batch just done
     * @param meanLoss mean training loss of the epoch so far
     * @param accuracy training accuracy of the epoch so far
     */
    default void onBatchEnd(TrainingContext ctx, int batch, double meanLoss, double accuracy) {
    }

    /**
     * Called after both splits were evaluated, the schedule observed the validation loss and
     * {@link TrainingContext#improved()} was decided.
     *
     * @param ctx the run
     * @param train this epoch's training metrics
     * @param valid this epoch's validation metrics
     */
    default void onEpochEnd(TrainingContext ctx, EpochMetrics train, EpochMetrics valid) {
    }

    /** @param ctx the run, after the last epoch and after the best weights were restored */
    default void onTrainingEnd(TrainingContext ctx) {
    }
}
