package org.scanline.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.scanline.metrics.ClassificationMetrics;

class ChanceLevelTest {
    static final List<String> CLASSES = List.of("a", "b", "c", "d");

    static Evaluation evaluation(int perClass, java.util.function.IntUnaryOperator predicted, boolean rankOk) {
        int n = perClass * 4;
        int[] labels = new int[n];
        float[] scores = new float[n * 4];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4;
            scores[i * 4 + predicted.applyAsInt(labels[i])] = 0.7f;
            if (rankOk) {
                scores[i * 4 + labels[i]] += 0.2f;
            }
        }
        ClassificationMetrics m = ClassificationMetrics.of(labels, scores, 4);
        return new Evaluation(CLASSES, new int[n], labels, new int[] {16}, List.of(m), List.of(scores), true,
                Optional.of(1), List.of());
    }

    @Test
    void aModelThatAlwaysSaysOneClassIsAtChance() {
        Evaluation e = evaluation(100, c -> 1, false);
        assertEquals(0.25, e.overall().balancedAccuracy(), 1e-12);
        assertEquals(0.25, e.chanceBalancedAccuracy());
        // Two standard errors of 4 recalls ~ Binomial(100, 1/4)/100, averaged: 2·√(4·0.25·0.75/100)/4.
        assertEquals(2 * Math.sqrt(4 * 0.25 * 0.75 / 100) / 4, e.chanceMargin(), 1e-12);
        assertTrue(e.atChance());
        assertTrue(e.aurocAtChance());
    }

    @Test
    void aModelWhoseScoresRankButWhoseArgmaxIsConstantIsAtChanceOnlyInItsDecisions() {
        Evaluation e = evaluation(100, c -> 1, true);
        assertTrue(e.atChance());
        assertFalse(e.aurocAtChance(), "AUROC " + e.overall().macroAuroc());
    }

    @Test
    void aModelThatLearntIsNotAtChanceAndTheMarginShrinksWithTheTestSet() {
        Evaluation good = evaluation(100, c -> c, true);
        assertFalse(good.atChance());
        assertFalse(good.aurocAtChance());
        assertTrue(evaluation(10, c -> c, true).chanceMargin() > 3 * evaluation(100, c -> c, true).chanceMargin());
    }
}
