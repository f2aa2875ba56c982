package org.scanline.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ClassWeightedLossTest {

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
            float weighted = Losses.weightedLoss(z, Losses.LossTarget.of(m, labels, classWeights)).getFloat();
            float plain = Losses.weightedLoss(z, Losses.LossTarget.of(m, labels, new float[] {1, 1, 1})).getFloat();
            assertEquals(num / den, weighted, 1e-6);
            assertNotEquals(weighted, plain, 1e-3);
        }
    }
}
