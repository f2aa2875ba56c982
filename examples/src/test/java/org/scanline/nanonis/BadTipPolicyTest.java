package org.scanline.nanonis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.scanline.BadConfigException;
import org.scanline.Prediction;

class BadTipPolicyTest {
    static final List<String> NAMES = List.of("atoms", "dimers", "rows", "defects");

    static Prediction p(int cls, float conf, int lines) {
        float[] probs = new float[4];
        probs[cls] = conf;
        probs[(cls + 1) % 4] = 1 - conf;
        return new Prediction(cls, NAMES.get(cls), probs, lines, conf < 0.6);
    }

    @Test
    void theClassTriggerNeedsABadClassEnoughConfidenceAndEnoughLines() {
        BadTipPolicy policy = new BadTipPolicy(List.of(BadTipPolicy.badClass(Set.of(2, 3), NAMES, 0.9, 8)));
        assertTrue(policy.decide(p(2, 0.95f, 8), 7).badTip());
        assertEquals("class 'rows' p=0.950 ≥ 0.90 after 8 lines", policy.decide(p(2, 0.95f, 8), 7).reason());
        assertFalse(policy.decide(p(2, 0.95f, 7), 6).badTip(), "too few lines");
        assertFalse(policy.decide(p(3, 0.89f, 20), 19).badTip(), "not confident enough");
        assertFalse(policy.decide(p(0, 0.99f, 20), 19).badTip(), "a good class");
        assertEquals(BadTipPolicy.Decision.OK, policy.decide(p(1, 0.99f, 20), 19));
        assertEquals("class in [rows, defects] with p ≥ 0.90 after ≥ 8 lines", policy.describe());
    }

    /** Tip-change events from a stand-in: the event a model with a tip-change output would report. */
    static TipSignals events(TipChangeEvent e) {
        return new TipSignals() {
            @Override
            public Optional<TipChangeEvent> tipChange(Prediction p) {
                return p.linesSeen() >= e.line() ? Optional.of(e) : Optional.empty();
            }

            @Override
            public float[] lineState(Prediction p) {
                return new float[0];
            }

            @Override
            public boolean providesTipChanges() {
                return true;
            }
        };
    }

    @Test
    void theTipChangeTriggerFiresOnAConfidentChangeTowardABadState() {
        BadTipPolicy.Trigger toBad = BadTipPolicy.tipChange(events(new TipChangeEvent(12, 0, 3, 0.97)), Set.of(2, 3), 0.9, 4);
        BadTipPolicy policy = new BadTipPolicy(List.of(BadTipPolicy.badClass(Set.of(2), NAMES, 0.9, 8), toBad));
        assertFalse(policy.decide(p(0, 0.99f, 11), 10).badTip());
        BadTipPolicy.Decision d = policy.decide(p(0, 0.99f, 13), 12);
        assertTrue(d.badTip());
        assertEquals("tip change at line 12, state 0 → 3, p=0.970 ≥ 0.90", d.reason());
        BadTipPolicy.Trigger toGood = BadTipPolicy.tipChange(events(new TipChangeEvent(5, 3, 0, 0.99)), Set.of(2, 3), 0.9, 4);
        assertFalse(new BadTipPolicy(List.of(toGood)).decide(p(0, 0.99f, 10), 9).badTip(), "a change to a good tip is not bad");
        BadTipPolicy.Trigger unsure = BadTipPolicy.tipChange(events(new TipChangeEvent(5, 0, 3, 0.5)), Set.of(3), 0.9, 4);
        assertFalse(new BadTipPolicy(List.of(unsure)).decide(p(0, 0.99f, 10), 9).badTip());
    }

    @Test
    void withoutTipChangesInTheApiTheTriggerIsRefusedNotSilent() {
        assertFalse(TipSignals.ofPrediction().providesTipChanges());
        assertEquals(0, TipSignals.ofPrediction().lineState(p(0, 0.9f, 1)).length);
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> BadTipPolicy.tipChange(TipSignals.ofPrediction(), Set.of(3), 0.9, 4));
        assertTrue(e.getMessage().contains("Prediction.tipChange()"), e.getMessage());
    }

    @Test
    void badSettingsAreRefusedWithTheValue() {
        assertTrue(assertThrows(BadConfigException.class, () -> BadTipPolicy.badClass(Set.of(4), NAMES, 0.9, 1))
                .getMessage().contains("class 4 does not exist"));
        assertTrue(assertThrows(BadConfigException.class, () -> BadTipPolicy.badClass(Set.of(1), NAMES, 1.5, 1))
                .getMessage().contains("1.5"));
        assertTrue(assertThrows(BadConfigException.class, () -> BadTipPolicy.badClass(Set.of(1), NAMES, 0.9, 0))
                .getMessage().contains("found 0"));
        assertThrows(BadConfigException.class, () -> new BadTipPolicy(List.of()));
    }
}
