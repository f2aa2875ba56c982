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
import org.scanline.TipChange;

class BadTipPolicyTest {
    static final List<String> NAMES = List.of("atoms", "dimers", "rows", "defects");

    static Prediction p(int cls, float conf, int lines) {
        float[] probs = new float[4];
        probs[cls] = conf;
        probs[(cls + 1) % 4] = 1 - conf;
        return new Prediction(cls, NAMES.get(cls), probs, lines, conf < 0.6);
    }

    /** A prediction with these probabilities after {@code lines} lines. */
    static Prediction probs(int lines, float... p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
        }
        return new Prediction(best, NAMES.get(best), p, lines, p[best] < 0.6);
    }

    @Test
    void theClassTriggerNeedsTheBadClassesProbableEnoughAfterEnoughLines() {
        BadTipPolicy policy = new BadTipPolicy(List.of(BadTipPolicy.badClass(Set.of(2, 3), NAMES, 0.9, 8)));
        assertTrue(policy.decide(p(2, 0.95f, 8), 7).badTip());
        assertEquals("p(rows + defects) = 0.950 ≥ 0.90 after 8 lines", policy.decide(probs(8, 0.05f, 0, 0.95f, 0), 7).reason());
        assertFalse(policy.decide(p(2, 0.95f, 7), 6).badTip(), "too few lines");
        assertFalse(policy.decide(probs(20, 0.11f, 0, 0.5f, 0.39f), 19).badTip(), "p(bad) 0.89: not enough");
        BadTipPolicy.Decision torn = policy.decide(probs(20, 0.02f, 0.03f, 0.5f, 0.45f), 19);
        assertTrue(torn.badTip(), "torn between two bad classes is bad");
        assertEquals("p(rows + defects) = 0.950 ≥ 0.90 after 20 lines", torn.reason());
        assertFalse(policy.decide(p(0, 0.99f, 20), 19).badTip(), "a good class");
        assertEquals(BadTipPolicy.Decision.OK, policy.decide(p(1, 0.99f, 20), 19));
        assertEquals("p(rows + defects) ≥ 0.90 after ≥ 8 lines", policy.describe());
    }

    /** A prediction after {@code lines} lines that reports a tip change. */
    static Prediction changed(int lines, TipChange c) {
        return new Prediction(0, "atoms", new float[] {0.9f, 0.1f, 0, 0}, lines, false, Optional.empty(), Optional.of(c));
    }

    @Test
    void theTipChangeTriggerFiresOnAConfidentChangeTowardABadState() {
        BadTipPolicy.Trigger toBad = BadTipPolicy.tipChange(Set.of("rows", "defects"), NAMES, 0.9, 4);
        BadTipPolicy policy = new BadTipPolicy(List.of(BadTipPolicy.badClass(Set.of(2), NAMES, 0.9, 8), toBad));
        assertFalse(policy.decide(p(0, 0.99f, 13), 12).badTip(), "no change reported");
        BadTipPolicy.Decision d = policy.decide(changed(13, new TipChange(11, 12, "atoms", "defects", 0.97f)), 12);
        assertTrue(d.badTip());
        assertEquals("tip change at line 11 (confirmed at 12): 'atoms' → 'defects', p=0.970 ≥ 0.90", d.reason());
        assertFalse(policy.decide(changed(13, new TipChange(11, 12, "defects", "atoms", 0.99f)), 12).badTip(),
                "a change to a good tip is not bad");
        assertFalse(policy.decide(changed(13, new TipChange(11, 12, "atoms", "rows", 0.5f)), 12).badTip(), "unsure");
        assertFalse(policy.decide(changed(3, new TipChange(1, 2, "atoms", "rows", 0.99f)), 2).badTip(), "too early");
        assertEquals("p(rows) ≥ 0.90 after ≥ 8 lines or tip change to [defects, rows] with p ≥ 0.90 after ≥ 4 lines",
                policy.describe());
    }

    @Test
    void theTipChangeTriggerNeedsAModelWithTipStates() {
        BadConfigException none = assertThrows(BadConfigException.class,
                () -> BadTipPolicy.tipChange(Set.of("rows"), List.of(), 0.9, 4));
        assertTrue(none.getMessage().contains("needs a model with a tip-state head"), none.getMessage());
        BadConfigException unknown = assertThrows(BadConfigException.class,
                () -> BadTipPolicy.tipChange(Set.of("zebra"), NAMES, 0.9, 4));
        assertTrue(unknown.getMessage().contains("tip state 'zebra' does not exist"), unknown.getMessage());
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
