package org.scanline.metrics;

import java.util.Arrays;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Metrics of one set of predictions, computed once from labels and class probabilities.
 *
 * <p>Definitions follow scikit-learn exactly, with one documented difference:
 * <ul>
 *   <li>{@link #balancedAccuracy()} = {@code balanced_accuracy_score}: the mean recall over the
 *       classes present in the labels (a class never seen is left out, as scikit-learn does).</li>
 *   <li>{@link #macroAuroc()} = {@code roc_auc_score(multi_class="ovr", average="macro")}: the
 *       unweighted mean over classes of the binary AUROC of "class c vs rest" on the probability
 *       of c, ties counted as half (Mann–Whitney). scikit-learn raises when a class is absent from
 *       the labels; here such a class is left out of the mean and listed in
 *       {@link #aurocClassesSkipped()}, so a small validation split never stops a training run.
 *       With every class present the two agree exactly.</li>
 *   <li>Precision, recall and F1 are 0 where undefined (scikit-learn's {@code zero_division=0}).</li>
 * </ul>
 *
 * <pre>{@code
 * ClassificationMetrics m = ClassificationMetrics.of(labels, probabilities, 4);
 * double bacc = m.balancedAccuracy();
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ClassificationMetrics {
    private final int classes;
    private final int count;
    private final long[][] confusion;
    private final double[] auroc;
    private final double macroAuroc;
    private final int[] skipped;

    private ClassificationMetrics(int classes, int count, long[][] confusion, double[] auroc) {
        this.classes = classes;
        this.count = count;
        this.confusion = confusion;
        this.auroc = auroc;
        double sum = 0;
        int n = 0;
        int[] skip = new int[classes];
        int s = 0;
        for (int c = 0; c < classes; c++) {
            if (Double.isNaN(auroc[c])) {
                skip[s++] = c;
            } else {
                sum += auroc[c];
                n++;
            }
        }
        this.macroAuroc = n == 0 ? Double.NaN : sum / n;
        this.skipped = Arrays.copyOf(skip, s);
    }

    /**
     * Computes every metric from labels and row-major class probabilities (or any scores where a
     * larger value means "more likely"; the predicted class is the arg-max, first on ties).
     *
     * @param labels true class per sample, in [0, classes)
     * @param scores {@code labels.length × classes} values, row-major
     * @param classes number of classes
     * @return the metrics
     * @throws IllegalArgumentException if lengths disagree or a label is out of range
     */
    public static ClassificationMetrics of(int[] labels, float[] scores, int classes) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(scores, "scores");
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        if ((long) labels.length * classes != scores.length) {
            throw new IllegalArgumentException(labels.length + " labels × " + classes + " classes need "
                    + (long) labels.length * classes + " scores, got " + scores.length);
        }
        int[] predicted = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            predicted[i] = argmax(scores, i * classes, classes);
        }
        long[][] confusion = confusion(labels, predicted, classes);
        double[] auroc = new double[classes];
        double[] column = new double[labels.length];
        boolean[] positive = new boolean[labels.length];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < labels.length; i++) {
                column[i] = scores[i * classes + c];
                positive[i] = labels[i] == c;
            }
            auroc[c] = binaryAuroc(positive, column);
        }
        return new ClassificationMetrics(classes, labels.length, confusion, auroc);
    }

    /**
     * The predicted class of one row of scores: the first index of the largest value.
     *
     * @param scores row-major scores
     * @param offset where the row starts
     * @param classes the row's length
     * @return the index in {@code [0, classes)}
     */
    public static int argmax(float[] scores, int offset, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (scores[offset + c] > scores[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Confusion matrix from hard predictions.
     *
     * @param labels true classes
     * @param predicted predicted classes
     * @param classes number of classes
     * @return counts, {@code [true][predicted]}
     */
    public static long[][] confusion(int[] labels, int[] predicted, int classes) {
        if (labels.length != predicted.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predicted.length + " predictions");
        }
        long[][] m = new long[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
                throw new IllegalArgumentException("sample " + i + ": label " + labels[i] + " or prediction "
                        + predicted[i] + " outside [0, " + classes + ")");
            }
            m[labels[i]][predicted[i]]++;
        }
        return m;
    }

    /**
     * Binary AUROC by the rank-sum (Mann–Whitney) statistic with average ranks for ties: exactly the
     * trapezoidal area scikit-learn's {@code roc_auc_score} computes.
     *
     * @param positive which samples are positive
     * @param score score of each sample, larger meaning more likely positive
     * @return the AUROC, or NaN when either class is empty
     */
    public static double binaryAuroc(boolean[] positive, double[] score) {
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double rankSum = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSum += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** @return number of samples */
    public int count() {
        return count;
    }

    /** @return number of classes */
    public int classes() {
        return classes;
    }

    /** @return a copy of the confusion matrix, {@code [true][predicted]} */
    public long[][] confusionMatrix() {
        long[][] copy = new long[classes][];
        for (int c = 0; c < classes; c++) {
            copy[c] = confusion[c].clone();
        }
        return copy;
    }

    /** @return fraction of samples whose arg-max equals the label */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += confusion[c][c];
        }
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    /** @return mean recall over the classes present in the labels */
    public double balancedAccuracy() {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            long support = support(c);
            if (support > 0) {
                sum += (double) confusion[c][c] / support;
                present++;
            }
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** @return macro one-vs-rest AUROC over the classes with both positives and negatives */
    public double macroAuroc() {
        return macroAuroc;
    }

    /**
     * @param c class index
     * @return the one-vs-rest AUROC of that class, NaN when it has no positive or no negative sample
     */
    public double auroc(int c) {
        return auroc[c];
    }

    /** @return classes left out of {@link #macroAuroc()} because the labels hold none (or only) of them */
    public int[] aurocClassesSkipped() {
        return skipped.clone();
    }

    /**
     * @param c class index
     * @return number of samples whose label is c
     */
    public long support(int c) {
        long s = 0;
        for (long v : confusion[c]) {
            s += v;
        }
        return s;
    }

    /**
     * @param c class index
     * @return true positives over predicted positives (0 when nothing was predicted as c)
     */
    public double precision(int c) {
        long predicted = 0;
        for (int t = 0; t < classes; t++) {
            predicted += confusion[t][c];
        }
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    /**
     * @param c class index
     * @return true positives over actual positives (0 when the class is absent)
     */
    public double recall(int c) {
        long support = support(c);
        return support == 0 ? 0 : (double) confusion[c][c] / support;
    }

    /**
     * @param c class index
     * @return harmonic mean of precision and recall (0 when both are 0)
     */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
