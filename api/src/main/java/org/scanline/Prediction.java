package org.scanline;

import java.util.Arrays;
import java.util.Objects;
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
 */
@API(status = API.Status.STABLE)
public record Prediction(int classIndex, String className, float[] probabilities, int linesSeen, boolean uncertain) {

    /** Validates and copies the probabilities. */
    public Prediction {
        Objects.requireNonNull(className, "className");
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
                && Arrays.equals(p.probabilities, probabilities);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classIndex, className, linesSeen, uncertain, Arrays.hashCode(probabilities));
    }

    @Override
    public String toString() {
        return "Prediction[" + className + " (" + classIndex + "), p=" + String.format("%.3f", confidence())
                + ", lines=" + linesSeen + (uncertain ? ", uncertain" : "") + ", probabilities="
                + Arrays.toString(probabilities) + "]";
    }
}
