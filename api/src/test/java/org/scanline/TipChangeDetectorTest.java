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

    // ---- the class-rise trigger ----

    static final TipChangeDetector.ClassRise RISE = new TipChangeDetector.ClassRise(2, 0.3, 0.2, 3);

    /** Class logits whose softmax gives the watched class (index 2 of 3) probability {@code p}. */
    static float[] classWith(double p) {
        double rest = (1 - p) / 2;
        return new float[] {(float) Math.log(rest), (float) Math.log(rest), (float) Math.log(p)};
    }

    /** Feeds the same state probabilities on every line, with the watched class's probability per line. */
    static List<TipChange> runRise(TipChangeDetector d, float[] state, double... watched) {
        List<TipChange> out = new ArrayList<>();
        for (int l = 0; l < watched.length; l++) {
            d.update(l, state, classWith(watched[l])).ifPresent(out::add);
        }
        return out;
    }

    @Test
    void aRiseOfTheWatchedClassAfterCalmLinesIsAChangeEvenWhenTheStateHeadStaysPut() {
        TipChangeDetector d = new TipChangeDetector(STATES, 0.8, 2, RISE);
        float[] sharp = p(0.9f, 0.07f, 0.03f);
        List<TipChange> events = runRise(d, sharp, 0.1, 0.1, 0.1, 0.1, 0.5, 0.9, 0.9);
        assertEquals(1, events.size(), events.toString());
        TipChange e = events.get(0);
        assertEquals(4, e.line());
        assertEquals(4, e.detectedAt());
        assertEquals("sharp", e.from());
        assertEquals("blunt", e.to(), "the most probable state other than the one before");
        assertEquals(0.5, e.confidence(), 1e-6, "the watched class's probability");
        assertEquals(0, d.confirmedState(), "the state switch started afresh and confirmed 'sharp' again, silently");
    }

    @Test
    void withoutCalmLinesFirstARiseIsNoChange() {
        TipChangeDetector d = new TipChangeDetector(STATES, 0.8, 2, RISE);
        float[] sharp = p(0.9f, 0.07f, 0.03f);
        assertEquals(List.of(), runRise(d, sharp, 0.9, 0.9, 0.95, 0.99), "high from the start: an unstable tip, not a change");
        assertEquals(List.of(), runRise(new TipChangeDetector(STATES, 0.8, 2, RISE), sharp, 0.1, 0.1, 0.9, 0.9),
                "two calm lines do not arm a trigger that needs three");
        assertEquals(List.of(), runRise(new TipChangeDetector(STATES, 0.8, 2, RISE), sharp, 0.1, 0.1, 0.1, 0.25, 0.29),
                "below the rise threshold");
    }

    @Test
    void theTriggerFiresOncePerRiseAndRearmsAfterCalmLines() {
        TipChangeDetector d = new TipChangeDetector(STATES, 0.8, 2, RISE);
        float[] sharp = p(0.9f, 0.07f, 0.03f);
        List<TipChange> events = runRise(d, sharp, 0.1, 0.1, 0.1, 0.9, 0.1, 0.9, 0.1, 0.1, 0.1, 0.9);
        assertEquals(List.of(3, 9), events.stream().map(TipChange::detectedAt).toList());
    }

    @Test
    void theClassRiseNeedsTheClassLogitsAndResetDisarmsIt() {
        TipChangeDetector d = new TipChangeDetector(STATES, 0.8, 2, RISE);
        float[] sharp = p(0.9f, 0.07f, 0.03f);
        runRise(d, sharp, 0.1, 0.1, 0.1);
        assertEquals(Optional.empty(), d.update(3, sharp), "the state-only update does not feed the class rise");
        d.reset();
        assertEquals(Optional.empty(), d.update(0, sharp, classWith(0.9)), "reset disarms");
        assertThrows(BadDataException.class, () -> d.update(1, sharp, new float[] {0f, 1f}));
    }

    @Test
    void aStateSwitchAndARiseOnTheSameLinesAreOneChange() {
        TipChangeDetector d = new TipChangeDetector(STATES, 0.8, 2, RISE);
        float[] sharp = p(0.9f, 0.05f, 0.05f);
        float[] blunt = p(0.05f, 0.92f, 0.03f);
        List<TipChange> events = new ArrayList<>();
        float[][] lines = {sharp, sharp, sharp, sharp, blunt, blunt, blunt, blunt};
        double[] watched = {0.1, 0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.9};
        for (int l = 0; l < lines.length; l++) {
            d.update(l, lines[l], classWith(watched[l])).ifPresent(events::add);
        }
        assertEquals(List.of(new TipChange(4, 5, "sharp", "blunt", 0.92f)), events, "the switch reports it, the rise is spent");
    }

    @Test
    void badClassRiseSettingsAreRefused() {
        assertThrows(BadConfigException.class, () -> new TipChangeDetector.ClassRise(-1, 0.3, 0.2, 3));
        assertThrows(BadConfigException.class, () -> new TipChangeDetector.ClassRise(0, 0.3, 0.3, 3));
        assertThrows(BadConfigException.class, () -> new TipChangeDetector.ClassRise(0, 1.2, 0.2, 3));
        BadConfigException e = assertThrows(BadConfigException.class, () -> new TipChangeDetector.ClassRise(0, 0.3, 0.2, 0));
        assertTrue(e.getMessage().contains("calm line"), e.getMessage());
        assertThrows(BadConfigException.class,
                () -> ScanLineClassifier.Options.builder().tipChangeClassRise("generic defects", 0.3, 0.5, 8).build());
    }

    @Test
    void theDefaultDetectorIsTheOneChosenOnTheTuningSeed() {
        ScanLineClassifier.Options o = ScanLineClassifier.Options.defaults();
        assertEquals(0.7, o.tipChangeThreshold());
        assertEquals(3, o.tipChangeLines());
        assertEquals("generic defects", o.tipChangeClass());
        List<String> classes = List.of("individual atoms", "asymmetries/dimers", "rows", "generic defects");
        assertEquals(Optional.of(new TipChangeDetector.ClassRise(3, 0.3, 0.2, 8)), o.tipChangeClassRise(classes));
        assertEquals(Optional.empty(), o.tipChangeClassRise(List.of("good", "bad")), "a model without the class: state switch only");
        ScanLineClassifier.Options off = o.toBuilder().tipChangeClassRise(null, 0, 0, 0).build();
        assertEquals(Optional.empty(), off.tipChangeClassRise(classes));
        assertEquals(o, o.toBuilder().build());
        assertEquals(off, off.toBuilder().build());
    }
}
