package org.scanline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scanline.BadModelException;

class SurfaceCheckTest {
    private static final int D = SurfaceFeatures.SIZE;

    /** A check centred on the features of a clean lattice whose rows are at 1.30 nm⁻¹, identity covariances. */
    private static SurfaceCheck check(double[] centre) {
        double[] mean = new double[3 * D];
        double[] eye = new double[D * D];
        for (int i = 0; i < D; i++) {
            mean[3 * i] = centre[i];
            eye[i * D + i] = 0.05;
        }
        return new SurfaceCheck(mean, eye, eye.clone(), 4, new int[] {2, 100}, new double[] {3, 1}, "test");
    }

    /** Lines of a plane wave with |f| = 1/0.768 nm⁻¹ at 40°, a little noise, 0.1 nm pixels. */
    private static float[] rowLine(int l, SplittableRandom rnd) {
        float[] line = new float[128];
        double k = 2 * Math.PI / 0.768;
        for (int j = 0; j < 128; j++) {
            double x = j * 0.1;
            double y = l * 0.1;
            line[j] = (float) (Math.cos(k * (x * Math.cos(0.7) + y * Math.sin(0.7))) + 0.05 * rnd.nextGaussian());
        }
        return line;
    }

    private static double[] meanFeatures(int lines, java.util.function.IntFunction<float[]> source) {
        SurfaceFeatures f = new SurfaceFeatures();
        double[] v = new double[D];
        double[] sum = new double[D];
        int n = 0;
        for (int l = 0; l < lines; l++) {
            if (f.add(source.apply(l), 0.1, v)) {
                for (int i = 0; i < D; i++) {
                    sum[i] += v[i];
                }
                n++;
            }
        }
        for (int i = 0; i < D; i++) {
            sum[i] /= n;
        }
        return sum;
    }

    @Test
    void theRadialSpectrumFindsRowsWhateverTheirAngleAlongTheLine() {
        SplittableRandom rnd = new SplittableRandom(1);
        double[] f = meanFeatures(40, l -> rowLine(l, rnd));
        int rows = SurfaceFeatures.names().indexOf("radial_1.2_1.4");
        // Along the line the wave is at 1.30·cos 40° = 1.0 nm⁻¹; the line-to-line phase puts it back at 1.30.
        assertTrue(f[rows] > Math.log(0.5), "row band share " + Math.exp(f[rows]));
        assertTrue(f[SurfaceFeatures.names().indexOf("line_correlation")] > 0.3);
    }

    @Test
    void knowsTheSurfaceItWasFittedOnAndFlagsNoise() {
        SplittableRandom rnd = new SplittableRandom(2);
        SurfaceCheck check = check(meanFeatures(60, l -> rowLine(l, new SplittableRandom(l))));
        SurfaceCheck.Scorer scorer = check.newScorer();
        assertTrue(scorer.known());
        for (int l = 0; l < 60; l++) {
            scorer.add(rowLine(l, rnd), 0.1);
        }
        assertEquals(60, scorer.lines());
        assertTrue(scorer.known(), "score " + scorer.score());
        scorer.reset();
        assertEquals(0, scorer.lines());
        assertEquals(0, scorer.score());
        for (int l = 0; l < 60; l++) {
            float[] noise = new float[128];
            for (int j = 0; j < 128; j++) {
                noise[j] = (float) rnd.nextGaussian();
            }
            scorer.add(noise, 0.1);
        }
        assertFalse(scorer.known(), "score " + scorer.score());
    }

    @Test
    void jsonRoundTripScoresTheSame() {
        SurfaceCheck a = check(meanFeatures(20, l -> rowLine(l, new SplittableRandom(l))));
        SurfaceCheck b = SurfaceCheck.fromJson(a.toJson());
        assertEquals(a.toJson(), b.toJson());
        assertEquals(2.0, b.threshold(51), 1e-12);
        assertEquals(3.0, b.threshold(1), 0);
        assertEquals(1.0, b.threshold(500), 0);
        SurfaceCheck.Scorer sa = a.newScorer();
        SurfaceCheck.Scorer sb = b.newScorer();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int l = 0; l < 10; l++) {
            float[] line = rowLine(l, rnd);
            sa.add(line, 0.1);
            sb.add(line, 0.1);
        }
        assertEquals(sa.score(), sb.score(), 0);
    }

    @Test
    void refusesWhatItCannotUse() {
        String good = check(new double[D]).toJson();
        assertThrows(BadModelException.class, () -> SurfaceCheck.fromJson("not json"));
        assertThrows(BadModelException.class, () -> SurfaceCheck.fromJson("[]"));
        assertThrows(BadModelException.class, () -> SurfaceCheck.fromJson(good.replace("\"version\":1", "\"version\":9")));
        assertThrows(BadModelException.class, () -> SurfaceCheck.fromJson(good.replace("coherence", "something")));
        assertThrows(BadModelException.class, () -> SurfaceCheck.fromJson(good.replace("\"clip\":4.0", "\"clip\":-1")));
        double[] notPd = new double[D * D];
        assertThrows(BadModelException.class,
                () -> new SurfaceCheck(new double[3 * D], notPd, notPd, 4, new int[] {1}, new double[] {1}, ""));
        double[] eye = new double[D * D];
        for (int i = 0; i < D; i++) {
            eye[i * D + i] = 1;
        }
        assertThrows(BadModelException.class,
                () -> new SurfaceCheck(new double[3 * D], eye, eye, 4, new int[] {5, 2}, new double[] {1, 1}, ""));
        BadModelException e = assertThrows(BadModelException.class,
                () -> new SurfaceCheck(new double[3 * D], eye, eye, 4, new int[] {1}, new double[] {Double.NaN}, ""));
        assertTrue(e.getMessage().contains("scanline.surface"), e.getMessage());
    }
}
