package org.scanline.backend;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.scanline.model.ScanModel;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;

/** The result of a DJL run: its folder, history and the model holding the best weights. */
final class DjlTrainedModel implements TrainedModel {
    private final NDManager manager;
    private final AdamW optimizer;
    private final TrainingContext ctx;

    DjlTrainedModel(NDManager manager, AdamW optimizer, TrainingContext ctx) {
        this.manager = manager;
        this.optimizer = optimizer;
        this.ctx = ctx;
    }

    @Override
    public Path runDirectory() {
        return ctx.run().directory();
    }

    @Override
    public TrainingConfig config() {
        return ctx.config();
    }

    @Override
    public List<EpochMetrics> history() {
        return List.copyOf(ctx.history);
    }

    /** @return the trained model with the best epoch's weights (valid until {@link #close()}) */
    ScanModel model() {
        return ctx.model();
    }

    /** @return the reason training stopped early, or null */
    String stopReason() {
        return ctx.stopReason;
    }

    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }
}
