package org.scanline.backend;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.scanline.model.ScanModel;
import org.scanline.train.TrainingConfig;

/**
 * One optimiser step of the training recipe: forward, the class-weighted loss plus (when the model
 * has a tip-state head and the data line states) the weighted line-state loss, backward, clipped AdamW.
 * The training loop and {@code bench-train} ({@link TrainingBenchmark}) both call {@link #run}, as
 * DJL's {@code EasyTrain.trainBatch} serves training and its benchmarks, so what is timed is what
 * trains.
 */
final class TrainingStep {
    private final ScanModel model;
    private final ParameterStore store;
    private final AdamW optimizer;
    private final TrainingConfig config;

    /**
     * @param loss the step's loss (non-finite when the step was skipped)
     * @param gradientNorm the global gradient norm before clipping (non-finite when skipped)
     * @param lastLineProbabilities softmax of the class logits at each sample's last line, {@code [B, K]}
     * @param weight the loss's weight in an epoch mean: Σ w_y over samples times output positions
     */
    record Result(float loss, double gradientNorm, float[] lastLineProbabilities, double weight) {
        /** @return whether the loss or the gradient was not finite, so that no update was made */
        boolean skipped() {
            return !Double.isFinite(loss) || !Double.isFinite(gradientNorm);
        }
    }

    /** Marks every parameter of a fresh model as trained, before an optimiser is made for them. */
    static void attachGradients(ScanModel model) {
        for (Parameter p : model.parameters().values()) {
            p.getArray().setRequiresGradient(true);
        }
    }

    TrainingStep(ScanModel model, ParameterStore store, AdamW optimizer, TrainingConfig config) {
        this.model = model;
        this.store = store;
        this.optimizer = optimizer;
        this.config = config;
    }

    /**
     * @param input normalised lines {@code [B, T, P]}, under the caller's per-batch manager
     * @param target the weighted class targets
     * @param lineStates one-hot line states {@code [B, T, S]}, or null when the data have none
     * @param lr the learning rate of this step
     * @return the loss, the gradient norm and the last line's class probabilities
     */
    Result run(NDArray input, Losses.LossTarget target, NDArray lineStates, double lr) {
        float loss;
        float[] probabilities;
        long positions;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDList out = model.forwardAll(store, input, true);
            NDArray logits = out.get(0);
            NDArray l = Losses.weightedLoss(logits, target);
            if (out.size() > 1 && lineStates != null) {
                l = l.add(Losses.lineStateLoss(out.get(1), lineStates).mul((float) config.lineStateWeight()));
            }
            gc.backward(l);
            loss = l.getFloat();
            probabilities = logits.get(new NDIndex(":, -1, :")).softmax(-1).toFloatArray();
            positions = logits.getShape().get(1);
        }
        // A non-finite loss would poison AdamW's moments: drop its gradients instead of stepping.
        double norm = Float.isFinite(loss) ? optimizer.step(lr, config.weightDecay(), config.gradClipNorm())
                : optimizer.zeroGradients();
        return new Result(loss, norm, probabilities, target.denominator * positions);
    }

    /** @return whether the model has a tip-state head, so that a batch's line states enter the loss */
    boolean wantsLineStates() {
        return model.lineStates() > 0;
    }
}
