package org.scanline.backend;

import org.scanline.train.EpochMetrics;

/** Stops training once the validation loss has not improved for {@code earlyStoppingPatience} epochs. */
final class EarlyStopping implements TrainingListener {
    @Override
    public void onEpochEnd(TrainingContext ctx, EpochMetrics train, EpochMetrics valid) {
        int patience = ctx.config().earlyStoppingPatience();
        if (patience > 0 && ctx.epochsWithoutImprovement() >= patience) {
            ctx.requestStop("early stopping: no validation-loss improvement for " + patience
                    + " epochs (best " + ctx.bestLoss() + " at epoch " + ctx.bestEpoch() + ")");
        }
    }
}
