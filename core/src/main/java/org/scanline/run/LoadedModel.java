package org.scanline.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.apiguardian.api.API;
import org.scanline.Normalizer;
import org.scanline.model.ScanModel;
import org.scanline.train.TrainingConfig;

/**
 * A model rebuilt from a run folder's checkpoint, holding the DJL manager that owns its weights:
 * close it. Obtained from {@link RunFolder#loadModel(Checkpoint)}.
 *
 * <pre>{@code
 * try (LoadedModel m = RunFolder.open(runDir).loadModel(Checkpoint.BEST)) {
 *     Map<String, Weight> weights = m.model().namedWeights();    // for the exporter
 *     float[] logits = m.logits(normalisedLines, 1, 128);        // [1, 128, K] for causal
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class LoadedModel implements AutoCloseable {
    private final NDManager manager;
    private final ScanModel model;
    private final RunFolder run;
    private final int epoch;

    LoadedModel(NDManager manager, ScanModel model, RunFolder run, int epoch) {
        this.manager = manager;
        this.model = model;
        this.run = run;
        this.epoch = epoch;
    }

    /** @return the model with the checkpoint's weights */
    public ScanModel model() {
        return model;
    }

    /** @return the manager owning the weights (create inputs under a sub-manager of it) */
    public NDManager manager() {
        return manager;
    }

    /** @return the run's config */
    public TrainingConfig config() {
        return run.config();
    }

    /** @return class names, index = label */
    public List<String> classNames() {
        return run.classNames();
    }

    /** @return the normaliser the model was trained with */
    public Normalizer normalizer() {
        return run.config().normalizer();
    }

    /** @return the epoch whose weights these are */
    public int epoch() {
        return epoch;
    }

    /** @return the run folder */
    public RunFolder run() {
        return run;
    }

    /**
     * Runs the model in inference mode (no dropout).
     *
     * @param lines already normalised lines, {@code batch × lines × pixels} row-major
     * @param batch number of samples
     * @param lineCount lines per sample (≤ maxLines)
     * @return logits, {@code [batch, lineCount, K]} (causal, lrcn) or {@code [batch, 1, K]} (vit), row-major
     */
    public float[] logits(float[] lines, int batch, int lineCount) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray in = scope.create(lines, new Shape(batch, lineCount, model.pixels()));
            return model.forward(new ParameterStore(scope, false), in, false).toFloatArray();
        }
    }

    /**
     * Runs the model's tip-state head in inference mode.
     *
     * @param lines already normalised lines, {@code batch × lines × pixels} row-major
     * @param batch number of samples
     * @param lineCount lines per sample (≤ maxLines)
     * @return tip-state logits {@code [batch, lineCount, S]}, row-major
     * @throws IllegalStateException if the model has no tip-state head
     */
    public float[] lineStateLogits(float[] lines, int batch, int lineCount) {
        if (model.lineStates() == 0) {
            throw new IllegalStateException(run.directory() + ": the model has no tip-state head");
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray in = scope.create(lines, new Shape(batch, lineCount, model.pixels()));
            return model.forwardAll(new ParameterStore(scope, false), in, false).get(1).toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
