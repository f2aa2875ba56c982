package org.scanline.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ClassWeightedLossTest {

    @Test
    void classWeightsAreNOverKTimesClassCount() {
        float[] w = StratifiedSplit.classWeights(new int[] {0, 0, 0, 1, 2, 2}, 4);
        assertArrayEquals(new float[] {6f / (4 * 3), 6f / 4, 6f / (4 * 2), 0f}, w, 1e-7f);
    }

    @Test
    void lossIsTheWeightedMeanOverSamplesAndLines() {
        float[] logits = {0.1f, 2f, -1f, 0.5f, 0.5f, 0.3f, // sample 0, lines 0 and 1
            -2f, 0f, 1.5f, 3f, 1f, 0f};                    // sample 1
        int[] labels = {0, 2};
        float[] classWeights = {0.5f, 1f, 2f};
        double num = 0;
        double den = 0;
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 2; t++) {
                int o = (b * 2 + t) * 3;
                double lse = Math.log(Math.exp(logits[o]) + Math.exp(logits[o + 1]) + Math.exp(logits[o + 2]));
                num += classWeights[labels[b]] * (lse - logits[o + labels[b]]);
                den += classWeights[labels[b]];
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(logits, new Shape(2, 2, 3));
            float weighted = TrainingLoop.weightedLoss(z, TrainingLoop.LossTarget.of(m, labels, classWeights)).getFloat();
            float plain = TrainingLoop.weightedLoss(z, TrainingLoop.LossTarget.of(m, labels, new float[] {1, 1, 1})).getFloat();
            assertEquals(num / den, weighted, 1e-6);
            assertNotEquals(weighted, plain, 1e-3);
        }
    }

    @Test
    void splitIsStratifiedDisjointAndSeeded() {
        int[] labels = new int[40];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 30 ? 0 : 1;
        }
        StratifiedSplit s = StratifiedSplit.of(labels, 2, 0.5, 0.3, 1, "test");
        assertEquals(15 + 5, s.train.length);
        assertEquals(9 + 3, s.valid.length);
        assertEquals(6 + 2, s.test.length);
        assertArrayEquals(s.valid, StratifiedSplit.of(labels, 2, 0.5, 0.3, 1, "test").valid);
        java.util.Set<Integer> all = new java.util.HashSet<>();
        for (int[] part : new int[][] {s.train, s.valid, s.test}) {
            for (int i : part) {
                assertEquals(true, all.add(i));
            }
        }
        assertEquals(40, all.size());
    }
}
