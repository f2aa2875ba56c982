package org.scanline.backend;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scanline.train.EpochMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows training progress: on a terminal a progress bar per epoch with loss, accuracy and ETA; without
 * one (batch jobs, logs) an SLF4J line per epoch and, within a long epoch, one every
 * {@value #QUIET_SECONDS} seconds: a log of a small run stays a line per epoch.
 */
final class ProgressDisplay implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressDisplay.class);
    static final int QUIET_SECONDS = 60;
    private final boolean terminal;
    private ProgressBar bar;
    private int batches;
    private long epochStart;
    private long lastLine;

    ProgressDisplay(boolean terminal) {
        this.terminal = terminal;
    }

    @Override
    public void onTrainingStart(TrainingContext ctx) {
        LOG.info("training {} in {} (epochs {}..{})", ctx.config().architecture(), ctx.run().directory(),
                ctx.epoch() + 1, ctx.config().epochs());
    }

    @Override
    public void onEpochStart(TrainingContext ctx, int batchCount, double lr) {
        batches = batchCount;
        epochStart = System.nanoTime();
        lastLine = epochStart;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", ctx.epoch(),
                    ctx.config().epochs())).setInitialMax(batchCount).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).continuousUpdate().build();
        }
    }

    @Override
    public void onBatchEnd(TrainingContext ctx, int batch, double meanLoss, double accuracy) {
        String msg = String.format(Locale.ROOT, "loss %.4f acc %.3f", meanLoss, accuracy);
        if (bar != null) {
            bar.stepTo(batch);
            bar.setExtraMessage(msg);
        } else if (batch < batches && System.nanoTime() - lastLine >= QUIET_SECONDS * 1_000_000_000L) {
            lastLine = System.nanoTime();
            double elapsed = (lastLine - epochStart) / 1e9;
            LOG.info("epoch {} batch {}/{} {} eta {}s", ctx.epoch(), batch, batches, msg,
                    String.format(Locale.ROOT, "%.0f", elapsed / batch * (batches - batch)));
        }
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, EpochMetrics train, EpochMetrics valid) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        LOG.info(String.format(Locale.ROOT,
                "epoch %d lr %.3g | train loss %.4f acc %.3f bacc %.3f auroc %.3f | valid loss %.4f acc %.3f bacc %.3f"
                        + " auroc %.3f | %.1fs%s",
                ctx.epoch(), train.lr(), train.loss(), train.accuracy(), train.balancedAccuracy(), train.auroc(),
                valid.loss(), valid.accuracy(), valid.balancedAccuracy(), valid.auroc(), train.seconds() + valid.seconds(),
                ctx.improved() ? " *" : ""));
    }

    @Override
    public void onTrainingEnd(TrainingContext ctx) {
        LOG.info("finished after epoch {}{}; best validation loss {} at epoch {}", ctx.epoch(),
                ctx.stopReason == null ? "" : " (" + ctx.stopReason + ")",
                String.format(Locale.ROOT, "%.4f", ctx.bestLoss()), ctx.bestEpoch());
    }
}
