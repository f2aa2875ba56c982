package org.scanline.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;
import org.scanline.BadModelException;

/**
 * Whether the lines of a scan look like the surface a model was trained on: a score over per-line
 * features at the model's physical sampling ({@link SurfaceFeatures}), against statistics and
 * thresholds fitted on validation scans of the training surface and stored in the model file
 * ({@link org.scanline.ModelFormat#KEY_SURFACE}). Fitted by {@code scanline-core}
 * ({@code org.scanline.surface.SurfaceCheckFit}), read by the runtime; pure Java, no native memory.
 *
 * <p>The statistics are a Gaussian of the features of the training surface, across every tip state
 * and the sampling range, split into the covariance of scan means between scans and the covariance
 * of a line about its scan's mean. A scan's score after n lines is the Mahalanobis distance of its
 * mean features so far under between + within / n: one line says little, a hundred lines say much,
 * and the score keeps one scale. It is unknown once the score exceeds the threshold for that many
 * lines, interpolated linearly in a small table fitted so that a chosen share of validation scans of
 * the training surface (every tip state) is flagged.
 *
 * <pre>{@code
 * SurfaceCheck check = SurfaceCheck.fromJson(metadata.get(ModelFormat.KEY_SURFACE));
 * SurfaceCheck.Scorer scorer = check.newScorer();      // one per stream
 * scorer.add(modelLine, pixelNm);                      // every line at the model's sampling
 * if (!scorer.known()) prediction = prediction.withReason(Uncertainty.UNKNOWN_SURFACE);
 * }</pre>
 */
@API(status = API.Status.INTERNAL)
public final class SurfaceCheck {
    /** The version of the JSON layout and of the features it was fitted with. */
    public static final int VERSION = 1;
    /** The pixel size the mean's quadratic is centred on, nm. */
    public static final double REFERENCE_NM = 0.11;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final double[] mean;
    private final double[] between;
    private final double[] within;
    private final double clip;
    private final int[] lines;
    private final double[] thresholds;
    private final String fittedOn;

