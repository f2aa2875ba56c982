package org.scanline.runtime;

import org.apiguardian.api.API;

/**
 * Whether the lines of a scan look like the surface a model was trained on: a score over per-line
 * features at the model's physical sampling, against statistics and thresholds fitted on validation
 * scans of the training surface and stored in the model file ({@link org.scanline.ModelFormat#KEY_SURFACE}).
 * Fitted by {@code scanline-core}, read by the runtime; pure Java, no native memory.
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

    private SurfaceCheck() {
    }

    /**
     * @param json the value of {@link org.scanline.ModelFormat#KEY_SURFACE}
     * @return the check it describes
     * @throws org.scanline.BadModelException if the value is malformed or its numbers are not usable
     */
    public static SurfaceCheck fromJson(String json) {
        throw new UnsupportedOperationException("SurfaceCheck is being built (issue 23)");
    }

    /** @return the JSON value stored under {@link org.scanline.ModelFormat#KEY_SURFACE} */
    public String toJson() {
        throw new UnsupportedOperationException("SurfaceCheck is being built (issue 23)");
    }

    /** @return a new scorer for one stream or scan, before its first line */
    public Scorer newScorer() {
        throw new UnsupportedOperationException("SurfaceCheck is being built (issue 23)");
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
}
