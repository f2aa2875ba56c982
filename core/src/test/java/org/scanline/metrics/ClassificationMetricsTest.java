package org.scanline.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    @Test
    void argmaxReadsOneRowAndBreaksTiesTowardsTheFirstClass() {
        float[] rows = {9f, 0f, 1f, /* row 1: */ 0.2f, 0.5f, 0.5f, /* row 2: */ -3f, -1f, -2f};
        assertEquals(0, ClassificationMetrics.argmax(rows, 0, 3));
        assertEquals(1, ClassificationMetrics.argmax(rows, 3, 3), "a tie goes to the lower class");
        assertEquals(1, ClassificationMetrics.argmax(rows, 6, 3));
    }

    @Test
    void binaryAurocCountsTiesAsHalf() {
        // sklearn: roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) == 0.75
        assertEquals(0.75, ClassificationMetrics.binaryAuroc(
                new boolean[] {false, false, true, true}, new double[] {0.1, 0.4, 0.35, 0.8}), 1e-12);
        // One positive tied with one negative at 0.5, the other positive above: (1 + 0.5 + 1 + 1) / 4.
        assertEquals(0.875, ClassificationMetrics.binaryAuroc(
                new boolean[] {false, false, true, true}, new double[] {0.1, 0.5, 0.5, 0.9}), 1e-12);
        // All scores equal: a coin flip.
        assertEquals(0.5, ClassificationMetrics.binaryAuroc(
                new boolean[] {false, true, true}, new double[] {0.3, 0.3, 0.3}), 1e-12);
        assertTrue(Double.isNaN(ClassificationMetrics.binaryAuroc(new boolean[] {true, true}, new double[] {0, 1})));
    }

    @Test
    void aurocEqualsPairCountingOnRandomScoresWithTies() {
        Random r = new Random(7);
        int n = 300;
        boolean[] pos = new boolean[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            pos[i] = r.nextDouble() < 0.3;
            s[i] = r.nextInt(20) / 20.0; // many ties
        }
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (pos[i] && !pos[j]) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        assertEquals(wins / pairs, ClassificationMetrics.binaryAuroc(pos, s), 1e-12);
    }

    @Test
    void handComputedMulticlassCase() {
        int[] y = {0, 0, 1, 1, 2, 2};
        float[] p = {
            0.8f, 0.1f, 0.1f,
            0.3f, 0.6f, 0.1f, // wrong: predicted 1
            0.2f, 0.7f, 0.1f,
            0.1f, 0.8f, 0.1f,
            0.1f, 0.2f, 0.7f,
            0.5f, 0.2f, 0.3f, // wrong: predicted 0
        };
        ClassificationMetrics m = ClassificationMetrics.of(y, p, 3);
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        assertEquals((0.5 + 1.0 + 0.5) / 3, m.balancedAccuracy(), 1e-12);
        assertArrayEquals(new long[] {1, 1, 0}, m.confusionMatrix()[0]);
        assertArrayEquals(new long[] {1, 0, 1}, m.confusionMatrix()[2]);
        assertEquals(0.5, m.precision(0), 1e-12); // predicted 0: samples 0 and 5
        assertEquals(2.0 / 3, m.precision(1), 1e-12);
        assertEquals(2 * 0.5 * 0.5 / 1.0, m.f1(0), 1e-12);
        // Class 0 scores: positives {0.8, 0.3}, negatives {0.2, 0.1, 0.1, 0.5}: 4 + 3 wins of 8.
        assertEquals(7.0 / 8, m.auroc(0), 1e-12);
        // Class 2: positives {0.7, 0.3} against negatives all at 0.1.
        double expected2 = pairAuc(new double[] {0.7, 0.3}, new double[] {0.1, 0.1, 0.1, 0.1});
        assertEquals(expected2, m.auroc(2), 1e-12);
        assertEquals((m.auroc(0) + m.auroc(1) + m.auroc(2)) / 3, m.macroAuroc(), 1e-12);
    }

    @Test
    void absentClassIsLeftOutAndReported() {
        int[] y = {0, 0, 1, 1};
        float[] p = {0.9f, 0.05f, 0.05f, 0.6f, 0.3f, 0.1f, 0.2f, 0.7f, 0.1f, 0.4f, 0.5f, 0.1f};
        ClassificationMetrics m = ClassificationMetrics.of(y, p, 3);
        assertArrayEquals(new int[] {2}, m.aurocClassesSkipped());
        assertEquals((m.auroc(0) + m.auroc(1)) / 2, m.macroAuroc(), 1e-12);
        assertEquals(1.0, m.balancedAccuracy(), 1e-12); // sklearn ignores the absent class
        assertEquals(0, m.support(2));
    }

    @Test
    void rejectsMismatchedLengths() {
        assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.of(new int[] {0, 1}, new float[] {0.5f, 0.5f}, 2));
        assertThrows(IllegalArgumentException.class,
                () -> ClassificationMetrics.of(new int[] {0, 2}, new float[] {1, 0, 0, 1}, 2));
    }

    private static double pairAuc(double[] pos, double[] neg) {
        double w = 0;
        for (double a : pos) {
            for (double b : neg) {
                w += a > b ? 1 : a == b ? 0.5 : 0;
            }
        }
        return w / (pos.length * neg.length);
    }
}
