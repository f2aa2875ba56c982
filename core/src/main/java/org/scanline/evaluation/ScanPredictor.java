package org.scanline.evaluation;

import org.apiguardian.api.API;
/**
 * Anything that turns a batch of (partial) scans into class probabilities: a trained DJL model,
 * an ONNX session, or a fake in tests. Evaluation is written against this interface only.
 *
 * <p>Two kinds exist. A <em>per-line</em> predictor ({@code causal}, {@code lrcn}) returns, in one
 * call, the probabilities after every line of the input; because those models only look back,
 * the row for line t of a full scan equals what the model would say after seeing lines 0…t alone.
 * A <em>whole-input</em> predictor ({@code vit}) returns one row per sample for the lines it was
 * given, so every partial length costs its own call.
 *
 * <pre>{@code
 * ScanPredictor p = ...;                       // e.g. RunPredictors.load(runDir)
 * float[] probs = p.predict(batch, n, lines, pixels);
 * // per-line: probs[((s * lines) + t) * K + k];  whole-input: probs[s * K + k]
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public interface ScanPredictor {

    /** @return number of classes K */
    int classCount();

    /** @return true if {@link #predict} returns a row after every input line, false for one row per sample */
    boolean perLine();

    /** @return the most lines one sample may have */
    int maxLines();

    /**
     * Predicts class probabilities (each row sums to 1).
     *
     * @param batch {@code n × lines × pixels} normalised values, row-major; not modified
     * @param n samples in the batch
     * @param lines lines per sample, 1 ≤ lines ≤ {@link #maxLines()}
     * @param pixels pixels per line
     * @return {@code n × lines × K} values when {@link #perLine()}, else {@code n × K}
     */
    float[] predict(float[] batch, int n, int lines, int pixels);
}
