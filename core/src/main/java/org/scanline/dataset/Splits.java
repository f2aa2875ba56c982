package org.scanline.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.ScanDataset;

/**
 * A stratified train / validation / test split: each class is shuffled with the seed and cut in the
 * given proportions, so every split keeps the class shares of the whole. The same labels, fractions
 * and seed always give the same split.
 *
 * <pre>{@code
 * Splits s = Splits.stratified(ds.labels(), 0.70, 0.15, 42);
 * ScanDataset train = s.train(ds);
 * }</pre>
 *
 * @param trainIndices scan indices of the training split, ascending
 * @param validIndices scan indices of the validation split, ascending
 * @param testIndices scan indices of the test split, ascending
 */
@API(status = API.Status.EXPERIMENTAL)
public record Splits(int[] trainIndices, int[] validIndices, int[] testIndices) {

    /** The reference split: 70 % train, 15 % validation, 15 % test. */
    public static final double DEFAULT_TRAIN = 0.70;
    /** The reference validation share. */
    public static final double DEFAULT_VALID = 0.15;

    /**
     * @param labels one label per scan, non-negative
     * @param seed the shuffle seed
     * @return the default 70/15/15 stratified split
     */
    public static Splits stratified(int[] labels, long seed) {
        return stratified(labels, DEFAULT_TRAIN, DEFAULT_VALID, seed);
    }

    /**
     * Splits each class {@code c} of {@code n_c} scans into {@code round(n_c·train)} training scans,
     * {@code round(n_c·valid)} validation scans (at most what is left) and the rest for testing.
     *
     * @param labels one label per scan, non-negative
     * @param train training share in [0, 1]
     * @param valid validation share in [0, 1 - train]
     * @param seed the shuffle seed
     * @return the split
     * @throws BadConfigException if the shares are not in range
     */
    public static Splits stratified(int[] labels, double train, double valid, long seed) {
        if (!(train >= 0 && valid >= 0 && train + valid <= 1 + 1e-9)) {
            throw new BadConfigException("split shares must be non-negative with train + valid <= 1, got train="
                    + train + ", valid=" + valid);
        }
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label " + labels[i] + " of scan " + i + " is negative");
            }
            byClass.get(labels[i]).add(i);
        }
        Random random = new Random(seed);
        int[] tr = new int[labels.length];
        int[] va = new int[labels.length];
        int[] te = new int[labels.length];
        int nt = 0;
        int nv = 0;
        int ne = 0;
        for (List<Integer> members : byClass) {
            java.util.Collections.shuffle(members, random);
            int n = members.size();
            int cutTrain = (int) Math.min(n, Math.round(n * train));
            int cutValid = (int) Math.min(n - cutTrain, Math.round(n * valid));
            for (int k = 0; k < n; k++) {
                int idx = members.get(k);
                if (k < cutTrain) {
                    tr[nt++] = idx;
                } else if (k < cutTrain + cutValid) {
                    va[nv++] = idx;
                } else {
                    te[ne++] = idx;
                }
            }
        }
        int[] a = Arrays.copyOf(tr, nt);
        int[] b = Arrays.copyOf(va, nv);
        int[] c = Arrays.copyOf(te, ne);
        Arrays.sort(a);
        Arrays.sort(b);
        Arrays.sort(c);
        return new Splits(a, b, c);
    }

    /** @return the training scans of {@code ds} (copies) */
    public ScanDataset train(ScanDataset ds) {
        return ds.subset(trainIndices, "train");
    }

    /** @return the validation scans of {@code ds} (copies) */
    public ScanDataset valid(ScanDataset ds) {
        return ds.subset(validIndices, "valid");
    }

    /** @return the test scans of {@code ds} (copies) */
    public ScanDataset test(ScanDataset ds) {
        return ds.subset(testIndices, "test");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Splits s && Arrays.equals(trainIndices, s.trainIndices)
                && Arrays.equals(validIndices, s.validIndices) && Arrays.equals(testIndices, s.testIndices);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(trainIndices) * 31 * 31 + Arrays.hashCode(validIndices) * 31
                + Arrays.hashCode(testIndices);
    }

    @Override
    public String toString() {
        return "Splits[train=" + trainIndices.length + ", valid=" + validIndices.length + ", test="
                + testIndices.length + "]";
    }
}
