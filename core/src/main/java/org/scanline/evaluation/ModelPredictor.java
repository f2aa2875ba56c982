package org.scanline.evaluation;

import org.scanline.run.LoadedModel;
import org.scanline.runtime.PredictionDecoder;

/**
 * A {@link ScanPredictor} over a model loaded from a run folder's checkpoint: runs the DJL model in
 * inference mode and turns its logits into probabilities with a softmax. Closing it closes the
 * model.
 *
 * <pre>{@code
 * try (ModelPredictor p = new ModelPredictor(RunFolder.open(dir).loadModel(Checkpoint.BEST))) {
 *     Evaluation e = Evaluator.builder().normalizer(p.model().normalizer()).build().evaluate(test, p, ids);
 * }
 * }</pre>
 */
final class ModelPredictor implements ScanPredictor, AutoCloseable {
    private final LoadedModel model;

    /** @param model a loaded model; owned (closed) by this predictor from now on */
    ModelPredictor(LoadedModel model) {
        this.model = model;
    }

    /** @return the loaded model */
    LoadedModel model() {
        return model;
    }

    @Override
    public int classCount() {
        return model.model().classes();
    }

    @Override
    public boolean perLine() {
        return model.model().architecture().predictsPerLine();
    }

    @Override
    public int maxLines() {
        return model.model().maxLines();
    }

    @Override
    public float[] predict(float[] batch, int n, int lines, int pixels) {
        if (pixels != model.model().pixels()) {
            throw new org.scanline.BadDataException("the scans have " + pixels + " pixels per line but the model of "
                    + model.run().directory() + " reads " + model.model().pixels());
        }
        float[] logits = model.logits(batch, n, lines);
        softmaxRows(logits, classCount());
        return logits;
    }

    /**
     * Replaces each row of logits by its softmax, in place: scanline-api's {@link PredictionDecoder},
     * the softmax every other part of the project uses (temperature 1: evaluation scores the model).
     *
     * @param values rows of {@code k} logits
     * @param k row length
     */
    static void softmaxRows(float[] values, int k) {
        for (int o = 0; o + k <= values.length; o += k) {
            PredictionDecoder.softmax(values, o, k, 1);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
