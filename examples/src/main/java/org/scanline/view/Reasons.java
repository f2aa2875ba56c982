package org.scanline.view;

import java.util.List;
import org.scanline.Prediction;
import org.scanline.Uncertainty;

/** Why a prediction is uncertain, as the page lists it beside its line: scanline-api's {@link Uncertainty}. */
final class Reasons {
    private Reasons() {
    }

    /**
     * @param p a prediction
     * @return its reasons for being uncertain, in the enum's order; empty when it is not
     */
    static List<Uncertainty> of(Prediction p) {
        return p.reasons().stream().sorted().toList();
    }
}
