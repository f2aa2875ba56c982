package org.scanline.view;

import java.util.List;
import org.scanline.Prediction;

/** Why a prediction is uncertain, as the page lists it beside its line. */
final class Reasons {
    private Reasons() {
    }

    /**
     * @param p a prediction
     * @return its reasons for being uncertain; empty when it is not
     */
    static List<String> of(Prediction p) {
        return p.uncertain() ? List.of("uncertain") : List.of();
    }
}
