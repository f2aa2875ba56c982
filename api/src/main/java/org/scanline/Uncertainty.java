package org.scanline;

import org.apiguardian.api.API;

/**
 * Why a {@link Prediction} is not a confident tip state. A prediction carries every reason that
 * applies ({@link Prediction#reasons()}); it is {@linkplain Prediction#uncertain() uncertain} when
 * there is at least one, and acquisition software should then not act on its class or tip state.
 *
 * <pre>{@code
 * Prediction p = stream.push(line).orElseThrow();
 * if (p.reasons().contains(Uncertainty.UNKNOWN_SURFACE)) warn("this does not look like H:Si(100)");
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public enum Uncertainty {
    /** The top class probability is below the classifier's confidence threshold. */
    LOW_CONFIDENCE("low confidence"),
    /**
     * The scan's physical sampling is outside what the model was trained on and cannot be brought to
     * it (pixels coarser than the model's coarsest, or a frame smaller than its field of view).
     */
    SAMPLING("sampling outside the model's range"),
    /** The lines do not look like the surface the model was trained on. */
    UNKNOWN_SURFACE("not a surface the model knows"),
    /** The model produced NaN or infinite outputs for these lines; its probabilities mean nothing. */
    NON_FINITE_OUTPUT("the model's output is not finite");

    private final String description;

    Uncertainty(String description) {
        this.description = description;
    }

    /** @return a few words for people, e.g. {@code "sampling outside the model's range"} */
    public String description() {
        return description;
    }
}
