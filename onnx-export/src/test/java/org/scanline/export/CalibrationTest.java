package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    /** Logits drawn so that softmax(z / trueT) is the real class distribution: the fit must recover trueT. */
    static Object[] overconfident(double trueT, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] logits = new float[n][3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            double[] p = new double[3];
            for (int k = 0; k < 3; k++) {
                logits[i][k] = (float) (3 * r.nextGaussian());
                p[k] = Math.exp(logits[i][k] / trueT);
                sum += p[k];
            }
            double u = r.nextDouble() * sum;
            int k = 0;
            while (k < 2 && u > p[k]) {
                u -= p[k];
                k++;
            }
            labels[i] = k;
        }
        return new Object[] {logits, labels};
    }

    @Test
    void recoversTheTemperatureThatGeneratedTheLabels() {
        for (double trueT : new double[] {0.5, 2.5}) {
            Object[] d = overconfident(trueT, 20000, 1);
            Calibration.Result r = Calibration.fit((float[][]) d[0], (int[]) d[1]);
            assertEquals(trueT, r.temperature(), 0.1 * trueT, "fitted " + r);
            assertTrue(r.nllAfter() <= r.nllBefore());
            assertTrue(r.eceAfter() < 0.02, "ECE after " + r.eceAfter());
            assertTrue(r.eceBefore() > 2 * r.eceAfter(), r.toString());
        }
    }

    @Test
    void eceOfAPerfectlyCalibratedBinIsZeroAndOfAWrongConfidentModelIsItsConfidence() {
        float[][] confidentWrong = {{10, 0}, {10, 0}};
        assertEquals(1.0, Calibration.ece(confidentWrong, new int[] {1, 1}, 1, 15), 1e-3);
        float[][] half = {{0, 0}, {0, 0}};
        assertEquals(0.0, Calibration.ece(half, new int[] {0, 1}, 1, 15), 1e-9);
    }
}
