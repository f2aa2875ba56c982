package org.scanline;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a classifier says about a scan after some number of lines: the most probable class, its
 * name, the calibrated probability of every class, how many lines it has seen, and whether the
 * top probability is below the classifier's confidence threshold.
 *
 * <pre>{@code
 * Prediction p = stream.push(line);
 * if (!p.uncertain() && p.classIndex() == 3) abortScanAndConditionTip();
 * }</pre>
 *
 * @param classIndex index of the most probable class, into the model's class list
 * @param className name of that class
 * @param probabilities calibrated probability of every class (a defensive copy is kept)
 * @param linesSeen number of scan lines the prediction is based on (at least 1)
 * @param uncertain true when the top probability is below the classifier's threshold
 * @param lineState the tip state of the last line seen, from models with a tip-state head (model
 *     format ≥ 2, streams only); empty otherwise
 * @param tipChange a confident tip change that this line confirmed (streams only); empty otherwise
 */
@API(status = API.Status.STABLE)
public record Prediction(int classIndex, String className, float[] probabilities, int linesSeen, boolean uncertain,
        Optional<LineState> lineState, Optional<TipChange> tipChange) {

    /**
     * A prediction without tip-state information (a model without a tip-state head).
     *
     * @param classIndex index of the most probable class
     * @param className its name
     * @param probabilities calibrated probability of every class
     * @param linesSeen lines the prediction is based on
     * @param uncertain whether the top probability is below the confidence threshold
     */
    public Prediction(int classIndex, String className, float[] probabilities, int linesSeen, boolean uncertain) {
        this(classIndex, className, probabilities, linesSeen, uncertain, Optional.empty(), Optional.empty());
    }

    /** Validates and copies the probabilities. */
    public Prediction {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(lineState, "lineState");
        Objects.requireNonNull(tipChange, "tipChange");
        Objects.requireNonNull(probabilities, "probabilities");
        if (classIndex < 0 || classIndex >= probabilities.length) {
            throw new IllegalArgumentException(
                    "classIndex " + classIndex + " outside [0, " + probabilities.length + ")");
        }
        if (linesSeen < 1) {
            throw new IllegalArgumentException("linesSeen must be at least 1, got " + linesSeen);
        }
        probabilities = probabilities.clone();
    }

    /** @return a copy of the class probabilities */
    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    /** @return the probability of the predicted class */
    public float confidence() {
        return probabilities[classIndex];
    }

    /**
     * @param index class index
     * @return the probability of that class
     */
    public float probability(int index) {
        return probabilities[index];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p
                && p.classIndex == classIndex
                && p.linesSeen == linesSeen
                && p.uncertain == uncertain
                && p.className.equals(className)
                && Arrays.equals(p.probabilities, probabilities)
                && p.lineState.equals(lineState)
                && p.tipChange.equals(tipChange);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classIndex, className, linesSeen, uncertain, Arrays.hashCode(probabilities), lineState,
                tipChange);
    }

    @Override
    public String toString() {
        return "Prediction[" + className + " (" + classIndex + "), p=" + String.format("%.3f", confidence())
                + ", lines=" + linesSeen + (uncertain ? ", uncertain" : "") + ", probabilities="
                + Arrays.toString(probabilities) + lineState.map(s -> ", " + s).orElse("")
                + tipChange.map(c -> ", " + c).orElse("") + "]";
    }
}