    /**
     * @param mean the features' mean as a quadratic in x = ln(pixel size / {@value #REFERENCE_NM} nm):
     *     {@link SurfaceFeatures#SIZE} rows of (c₀, c₁, c₂), row-major; the sampling moves what a
     *     surface's lines look like, and this keeps that movement out of the covariances
     * @param between the covariance of scan means between scans (shrunk), row-major, symmetric positive definite
     * @param within the covariance of a line's features about its scan's mean (shrunk), the same
     * @param clip a line's features are clipped to mean ± clip standard deviations (of between + within)
     * @param lines numbers of lines seen, ascending, ≥ 1
     * @param thresholds the score threshold at each of those numbers of lines
     * @param fittedOn what the statistics and thresholds were fitted on (provenance)
     * @throws BadModelException if the numbers are not usable
     */
    public SurfaceCheck(double[] mean, double[] between, double[] within, double clip, int[] lines, double[] thresholds,
            String fittedOn) {
        int d = SurfaceFeatures.SIZE;
        if (mean == null || mean.length != 3 * d || between == null || between.length != d * d || within == null
                || within.length != d * d) {
            throw bad("needs a mean of " + d + " features × 3 coefficients and two " + d + " × " + d + " covariance matrices");
        }
        if (lines == null || thresholds == null || lines.length == 0 || lines.length != thresholds.length) {
            throw bad("needs as many thresholds as line counts, at least one");
        }
        for (double v : mean) {
            requireFinite(v, "mean");
        }
        for (int i = 0; i < d * d; i++) {
            requireFinite(between[i], "between");
            requireFinite(within[i], "within");
        }
        if (Cholesky.factor(between, new double[d * d], d) == null) {
            throw bad("the between-scan covariance is not positive definite");
        }
        if (Cholesky.factor(within, new double[d * d], d) == null) {
            throw bad("the within-scan covariance is not positive definite");
        }
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw bad("clip must be positive and finite, found " + clip);
        }
        for (int i = 0; i < lines.length; i++) {
            if (lines[i] < 1 || (i > 0 && lines[i] <= lines[i - 1])) {
                throw bad("line counts must be ≥ 1 and ascending, found " + java.util.Arrays.toString(lines));
            }
            requireFinite(thresholds[i], "thresholds");
        }
        this.mean = mean.clone();
        this.between = between.clone();
        this.within = within.clone();
        this.clip = clip;
        this.lines = lines.clone();
        this.thresholds = thresholds.clone();
        this.fittedOn = fittedOn == null ? "" : fittedOn;
    }

    private static void requireFinite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw bad(what + " holds a value that is not finite: " + v);
        }
    }

    private static BadModelException bad(String why) {
        return new BadModelException("metadata key '" + org.scanline.ModelFormat.KEY_SURFACE + "': " + why);
    }

    /**
     * @param json the value of {@link org.scanline.ModelFormat#KEY_SURFACE}
     * @return the check it describes
     * @throws org.scanline.BadModelException if the value is malformed or its numbers are not usable
     */
    public static SurfaceCheck fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw bad("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad("expected a JSON object");
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw bad("version " + version + " is not the version this runtime reads (" + VERSION + ")");
        }
        List<String> names = new ArrayList<>();
        root.path("features").forEach(n -> names.add(n.asText()));
        if (!names.equals(SurfaceFeatures.names())) {
            throw bad("fitted on the features " + names + ", this runtime computes " + SurfaceFeatures.names());
        }
        double[] between = matrix(root, "between", SurfaceFeatures.SIZE);
        double[] within = matrix(root, "within", SurfaceFeatures.SIZE);
        double[] table = doubles(root.path("lines"), "lines");
        int[] lines = new int[table.length];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = (int) table[i];
            if (lines[i] != table[i]) {
                throw bad("lines must be integers, found " + table[i]);
            }
        }
        JsonNode clip = root.path("clip");
        if (!clip.isNumber()) {
            throw bad("clip must be a number");
        }
        return new SurfaceCheck(matrix(root, "mean", 3), between, within, clip.asDouble(), lines,
                doubles(root.path("thresholds"), "thresholds"), root.path("fitted_on").asText(""));
    }

    private static double[] matrix(JsonNode root, String key, int columns) {
        int d = SurfaceFeatures.SIZE;
        double[] m = new double[d * columns];
        JsonNode rows = root.path(key);
        if (!rows.isArray() || rows.size() != d) {
            throw bad(key + " must be " + d + " rows");
        }
        for (int i = 0; i < d; i++) {
            double[] row = doubles(rows.get(i), key + " row " + i);
            if (row.length != columns) {
                throw bad(key + " row " + i + " has " + row.length + " values, expected " + columns);
            }
            System.arraycopy(row, 0, m, i * columns, columns);
        }
        return m;
    }

    private static void putMatrix(ObjectNode o, String key, double[] m, int columns) {
        int d = SurfaceFeatures.SIZE;
        ArrayNode rows = o.putArray(key);
        for (int i = 0; i < d; i++) {
            ArrayNode row = rows.addArray();
            for (int j = 0; j < columns; j++) {
                row.add(m[i * columns + j]);
            }
        }
    }

    private static double[] doubles(JsonNode node, String what) {
        if (!node.isArray()) {
            throw bad(what + " must be an array of numbers");
        }
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            if (!node.get(i).isNumber()) {
                throw bad(what + " must be an array of numbers, found " + node.get(i));
            }
            v[i] = node.get(i).asDouble();
        }
        return v;
    }

    /** @return the JSON value stored under {@link org.scanline.ModelFormat#KEY_SURFACE} */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", VERSION);
        ArrayNode names = o.putArray("features");
        SurfaceFeatures.names().forEach(names::add);
        putMatrix(o, "mean", mean, 3);
        putMatrix(o, "between", between, SurfaceFeatures.SIZE);
        putMatrix(o, "within", within, SurfaceFeatures.SIZE);
        o.put("clip", clip);
        ArrayNode l = o.putArray("lines");
        ArrayNode t = o.putArray("thresholds");
        for (int i = 0; i < lines.length; i++) {
            l.add(lines[i]);
            t.add(thresholds[i]);
        }
        o.put("fitted_on", fittedOn);
        return o.toString();
    }

    /** @return how many standard deviations from the mean a line's features are clipped to */
    public double clip() {
        return clip;
    }

    /** @return what the check was fitted on */
    public String fittedOn() {
        return fittedOn;
    }

    /**
     * @param n lines seen (≥ 1)
     * @return the score above which a scan of that many lines is unknown
     */
    public double threshold(int n) {
        if (n <= lines[0]) {
            return thresholds[0];
        }
        for (int i = 1; i < lines.length; i++) {
            if (n <= lines[i]) {
                double w = (double) (n - lines[i - 1]) / (lines[i] - lines[i - 1]);
                return thresholds[i - 1] + w * (thresholds[i] - thresholds[i - 1]);
            }
        }
        return thresholds[thresholds.length - 1];
    }

    /**
     * @param pixelNm a pixel size, nm
     * @param out receives the training surface's mean features at that sampling
     */
    public void meanAt(double pixelNm, double[] out) {
        double x = Math.log(pixelNm / REFERENCE_NM);
        for (int i = 0; i < out.length; i++) {
            out[i] = mean[3 * i] + x * (mean[3 * i + 1] + x * mean[3 * i + 2]);
        }
    }

    /** @return a new scorer for one stream or scan, before its first line */
    public Scorer newScorer() {
        return new MeanFeatureScorer();
    }

    /** The running score of one scan; one thread at a time. */
    public interface Scorer {
        /**
         * Adds one line at the model's sampling.
         *
         * @param line raw heights of one line, the model's pixel count, finite; not modified
         * @param pixelNm its pixel size, nm
         */
        void add(float[] line, double pixelNm);

        /** @return lines added since creation or the last {@link #reset()} */
        int lines();

        /** @return the score so far (larger is further from the training surface) */
        double score();

        /** @return false once the score exceeds the threshold fitted for this many lines */
        boolean known();

        /** Forgets every line. */
        void reset();
    }

    /**
     * The Mahalanobis distance of the mean features of the lines so far from the training surface's
     * mean, under the covariance of such a mean over n lines: between + within / n. Lines are clipped
     * to mean ± clip standard deviations per feature first, so that one wild line (a spike, a streak
     * of an unstable tip: still the known surface) cannot decide a scan alone. The first line only
     * primes the line-to-line features. Allocation-free per line (a d × d Cholesky factorisation).
     */
    private final class MeanFeatureScorer implements Scorer {
        private final SurfaceFeatures features = new SurfaceFeatures();
        private final int d = SurfaceFeatures.SIZE;
        private final double[] f = new double[d];
        private final double[] sum = new double[d];
        private final double[] diff = new double[d];
        private final double[] solved = new double[d];
        private final double[] cov = new double[d * d];
        private final double[] factor = new double[d * d];
        private final double[] sd = new double[d];
        private final double[] centre = new double[d];
        private int added;
        private int scored;
        private double score;

        MeanFeatureScorer() {
            for (int i = 0; i < d; i++) {
                sd[i] = Math.sqrt(between[i * d + i] + within[i * d + i]);
            }
        }

        @Override
        public void add(float[] line, double pixelNm) {
            added++;
            if (!features.add(line, pixelNm, f)) {
                return;
            }
            scored++;
            // Deviations from the mean at this line's sampling, clipped, are what is averaged.
            meanAt(pixelNm, centre);
            for (int i = 0; i < d; i++) {
                sum[i] += Math.max(-clip * sd[i], Math.min(clip * sd[i], f[i] - centre[i]));
                diff[i] = sum[i] / scored;
            }
            for (int i = 0; i < d * d; i++) {
                cov[i] = between[i] + within[i] / scored;
            }
            score = Cholesky.factor(cov, factor, d) == null ? Double.POSITIVE_INFINITY
                    : Math.sqrt(Cholesky.quadratic(factor, diff, solved, d));
        }

        @Override
        public int lines() {
            return added;
        }

        @Override
        public double score() {
            return scored == 0 ? 0 : score;
        }

        @Override
        public boolean known() {
            return scored == 0 || score <= threshold(added);
        }

        @Override
        public void reset() {
            features.reset();
            java.util.Arrays.fill(sum, 0);
            added = 0;
            scored = 0;
            score = 0;
        }
    }
}
