package org.scanline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The worked examples of scikit-learn's own documentation, reproduced: the values in the
 * assertions are the ones printed in the scikit-learn docs for these inputs.
 */
class SklearnReferenceTest {

    /** One-hot scores: hard predictions as probabilities. */
    private static float[] oneHot(int[] predicted, int k) {
        float[] s = new float[predicted.length * k];
        for (int i = 0; i < predicted.length; i++) {
            s[i * k + predicted[i]] = 1;
        }
        return s;
    }

    @Test
    void balancedAccuracyScoreDocExample() {
        // balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1]) == 0.625
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 1, 0, 0, 1, 0}, oneHot(new int[] {0, 1, 0, 0, 0, 1}, 2), 2);
        assertEquals(0.625, m.balancedAccuracy(), 1e-12);
    }

    @Test
    void precisionRecallFscoreSupportDocExample() {
        // y_true = [cat, dog, pig, cat, dog, pig], y_pred = [cat, pig, dog, cat, cat, dog]
        // average='macro' -> (0.222..., 0.333..., 0.266...); per class precision [0.666, 0, 0], recall [1, 0, 0]
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 1, 2, 0, 1, 2}, oneHot(new int[] {0, 2, 1, 0, 0, 1}, 3), 3);
        double p = (m.precision(0) + m.precision(1) + m.precision(2)) / 3;
        double r = (m.recall(0) + m.recall(1) + m.recall(2)) / 3;
        double f = (m.f1(0) + m.f1(1) + m.f1(2)) / 3;
        assertEquals(0.2222222222222222, p, 1e-12);
        assertEquals(0.3333333333333333, r, 1e-12);
        assertEquals(0.26666666666666666, f, 1e-12);
        assertEquals(0.8, m.f1(0), 1e-12);
    }

    @Test
    void classificationReportDocExample() {
        // y_true = [0, 1, 2, 2, 2], y_pred = [0, 0, 2, 2, 1]:
        // class 0: 0.50 1.00 0.67 1; class 1: 0.00 0.00 0.00 1; class 2: 1.00 0.67 0.80 3; accuracy 0.60
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 1, 2, 2, 2}, oneHot(new int[] {0, 0, 2, 2, 1}, 3), 3);
        assertEquals(0.5, m.precision(0), 1e-12);
        assertEquals(1.0, m.recall(0), 1e-12);
        assertEquals(2.0 / 3, m.f1(0), 1e-12);
        assertEquals(0.0, m.f1(1), 1e-12);
        assertEquals(1.0, m.precision(2), 1e-12);
        assertEquals(2.0 / 3, m.recall(2), 1e-12);
        assertEquals(0.8, m.f1(2), 1e-12);
        assertEquals(3, m.support(2));
        assertEquals(0.6, m.accuracy(), 1e-12);
    }

    @Test
    void aPredictedClassAbsentFromTheLabelsIsLeftOutOfBalancedAccuracy() {
        // scikit-learn warns "y_pred contains classes not in y_true" and averages over the true classes only
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 0, 1, 1}, oneHot(new int[] {0, 2, 1, 1}, 3), 3);
        assertEquals(0.75, m.balancedAccuracy(), 1e-12);
        assertEquals(0.0, m.precision(2), 1e-12);
    }

    @Test
    void rocAucOvrWithTiedProbabilities() {
        // every scan gets the same probabilities: each one-vs-rest AUROC is exactly 0.5 (all pairs tied)
        float[] same = new float[6 * 3];
        for (int i = 0; i < 6; i++) {
            same[i * 3] = 0.5f;
            same[i * 3 + 1] = 0.3f;
            same[i * 3 + 2] = 0.2f;
        }
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 1, 2, 0, 1, 2}, same, 3);
        assertEquals(0.5, m.macroAuroc(), 1e-12);
        assertEquals(1.0 / 3, m.balancedAccuracy(), 1e-12);
    }
}
