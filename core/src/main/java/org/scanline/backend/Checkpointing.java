package org.scanline.backend;

import org.scanline.run.RunFolder;
import org.scanline.train.EpochMetrics;

/**
 * Writes {@code checkpoints/best.ckpt} when the validation loss improved, then {@code metrics.csv}
 * and {@code checkpoints/last.ckpt} (weights, optimiser moments, schedule and early-stopping state,
 * history): each file atomically, the last one last, so that a run killed at any moment resumes
 * from a consistent epoch.
 */
final class Checkpointing implements TrainingListener {
    @Override
    public void onEpochEnd(TrainingContext ctx, EpochMetrics train, EpochMetrics valid) {
        RunFolder run = ctx.run();
        if (ctx.improved()) {
            CheckpointState.writeBest(run, ctx);
        }
        run.writeMetrics(ctx.history());
        CheckpointState.writeLast(run, ctx);
    }
}
