package org.scanline.evaluation;

import org.scanline.run.LoadedModel;

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
     * Replaces each row of logits by its softmax, in place (max-subtracted, in double precision).
     *
     * @param values rows of {@code k} logits
     * @param k row length
     */
    static void softmaxRows(float[] values, int k) {
        for (int r = 0; r < values.length / k; r++) {
            int o = r * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, values[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(values[o + c] - max);
            }
            for (int c = 0; c < k; c++) {
                values[o + c] = (float) (Math.exp(values[o + c] - max) / sum);
            }
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
