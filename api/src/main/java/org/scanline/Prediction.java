package org.scanline;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * What a classifier says about a scan after some number of lines: the most probable class, its
 * name, the calibrated probability of every class, how many lines it has seen, and every reason it
 * is not a confident tip state ({@link #reasons()}: low confidence, a sampling the model cannot
 * bridge, a surface it does not know, a non-finite model output). Act only on a prediction that is
 * not {@link #uncertain()}.
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
 * @param lineState the tip state of the last line seen, from models with a tip-state head (model
 *     format ≥ 2, streams only); empty otherwise
 * @param tipChange a confident tip change that this line confirmed (streams only); empty otherwise
 * @param reasons why the prediction is not a confident tip state; empty when it is (an unmodifiable
 *     copy is kept)
 */
@API(status = API.Status.STABLE)
public record Prediction(int classIndex, String className, float[] probabilities, int linesSeen,
        Optional<LineState> lineState, Optional<TipChange> tipChange, Set<Uncertainty> reasons) {

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

    /**
     * A prediction whose only possible reason to be uncertain is a low confidence.
     *
     * @param classIndex index of the most probable class
     * @param className its name
     * @param probabilities calibrated probability of every class
     * @param linesSeen lines the prediction is based on
     * @param uncertain whether the top probability is below the confidence threshold
     * @param lineState the tip state of the last line seen, or empty
     * @param tipChange a tip change this line confirmed, or empty
     */
    public Prediction(int classIndex, String className, float[] probabilities, int linesSeen, boolean uncertain,
            Optional<LineState> lineState, Optional<TipChange> tipChange) {
        this(classIndex, className, probabilities, linesSeen, lineState, tipChange,
                uncertain ? EnumSet.of(Uncertainty.LOW_CONFIDENCE) : EnumSet.noneOf(Uncertainty.class));
    }

    /** Validates and copies the probabilities. */
    public Prediction {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(lineState, "lineState");
        Objects.requireNonNull(tipChange, "tipChange");
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(reasons, "reasons");
        reasons = reasons.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(reasons));
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

    /**
     * @return true when there is any reason not to act on this prediction ({@link #reasons()} is not
     *     empty)
     */
    public boolean uncertain() {
        return !reasons.isEmpty();
    }

    /**
     * @param reason a reason
     * @return a copy of this prediction that also carries that reason; a tip change is dropped, since
     *     nothing should act on it
     */
    public Prediction withReason(Uncertainty reason) {
        if (reasons.contains(reason)) {
            return this;
        }
        EnumSet<Uncertainty> more = reasons.isEmpty() ? EnumSet.noneOf(Uncertainty.class) : EnumSet.copyOf(reasons);
        more.add(reason);
        return new Prediction(classIndex, className, probabilities, linesSeen, lineState, Optional.empty(), more);
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
                && p.reasons.equals(reasons)
                && p.className.equals(className)
                && Arrays.equals(p.probabilities, probabilities)
                && p.lineState.equals(lineState)
                && p.tipChange.equals(tipChange);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classIndex, className, linesSeen, reasons, Arrays.hashCode(probabilities), lineState,
                tipChange);
    }

    @Override
    public String toString() {
        return "Prediction[" + className + " (" + classIndex + "), p=" + String.format("%.3f", confidence())
                + ", lines=" + linesSeen + (reasons.isEmpty() ? "" : ", uncertain " + reasons) + ", probabilities="
                + Arrays.toString(probabilities) + lineState.map(s -> ", " + s).orElse("")
                + tipChange.map(c -> ", " + c).orElse("") + "]";
    }
}
