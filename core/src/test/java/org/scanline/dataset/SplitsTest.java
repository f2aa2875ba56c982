package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.scanline.BadConfigException;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;

class SplitsTest {

    /** Labels with the reference class shares, 8.79 / 43.90 / 16.91 / 30.39 % of 9,999 scans. */
    static int[] referenceLabels() {
        int[] counts = {879, 4390, 1691, 3039};
        int[] labels = new int[Arrays.stream(counts).sum()];
        int i = 0;
        for (int c = 0; c < 4; c++) {
            for (int k = 0; k < counts[c]; k++) {
                labels[i++] = c;
            }
        }
        return labels;
    }

    @Test
    void stratifiedDisjointCompleteAndDeterministic() {
        int[] labels = referenceLabels();
        Splits s = Splits.stratified(labels, 42);
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(s.trainIndices()), Arrays.stream(s.validIndices())),
                Arrays.stream(s.testIndices())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, labels.length).toArray(), all);
        assertEquals(6999, s.trainIndices().length);
        assertEquals(1501, s.validIndices().length); // 132 + 659 + 254 + 456: each class rounds on its own
        int[] trainCounts = new int[4];
        for (int i : s.trainIndices()) {
            trainCounts[labels[i]]++;
        }
        assertArrayEquals(new int[] {615, 3073, 1184, 2127}, trainCounts);
        assertEquals(s, Splits.stratified(labels, 42));
        assertNotEquals(s, Splits.stratified(labels, 43));
    }

    @Test
    void subsetsCarryTheirScans() {
        float[] images = new float[10 * 2];
        for (int i = 0; i < images.length; i++) {
            images[i] = i / 2;
        }
        int[] labels = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
        ScanDataset ds = new ScanDataset("mem", images, 10, 1, 2, labels, List.of("a", "b"));
        Splits s = Splits.stratified(labels, 0.6, 0.2, 7);
        ScanDataset train = s.train(ds);
        assertEquals(6, train.count());
        for (int k = 0; k < train.count(); k++) {
            assertEquals(s.trainIndices()[k], train.scan(k)[0][0]);
            assertEquals(labels[s.trainIndices()[k]], train.label(k));
        }
        assertEquals(2, s.valid(ds).count());
        assertEquals(2, s.test(ds).count());
    }

    @Test
    void badShares() {
        assertThrows(BadConfigException.class, () -> Splits.stratified(new int[] {0, 1}, 0.9, 0.2, 1));
        assertThrows(BadConfigException.class, () -> Splits.stratified(new int[] {0, 1}, -0.1, 0.2, 1));
    }

    @Test
    void referenceClassWeights() {
        // Counts in the published shares (rounded to 0.01 %, so they sum to 99.99 %): N/(K·n_c) gives
        // 2.8439, 0.5694, 1.4783, 0.8226; the published [2.845, 0.569, 1.478, 0.823] came from the exact
        // counts, which the rounded shares cannot pin closer than about 0.001.
        int[] counts = {879, 4390, 1691, 3039};
        double[] w = ClassWeights.inverseFrequency(counts, ScanArrays.REFERENCE_CLASSES, "reference");
        assertArrayEquals(new double[] {2.845, 0.569, 1.478, 0.823}, w, 0.0015);
        assertArrayEquals(new double[] {2.8439, 0.5694, 1.4783, 0.8226}, w, 0.0001);
    }

    @Test
    void emptyClassHasNoWeight() {
        BadDataException e = assertThrows(BadDataException.class,
                () -> ClassWeights.inverseFrequency(new int[] {5, 0, 3}, List.of("a", "b", "c"), "ds.npz"));
        assertTrue(e.getMessage().contains("class 1 'b' has no scans") && e.getMessage().contains("ds.npz"),
                e.getMessage());
    }
}
