package org.scanline;

import java.util.Arrays;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The tip state of the line just pushed, as a model with a tip-state head (model format ≥ 2) sees
 * it: "what state is the tip in now", as opposed to the scan's class so far.
 *
 * @param index index of the most probable state
 * @param name its name (the model's {@code scanline.line_states})
 * @param probabilities probability of every state, summing to 1
 */
@API(status = API.Status.EXPERIMENTAL)
public record LineState(int index, String name, float[] probabilities) {

    /** Validates and copies the probabilities. */
    public LineState {
        Objects.requireNonNull(name, "name");
        probabilities = Objects.requireNonNull(probabilities, "probabilities").clone();
        if (index < 0 || index >= probabilities.length) {
            throw new IllegalArgumentException("index " + index + " outside [0, " + probabilities.length + ")");
        }
    }

    /** @return a copy of the state probabilities */
    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    /** @return the probability of the most probable state */
    public float confidence() {
        return probabilities[index];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LineState s && s.index == index && s.name.equals(name)
                && Arrays.equals(s.probabilities, probabilities);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, name, Arrays.hashCode(probabilities));
    }

    @Override
    public String toString() {
        return "LineState[" + name + " (" + index + "), p=" + String.format(java.util.Locale.ROOT, "%.3f", confidence()) + "]";
    }
}
