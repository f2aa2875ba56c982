package org.scanline.nanonis;

import java.util.Optional;
import org.scanline.Prediction;

/**
 * The tip-state signals a prediction may carry beyond its class: per-line tip-state probabilities
 * of the line just pushed, and tip-change events. The watch loop reads them only through this
 * interface, so that the tip-change trigger of {@link BadTipPolicy} plugs in without touching the
 * loop.
 *
 * <p>{@link #ofPrediction()} is the one place that maps {@link Prediction} to these signals.
 * {@code scanline-api} does not carry them yet ({@code Prediction.lineState()} and
 * {@code Prediction.tipChange()} are being added with a model format that has a line-state head);
 * until then it reports no line state and no events, and {@link #providesTipChanges()} is false, so
 * {@code scanline watch --on-tip-change} is refused rather than silently never firing.
 */
public interface TipSignals {

    /**
     * @param p a prediction
     * @return the tip change the model reports with this prediction, if any
     */
    Optional<TipChangeEvent> tipChange(Prediction p);

    /**
     * @param p a prediction
     * @return tip-state probabilities of the line just pushed; empty when the model has no line-state output
     */
    float[] lineState(Prediction p);

    /** @return true when {@link #tipChange} can ever report an event */
    boolean providesTipChanges();

    /**
     * The signals of scanline-api's {@link Prediction} as it is today: none. The hook to wire
     * {@code Prediction.lineState()} and {@code Prediction.tipChange()} into once they exist.
     *
     * @return the signals {@link Prediction} carries
     */
    static TipSignals ofPrediction() {
        return None.INSTANCE;
    }

    /** No line state, no tip-change events. */
    enum None implements TipSignals {
        /** The only instance. */
        INSTANCE;

        private static final float[] EMPTY = new float[0];

        @Override
        public Optional<TipChangeEvent> tipChange(Prediction p) {
            return Optional.empty();
        }

        @Override
        public float[] lineState(Prediction p) {
            return EMPTY;
        }

        @Override
        public boolean providesTipChanges() {
            return false;
        }
    }
}
