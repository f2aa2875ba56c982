package org.scanline.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.BadModelException;
import org.scanline.Normalizer;
import org.scanline.ScanDataset;
import org.scanline.metrics.ClassificationMetrics;

/**
 * Evaluates a {@link ScanPredictor} on labelled scans at every number of lines seen.
 *
 * <p>Per-line predictors ({@code causal}, {@code lrcn}) need one forward pass over the full scans:
 * the output after line t is the prediction from lines 0…t (both models only look back), so every
 * length 1…max is evaluated for the price of one. A whole-input predictor ({@code vit}) needs one
 * pass per length; by default it is evaluated at {@link #defaultWholeInputLengths the lengths}
 * 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128 (those up to the maximum, plus the maximum),
 * each pass batched over scans. Explicit lengths may be given for either kind.
 *
 * <pre>{@code
 * Evaluation e = Evaluator.builder().normalizer(Normalizer.PER_LINE).batchSize(64).build()
 *         .evaluate(testSplit, predictor, testIndices);
 * double full = e.overall().balancedAccuracy();
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Evaluator {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Evaluator.class);
    private static final int[] WHOLE_INPUT_LENGTHS = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256};

    private final Normalizer normalizer;
    private final int batchSize;
    private final int maxLines;
    private final int[] lengths;

    private Evaluator(Builder b) {
        this.normalizer = Objects.requireNonNull(b.normalizer, "normalizer");
        if (b.batchSize <= 0) {
            throw new BadConfigException("batch size must be positive, found " + b.batchSize);
        }
        if (b.maxLines < 0) {
            throw new BadConfigException("max lines must not be negative, found " + b.maxLines);
        }
        this.batchSize = b.batchSize;
        this.maxLines = b.maxLines;
        this.lengths = b.lengths == null ? null : b.lengths.clone();
        if (lengths != null && Arrays.stream(lengths).anyMatch(l -> l <= 0)) {
            throw new BadConfigException("lines-seen values must be positive, found " + Arrays.toString(lengths));
        }
    }

    /** @return a builder: no normalisation, batches of 64, every length */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param max the full length
     * @return the default lengths of a whole-input model: a roughly geometric ladder up to {@code max}, plus {@code max}
     */
    public static int[] defaultWholeInputLengths(int max) {
        TreeSet<Integer> out = new TreeSet<>();
        for (int l : WHOLE_INPUT_LENGTHS) {
            if (l <= max) {
                out.add(l);
            }
        }
        out.add(max);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Evaluates every scan of {@code data}.
     *
     * @param data the labelled scans (raw, not yet normalised: the evaluator normalises copies)
     * @param predictor the model
     * @param scanIds identifier of each scan for {@code predictions.csv} (e.g. its index in the data file),
     *        or null for 0…n−1
     * @return the evaluation
     * @throws BadModelException if the predictor's class count or output shape is not what the data needs,
     *         or it returns values that are not probabilities
     */
    public Evaluation evaluate(ScanDataset data, ScanPredictor predictor, int[] scanIds) {
        int k = predictor.classCount();
        if (k != data.classCount()) {
            throw new BadModelException("the model predicts " + k + " classes but " + data.source() + " has "
                    + data.classCount() + " " + data.classNames());
        }
        int[] ids = scanIds == null ? java.util.stream.IntStream.range(0, data.count()).toArray() : scanIds.clone();
        if (ids.length != data.count()) {
            throw new IllegalArgumentException(ids.length + " scan ids for " + data.count() + " scans");
        }
        List<String> notes = new ArrayList<>();
        int full = Math.min(data.lines(), predictor.maxLines());
        if (maxLines > 0) {
            full = Math.min(full, maxLines);
        }
        if (full < data.lines()) {
            notes.add("scans have " + data.lines() + " lines; evaluated up to " + full
                    + (full == predictor.maxLines() ? " (the model's maximum)" : ""));
        }
        int[] lens = lengthsFor(predictor.perLine(), full);
        List<float[]> probs = new ArrayList<>();
        for (int i = 0; i < lens.length; i++) {
            probs.add(new float[data.count() * k]);
        }
        if (predictor.perLine()) {
            runPerLine(data, predictor, full, lens, probs);
            if (lengths == null) {
                notes.add("per-line model: all lengths 1.." + full + " from one forward pass over the full scans");
            }
        } else {
            for (int i = 0; i < lens.length; i++) {
                runWholeInput(data, predictor, lens[i], probs.get(i));
            }
            notes.add("whole-input model: one forward pass per length, evaluated at " + Arrays.toString(lens));
        }
        int[] labels = data.labels();
        List<ClassificationMetrics> metrics = new ArrayList<>();
        for (float[] p : probs) {
            metrics.add(ClassificationMetrics.of(labels, p, k));
        }
        int[] counts = data.classCounts();
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                LOG.warn("{}: class '{}' has no scans; it is left out of balanced accuracy and macro AUROC",
                        data.source(), data.classNames().get(c));
                notes.add("class '" + data.classNames().get(c) + "' is absent from the evaluated scans: it is left out of "
                        + "balanced accuracy and macro AUROC (scikit-learn's roc_auc_score would raise)");
            }
        }
        return new Evaluation(data.classNames(), ids, labels, lens, List.copyOf(metrics), List.copyOf(probs),
                predictor.perLine(), linesTo95(lens, metrics), List.copyOf(notes));
    }

    private int[] lengthsFor(boolean perLine, int full) {
        if (lengths != null) {
            int[] l = Arrays.stream(lengths).filter(x -> x <= full).distinct().sorted().toArray();
            if (l.length == 0 || l[l.length - 1] != full) {
                l = Arrays.copyOf(l, l.length + 1);
                l[l.length - 1] = full;
            }
            return l;
        }
        return perLine ? java.util.stream.IntStream.rangeClosed(1, full).toArray() : defaultWholeInputLengths(full);
    }

    private void runPerLine(ScanDataset data, ScanPredictor predictor, int full, int[] lens, List<float[]> probs) {
        int k = predictor.classCount();
        for (int start = 0; start < data.count(); start += batchSize) {
            int b = Math.min(batchSize, data.count() - start);
            float[] x = prefixBatch(data, start, b, full);
            float[] out = predictor.predict(x, b, full, data.pixels());
            check(out, (long) b * full * k, "per-line", b, full, k);
            for (int i = 0; i < lens.length; i++) {
                float[] dst = probs.get(i);
                int t = lens[i] - 1;
                for (int s = 0; s < b; s++) {
                    System.arraycopy(out, (s * full + t) * k, dst, (start + s) * k, k);
                }
            }
        }
    }

    private void runWholeInput(ScanDataset data, ScanPredictor predictor, int lines, float[] dst) {
        int k = predictor.classCount();
        for (int start = 0; start < data.count(); start += batchSize) {
            int b = Math.min(batchSize, data.count() - start);
            float[] x = prefixBatch(data, start, b, lines);
            float[] out = predictor.predict(x, b, lines, data.pixels());
            check(out, (long) b * k, "whole-input", b, lines, k);
            System.arraycopy(out, 0, dst, start * k, b * k);
        }
    }

    /** The first {@code lines} lines of scans start…start+b−1, normalised, as one batch. */
    private float[] prefixBatch(ScanDataset data, int start, int b, int lines) {
        int p = data.pixels();
        float[] x = new float[b * lines * p];
        float[] images = data.images();
        for (int s = 0; s < b; s++) {
            System.arraycopy(images, Math.toIntExact(data.offset(start + s)), x, s * lines * p, lines * p);
        }
        normalizer.normalizeScans(x, (long) b * lines, p);
        return x;
    }

    private static void check(float[] out, long expected, String kind, int b, int lines, int k) {
        if (out == null || out.length != expected) {
            throw new BadModelException("a " + kind + " model given " + b + " samples of " + lines + " lines should return "
                    + expected + " probabilities (" + k + " classes), returned " + (out == null ? "nothing" : out.length));
        }
        for (int r = 0; r < out.length / k; r++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                float v = out[r * k + c];
                if (!(v >= 0 && v <= 1)) {
                    throw new BadModelException("the model returned " + v + " as a probability (row " + r + ", class "
                            + c + "); expected values in [0, 1] (softmax of the logits)");
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > 1e-3) {
                throw new BadModelException("the model's probabilities of row " + r + " sum to " + sum + ", not 1");
            }
        }
    }

    static Optional<Integer> linesTo95(int[] lens, List<ClassificationMetrics> metrics) {
        double full = metrics.get(metrics.size() - 1).balancedAccuracy();
        if (!(full > 0)) {
            return Optional.empty();
        }
        double target = Evaluation.TARGET_FRACTION * full;
        int first = lens.length - 1;
        for (int i = lens.length - 1; i >= 0; i--) {
            if (metrics.get(i).balancedAccuracy() >= target) {
                first = i;
            } else {
                break;
            }
        }
        return Optional.of(lens[first]);
    }

    /** Options of an {@link Evaluator}. */
    public static final class Builder {
        private Normalizer normalizer = Normalizer.NONE;
        private int batchSize = 64;
        private int maxLines;
        private int[] lengths;

        private Builder() {
        }

        /** @param v the run's normaliser, applied to copies of the lines @return this builder */
        public Builder normalizer(Normalizer v) {
            normalizer = v;
            return this;
        }

        /** @param v scans per forward pass @return this builder */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** @param v evaluate at most this many lines (0: as many as the data and model allow) @return this builder */
        public Builder maxLines(int v) {
            maxLines = v;
            return this;
        }

        /** @param v the lengths to evaluate (the full length is always added), or null for the default @return this builder */
        public Builder lengths(int[] v) {
            lengths = v == null ? null : v.clone();
            return this;
        }

        /** @return the evaluator */
        public Evaluator build() {
            return new Evaluator(this);
        }
    }
}
