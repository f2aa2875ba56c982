package org.scanline.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.scanline.BadConfigException;

class SimulatorTest {
    private static final SimulatorConfig SMALL = SimulatorConfig.builder().lines(48).pixels(64).build();

    @Test
    void sameSeedGivesSameBytesWhateverTheThreadCount() {
        Simulator sim = new Simulator(SMALL);
        SimulatedDataset one = sim.generate(11, 0, 300, 1, null);
        SimulatedDataset three = sim.generate(11, 0, 300, 3, null);
        assertArrayEquals(one.dataset().images(), three.dataset().images());
        assertArrayEquals(one.labels(), three.labels());
        assertArrayEquals(one.labelsTrue(), three.labelsTrue());
        assertArrayEquals(one.lineStates(), three.lineStates());
        assertArrayEquals(one.changeLines(), three.changeLines());
        for (Parameter p : Parameter.values()) {
            assertArrayEquals(one.parameter(p), three.parameter(p), p.key());
        }
        // A single scan, an offset batch and the endless iterator agree with the batch.
        SimulatedScan s17 = sim.scan(11, 17);
        float[] all = one.dataset().images();
        int size = SMALL.lines() * SMALL.pixels();
        assertArrayEquals(Arrays.copyOfRange(all, 17 * size, 18 * size), s17.image());
        assertEquals(one.parameters(17), s17.parameters());
        SimulatedDataset tail = sim.generate(11, 290, 10, 2, null);
        assertArrayEquals(Arrays.copyOfRange(all, 290 * size, 300 * size), tail.dataset().images());
        Iterator<SimulatedScan> it = sim.iterator(11);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(Arrays.copyOfRange(all, i * size, (i + 1) * size), it.next().image());
        }
        SimulatedDataset other = sim.generate(12, 0, 300, 2, null);
        assertFalse(Arrays.equals(one.dataset().images(), other.dataset().images()));
    }

    @Test
    void sharesLabelNoiseAndLineTruthFollowTheConfig() {
        SimulatorConfig cfg = SimulatorConfig.builder().lines(32).pixels(32).build();
        int n = 3000;
        SimulatedDataset d = new Simulator(cfg).generate(5, n);
        assertEquals(n, d.count());
        assertEquals(n * 32 * 32, d.dataset().images().length);
        assertEquals(SimulatorConfig.DEFAULT_VERSION, d.version());
        int[] counts = new int[4];
        int flipped = 0;
        int changes = 0;
        int[] truth = d.labelsTrue();
        int[] labels = d.labels();
        int[] change = d.changeLines();
        for (int i = 0; i < n; i++) {
            counts[truth[i]]++;
            if (labels[i] != truth[i]) {
                flipped++;
                assertTrue(truth[i] == 3 || labels[i] == 3 || Math.abs(labels[i] - truth[i]) == 1,
                        "flip " + truth[i] + " → " + labels[i] + " is not to a neighbouring class");
            }
            byte[] states = d.lineStates(i);
            if (change[i] >= 0) {
                changes++;
                assertEquals(3, truth[i], "only generic-defect scans have a tip change");
                assertTrue(change[i] >= 10 && change[i] <= 32 - 10, "change line " + change[i]);
                for (int l = 0; l < 32; l++) {
                    assertEquals(l < change[i] ? states[0] : states[31], states[l]);
                }
                assertTrue(states[change[i] - 1] != states[change[i]]);
            } else {
                for (byte s : states) {
                    assertEquals(truth[i], s, "line states of a scan without a tip change are its class");
                }
            }
        }
        double[] expected = {0.0879, 0.4390, 0.1691, 0.3039};
        for (int c = 0; c < 4; c++) {
            assertEquals(expected[c], counts[c] / (double) n, 0.03, "share of class " + c);
        }
        assertEquals(0.06, flipped / (double) n, 0.015, "label noise rate");
        assertEquals(0.4, changes / (double) counts[3], 0.07, "share of tip changes in class 3");
    }

    @Test
    void dimerRowPeriodAppearsAtTheExpectedSpatialFrequency() {
        double size = 12;
        double angle = 30;
        SimulatorConfig cfg = SimulatorConfig.builder().labelNoise(0).build();
        ScanGenerator gen = new ScanGenerator(cfg, Overrides.clean().withClass(2).withFrame(size, angle)
                .withTip(0.2, Double.NaN, Double.NaN, Double.NaN).withSurface(0, 0, -1, Double.NaN));
        float[] img = gen.generate(3, 0).image();
        int[] peak = Spectra.peak2d(img, 128, 128);
        // Rows run along (cos θ, sin θ); their wave vector is across them, |f| = 1/0.768 nm⁻¹.
        double fx = -Math.sin(Math.toRadians(angle)) * size / 0.768;
        double fy = Math.cos(Math.toRadians(angle)) * size / 0.768;
        boolean plus = Math.abs(peak[0] - fx) <= 1 && Math.abs(peak[1] - fy) <= 1;
        boolean minus = Math.abs(peak[0] + fx) <= 1 && Math.abs(peak[1] + fy) <= 1;
        assertTrue(plus || minus, "peak at " + Arrays.toString(peak) + ", expected ±(" + fx + ", " + fy + ") cycles/frame");
    }

    @Test
    void ghostApexShowsAsSecondaryAutocorrelationPeakAtItsOffset() {
        double size = 15;
        double gx = 1.2;
        double gy = 0.5;
        SimulatorConfig cfg = SimulatorConfig.builder().labelNoise(0).build();
        ScanGenerator gen = new ScanGenerator(cfg, Overrides.clean().withClass(1).withFrame(size, 10)
                .withTip(0.08, gx, gy, 0.7).withSurface(0, 15, 1, 0));
        SimulatedScan s = gen.generate(4, 0);
        assertEquals(gx, s.parameters().get(Parameter.GHOST_DX_NM));
        int[] best = Spectra.autocorrelationPeak(s.image(), 128, 128, 24, 6);
        double px = size / 128;
        double ex = gx / px;
        double ey = gy / px;
        double dPlus = Math.hypot(best[0] - ex, best[1] - ey);
        double dMinus = Math.hypot(best[0] + ex, best[1] + ey);
        assertTrue(Math.min(dPlus, dMinus) <= 1.5,
                "secondary peak at " + Arrays.toString(best) + " px, ghost at (" + ex + ", " + ey + ") px");
    }

    @Test
    void singleAtomStepIs136Picometres() {
        SimulatorConfig cfg = SimulatorConfig.builder().labelNoise(0).build();
        for (long seed = 0; seed < 3; seed++) {
            ScanGenerator gen = new ScanGenerator(cfg, Overrides.clean().withClass(0)
                    .withTip(0.05, Double.NaN, Double.NaN, Double.NaN).withSurface(1, 0, -1, 0));
            float[] img = gen.generate(seed, 0).image();
            float[] sorted = img.clone();
            Arrays.sort(sorted);
            double mid = 0.5 * (sorted[0] + sorted[sorted.length - 1]);
            int split = 0;
            while (split < sorted.length && sorted[split] < mid) {
                split++;
            }
            double low = sorted[split / 2];
            double high = sorted[(split + sorted.length) / 2];
            assertEquals(0.136e-9, high - low, 0.002e-9, "plateau difference, seed " + seed);
        }
    }

    @Test
    void tipChangeIsInTheDataAtTheRecordedLine() {
        SimulatorConfig cfg = SimulatorConfig.builder().labelNoise(0).build();
        ScanGenerator gen = new ScanGenerator(cfg, Overrides.clean().withClass(3).withChange(true));
        for (long i = 0; i < 20; i++) {
            SimulatedScan s = gen.generate(8, i);
            int c = s.changeLine();
            assertTrue(c >= 10 && c <= 118, "change line " + c);
            double[] means = new double[128];
            for (int l = 0; l < 128; l++) {
                for (int j = 0; j < 128; j++) {
                    means[l] += s.image()[l * 128 + j];
                }
                means[l] /= 128;
            }
            int argmax = 1;
            for (int l = 1; l < 128; l++) {
                if (Math.abs(means[l] - means[l - 1]) > Math.abs(means[argmax] - means[argmax - 1])) {
                    argmax = l;
                }
            }
            assertEquals(c, argmax, "largest line-to-line jump of scan " + i);
            assertEquals(Math.abs(s.parameters().get(Parameter.JUMP_PM)) * 1e-12,
                    Math.abs(means[c] - means[c - 1]), 0.03e-9, "jump size of scan " + i);
        }
    }

    @Test
    void difficultyWidensTheSigmaBands() {
        double[][] easy = sigmaRanges(0);
        double[][] hard = sigmaRanges(2);
        assertTrue(easy[0][1] < easy[1][0] && easy[1][1] < easy[2][0], "bands overlap at difficulty 0");
        assertTrue(hard[0][1] > hard[1][0] && hard[1][1] > hard[2][0], "bands do not overlap at difficulty 2");
    }

    private static double[][] sigmaRanges(double difficulty) {
        SimulatorConfig cfg = SimulatorConfig.builder().lines(24).pixels(16).difficulty(difficulty).build();
        SimulatedDataset d = new Simulator(cfg).generate(1, 0, 1500, 2, null);
        double[] sigma = d.parameter(Parameter.SIGMA_NM);
        int[] truth = d.labelsTrue();
        double[][] r = {{1, 0}, {1, 0}, {1, 0}};
        for (int i = 0; i < sigma.length; i++) {
            if (truth[i] < 3) {
                r[truth[i]][0] = Math.min(r[truth[i]][0], sigma[i]);
                r[truth[i]][1] = Math.max(r[truth[i]][1], sigma[i]);
            }
        }
        return r;
    }

    @Test
    void gordonModeGivesFlattenedEightBitImages() {
        SimulatorConfig cfg = SimulatorConfig.builder().lines(32).pixels(32).asGordon(true).build();
        SimulatedDataset d = new Simulator(cfg).generate(2, 0, 20, 1, null);
        float[] img = d.dataset().images();
        for (int i = 0; i < 20; i++) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int k = i * 1024; k < (i + 1) * 1024; k++) {
                assertEquals(Math.rint(img[k]), img[k], 0.0);
                min = Math.min(min, img[k]);
                max = Math.max(max, img[k]);
            }
            assertEquals(0, min);
            assertEquals(255, max);
        }
    }

    @Test
    void badConfigIsRefusedWithTheReason() {
        BadConfigException e = assertThrows(BadConfigException.class, () -> SimulatorConfig.builder().lines(10).build());
        assertTrue(e.getMessage().contains("lines"), e.getMessage());
        assertThrows(BadConfigException.class, () -> SimulatorConfig.builder().difficulty(-1).build());
        assertThrows(BadConfigException.class, () -> SimulatorConfig.builder().classShares(1, 1, 1).build());
        assertThrows(BadConfigException.class, () -> new Simulator(SimulatorConfig.defaults()).generate(1, 0, 0, 1, null));
    }
}
