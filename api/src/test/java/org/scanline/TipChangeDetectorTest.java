package org.scanline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TipChangeDetectorTest {
    static final List<String> STATES = List.of("sharp", "blunt", "unstable");

    static float[] p(float... v) {
        return v;
    }

    /** Feeds the lines and returns the events. */
    static List<TipChange> run(TipChangeDetector d, float[]... lines) {
        List<TipChange> out = new ArrayList<>();
        for (int l = 0; l < lines.length; l++) {
            d.update(l, lines[l]).ifPresent(out::add);
        }
        return out;
    }

    @Test
    void theFirstConfirmedStateIsNotAChangeAndAConfirmedSwitchIs() {
        TipChangeDetector d = new TipChangeDetector(STATES, 0.8, 2);
        float[] sharp = p(0.9f, 0.05f, 0.05f);
        float[] blunt = p(0.05f, 0.92f, 0.03f);
        List<TipChange> events = run(d, sharp, sharp, sharp, blunt, blunt, blunt);
        assertEquals(List.of(new TipChange(3, 4, "sharp", "blunt", 0.92f)), events);
        assertEquals(1, d.confirmedState());
    }

    @Test
    void aSingleConfidentLineIsNoChangeWithPersistenceTwo() {
        TipChangeDetector d = new TipChangeDetector(STATES, 0.8, 2);
        float[] sharp = p(0.9f, 0.05f, 0.05f);
        float[] spike = p(0.05f, 0.05f, 0.9f);
        assertEquals(List.of(), run(d, sharp, sharp, spike, sharp, sharp));
    }

    @Test
    void unconfidentLinesBreakARun() {
        TipChangeDetector d = new TipChangeDetector(STATES, 0.8, 2);
        float[] sharp = p(0.9f, 0.05f, 0.05f);
        float[] blunt = p(0.05f, 0.9f, 0.05f);
        float[] unsure = p(0.4f, 0.5f, 0.1f);
        assertEquals(List.of(), run(d, sharp, sharp, blunt, unsure, blunt, unsure));
        // …but a later confirmed run reports the line it started on.
        assertEquals(Optional.empty(), d.update(6, blunt));
        assertEquals(Optional.of(new TipChange(6, 7, "sharp", "blunt", 0.9f)), d.update(7, blunt));
    }

    @Test
    void resetForgetsTheConfirmedState() {
        TipChangeDetector d = new TipChangeDetector(STATES, 0.8, 1);
        run(d, p(0.9f, 0.05f, 0.05f));
        d.reset();
        assertEquals(-1, d.confirmedState());
        assertEquals(List.of(), run(d, p(0.05f, 0.9f, 0.05f)), "after reset the first state is not a change");
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(BadConfigException.class, () -> new TipChangeDetector(STATES, 0, 2));
        assertThrows(BadConfigException.class, () -> new TipChangeDetector(STATES, 1.5, 2));
        BadConfigException e = assertThrows(BadConfigException.class, () -> new TipChangeDetector(STATES, 0.8, 0));
        assertTrue(e.getMessage().contains("persistence"), e.getMessage());
    }
}
