package org.scanline.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.scanline.BadDataException;

/**
 * Stratified train/validation/test split and inverse-frequency class weights. Each class's scans
 * are shuffled with the seed and cut at round(n·trainRatio) and round(n·valRatio) (every class
 * with at least 2 scans gives one to validation); indices are returned sorted.
 */
final class StratifiedSplit {
    final int[] train;
    final int[] valid;
    final int[] test;

    private StratifiedSplit(int[] train, int[] valid, int[] test) {
        this.train = train;
        this.valid = valid;
        this.test = test;
    }

    static StratifiedSplit of(int[] labels, int classes, double trainRatio, double valRatio, long seed, String source) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Integer> tr = new ArrayList<>();
        List<Integer> va = new ArrayList<>();
        List<Integer> te = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    idx.add(i);
                }
            }
            for (int i = idx.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Integer tmp = idx.get(i);
                idx.set(i, idx.get(j));
                idx.set(j, tmp);
            }
            int n = idx.size();
            int nVal = n >= 2 ? Math.max(1, (int) Math.round(n * valRatio)) : 0;
            int nTrain = Math.min(n - nVal, Math.max(n > 0 ? 1 : 0, (int) Math.round(n * trainRatio)));
            tr.addAll(idx.subList(0, nTrain));
            va.addAll(idx.subList(nTrain, nTrain + nVal));
            te.addAll(idx.subList(nTrain + nVal, n));
        }
        if (tr.isEmpty() || va.isEmpty()) {
            throw new BadDataException(source + ": " + labels.length + " scans are too few for a training and a validation split");
        }
        return new StratifiedSplit(sorted(tr), sorted(va), sorted(te));
    }

    private static int[] sorted(List<Integer> list) {
        int[] a = list.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** @return N/(K·n_c) per class from the given labels (0 for a class with no scans) */
    static float[] classWeights(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int l : labels) {
            counts[l]++;
        }
        float[] w = new float[classes];
        for (int c = 0; c < classes; c++) {
            w[c] = counts[c] == 0 ? 0f : (float) ((double) labels.length / ((double) classes * counts[c]));
        }
        return w;
    }
}
