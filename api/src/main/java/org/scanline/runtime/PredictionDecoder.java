package org.scanline.runtime;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;
import org.scanline.LineState;
import org.scanline.ModelInfo;
import org.scanline.Prediction;
import org.scanline.TipChange;
import org.scanline.Uncertainty;

/**
 * Turns a model's logits into a {@link Prediction}: the softmax with the model's calibration
 * temperature, the line's tip state, and every reason the prediction is not a confident tip state.
 * The one softmax of the project: the runtime, export calibration and evaluation all use it, so a
 * probability means the same everywhere.
 *
 * <p>Non-finite logits (a model with NaN weights, an overflow) never become a class: the
 * probabilities are uniform and the prediction carries {@link Uncertainty#NON_FINITE_OUTPUT}.
 *
 * <pre>{@code
 * PredictionDecoder decoder = new PredictionDecoder(info, 0.6);
 * Prediction p = decoder.decode(logits, linesSeen);
 * }</pre>
 */
@API(status = API.Status.INTERNAL)
public final class PredictionDecoder {
    private final ModelInfo info;
    private final double confidenceThreshold;

    /**
     * @param info the model: class and state names, temperature
     * @param confidenceThreshold top probability below which a prediction has {@link Uncertainty#LOW_CONFIDENCE}
     */
    public PredictionDecoder(ModelInfo info, double confidenceThreshold) {
        this.info = info;
        this.confidenceThreshold = confidenceThreshold;
    }

    /** @return the model the decoder names classes for */
    public ModelInfo info() {
        return info;
    }

    /** @return the confidence threshold */
    public double confidenceThreshold() {
        return confidenceThreshold;
    }

    /**
     * @param logits class logits after the last line
     * @param linesSeen lines the logits are based on
     * @return the calibrated prediction, without tip state
     */
    public Prediction decode(float[] logits, int linesSeen) {
        return decode(logits, linesSeen, Optional.empty(), Optional.empty());
    }

    /**
     * @param logits class logits after the last line
     * @param linesSeen lines the logits are based on
     * @param state the line's tip state, or empty
     * @param change a tip change the line confirmed, or empty
     * @return the calibrated prediction
     */
    public Prediction decode(float[] logits, int linesSeen, Optional<LineState> state, Optional<TipChange> change) {
        boolean finite = finite(logits);
        float[] probs = finite ? softmax(logits, info.temperature()) : uniform(logits.length);
        return fromProbabilities(probs, linesSeen, state, change,
                finite ? EnumSet.noneOf(Uncertainty.class) : EnumSet.of(Uncertainty.NON_FINITE_OUTPUT));
    }

    /**
     * A prediction from probabilities already calibrated (tiles of a line combined, for example).
     *
     * @param probs probability of every class
     * @param linesSeen lines they are based on
     * @param state the line's tip state, or empty
     * @param change a tip change the line confirmed, or empty; dropped when {@code reasons} is not empty (a low
     *     class confidence alone keeps it: the tip state is judged line by line, apart from the class)
     * @param reasons reasons known beforehand; {@link Uncertainty#LOW_CONFIDENCE} is added here when it applies
     * @return the prediction
     */
    public Prediction fromProbabilities(float[] probs, int linesSeen, Optional<LineState> state,
            Optional<TipChange> change, Set<Uncertainty> reasons) {
        int best = argmax(probs);
        EnumSet<Uncertainty> why = reasons.isEmpty() ? EnumSet.noneOf(Uncertainty.class) : EnumSet.copyOf(reasons);
        Optional<TipChange> kept = why.isEmpty() ? change : Optional.empty();
        if (!(probs[best] >= confidenceThreshold)) {
            why.add(Uncertainty.LOW_CONFIDENCE);
        }
        return new Prediction(best, info.classNames().get(best), probs, linesSeen, state, kept, why);
    }

    /**
     * @param stateLogits per-line tip-state logits (not temperature-scaled: the calibration fits the classes)
     * @return the most probable state with every state's probability; uniform when a logit is not finite
     */
    public LineState lineState(float[] stateLogits) {
        float[] probs = finite(stateLogits) ? softmax(stateLogits, 1) : uniform(stateLogits.length);
        int best = argmax(probs);
        return new LineState(best, info.lineStateNames().get(best), probs);
    }

    /**
     * @param logits logits
     * @param temperature divisor of the logits
     * @return {@code softmax(logits / temperature)}, max-subtracted, summed in double
     */
    public static float[] softmax(float[] logits, double temperature) {
        float[] probs = logits.clone();
        softmax(probs, 0, probs.length, temperature);
        return probs;
    }

    /**
     * Replaces {@code values[offset, offset + k)} by {@code softmax(values / temperature)}, in place.
     *
     * @param values logits
     * @param offset first logit
     * @param k number of classes
     * @param temperature divisor of the logits
     */
    public static void softmax(float[] values, int offset, int k, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, values[offset + c] / temperature);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += Math.exp(values[offset + c] / temperature - max);
        }
        for (int c = 0; c < k; c++) {
            values[offset + c] = (float) (Math.exp(values[offset + c] / temperature - max) / sum);
        }
    }

    /**
     * @param logits logits
     * @param index a class
     * @param temperature divisor of the logits
     * @return {@code log softmax(logits / temperature)[index]}, exact where the probability underflows
     */
    public static double logProbability(float[] logits, int index, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v / temperature);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v / temperature - max);
        }
        return logits[index] / temperature - max - Math.log(sum);
    }

    /**
     * @param values values
     * @return whether every value is finite
     */
    public static boolean finite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static float[] uniform(int k) {
        float[] p = new float[k];
        java.util.Arrays.fill(p, 1f / k);
        return p;
    }

    /**
     * @param values values
     * @return the index of the largest (the first on ties)
     */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
