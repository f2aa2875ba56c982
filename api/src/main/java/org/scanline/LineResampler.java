package org.scanline;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Resamples scan lines from an instrument's pixel count to a model's, so that a 256-pixel scan can
 * be classified by a 64-pixel model. The one place scanline resamples: the command line
 * ({@code classify}, {@code stream}, {@code demo}) uses it too.
 *
 * <h2>Method</h2>
 * Linear interpolation with a triangle filter, as the antialiased bilinear resize of PIL and
 * torchvision: the line is treated as {@code S} equal-width pixels covering the scan range, and
 * target pixel {@code j} of {@code T} is centred at source position {@code c = (j + 0.5)·S/T − 0.5}
 * (in source pixels). Its value is the weighted mean of the source pixels within the triangle
 * {@code w(x) = max(0, 1 − |x − c| / r)} with {@code r = max(1, S/T)}:
 * <ul>
 *   <li>enlarging ({@code T > S}) is plain linear interpolation between the two nearest pixels
 *   (the end pixels are held at the edges);</li>
 *   <li>shrinking by a factor {@code r = S/T} widens the triangle to {@code r} pixels each side, so
 *   every source pixel contributes and the noise is averaged instead of two of every {@code r}
 *   pixels being picked (no aliasing);</li>
 *   <li>equal counts copy the line unchanged.</li>
 * </ul>
 * Only the fast axis (pixels within a line) is resampled; lines stay one to one, in acquisition
 * order. A NaN or infinite pixel makes every target pixel whose triangle covers it non-finite, so
 * a line not yet acquired stays recognisably unacquired.
 *
 * <pre>{@code
 * LineResampler r = LineResampler.of(256, classifier.pixels());
 * try (LineStream stream = r.wrap(classifier.newStream())) {
 *     Prediction p = stream.push(line256);          // resampled to 64 pixels, then classified
 * }
 * float[] line64 = r.resample(line256);
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; {@link #resample(float[], int, float[], int)}
 * allocates nothing.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class LineResampler {
    private final int sourcePixels;
    private final int targetPixels;
    /** First source pixel of each target pixel's triangle. */
    private final int[] first;
    /** Number of source pixels in each target pixel's triangle. */
    private final int[] count;
    /** Normalised weights, {@code stride} per target pixel. */
    private final float[] weights;
    private final int stride;

    private LineResampler(int sourcePixels, int targetPixels) {
        this.sourcePixels = sourcePixels;
        this.targetPixels = targetPixels;
        double scale = (double) sourcePixels / targetPixels;
        double radius = Math.max(1.0, scale);
        this.stride = (int) Math.ceil(radius) * 2 + 1;
        this.first = new int[targetPixels];
        this.count = new int[targetPixels];
        this.weights = new float[targetPixels * stride];
        double[] w = new double[stride];
        for (int j = 0; j < targetPixels; j++) {
            double centre = (j + 0.5) * scale - 0.5;
            int lo = Math.max(0, (int) Math.ceil(centre - radius));
            int hi = Math.min(sourcePixels - 1, (int) Math.floor(centre + radius));
            double sum = 0;
            int n = 0;
            for (int x = lo; x <= hi; x++) {
                double v = Math.max(0, 1 - Math.abs(x - centre) / radius);
                w[n++] = v;
                sum += v;
            }
            if (sum == 0) {
                // A centre outside [0, S − 1] by a whole radius cannot happen; the nearest pixel is the safe answer.
                int nearest = (int) Math.min(sourcePixels - 1, Math.max(0, Math.round(centre)));
                first[j] = nearest;
                count[j] = 1;
                weights[j * stride] = 1;
                continue;
            }
            // Drop zero-weight ends (a pixel exactly one radius away) so an exact copy stays exact.
            int start = 0;
            while (start < n && w[start] == 0) {
                start++;
            }
            int end = n;
            while (end > start && w[end - 1] == 0) {
                end--;
            }
            first[j] = lo + start;
            count[j] = end - start;
            for (int k = start; k < end; k++) {
                weights[j * stride + k - start] = (float) (w[k] / sum);
            }
        }
    }

    /**
     * @param sourcePixels pixels per line of the input (the instrument's)
     * @param targetPixels pixels per line of the output (the model's, {@link ScanLineClassifier#pixels()})
     * @return the resampler
     * @throws BadConfigException if either count is not positive
     */
    public static LineResampler of(int sourcePixels, int targetPixels) {
        if (sourcePixels <= 0 || targetPixels <= 0) {
            throw new BadConfigException("pixel counts must be positive, found " + sourcePixels + " → " + targetPixels);
        }
        return new LineResampler(sourcePixels, targetPixels);
    }

    /** @return pixels per input line */
    public int sourcePixels() {
        return sourcePixels;
    }

    /** @return pixels per output line */
    public int targetPixels() {
        return targetPixels;
    }

    /** @return true if lines pass unchanged (equal pixel counts) */
    public boolean isIdentity() {
        return sourcePixels == targetPixels;
    }

    /**
     * Resamples one line into a caller's buffer; allocates nothing.
     *
     * @param src source array
     * @param srcOffset index of the line's first pixel in {@code src}
     * @param dst destination array (not {@code src})
     * @param dstOffset index of the first output pixel in {@code dst}
     */
    public void resample(float[] src, int srcOffset, float[] dst, int dstOffset) {
        Objects.checkFromIndexSize(srcOffset, sourcePixels, src.length);
        Objects.checkFromIndexSize(dstOffset, targetPixels, dst.length);
        if (isIdentity()) {
            System.arraycopy(src, srcOffset, dst, dstOffset, sourcePixels);
            return;
        }
        for (int j = 0; j < targetPixels; j++) {
            int base = srcOffset + first[j];
            int w = j * stride;
            double v = 0;
            for (int k = 0; k < count[j]; k++) {
                v += weights[w + k] * src[base + k];
            }
            dst[dstOffset + j] = (float) v;
        }
    }

    /**
     * @param line one line of {@link #sourcePixels()} pixels; not modified
     * @return a new line of {@link #targetPixels()} pixels
     * @throws BadDataException if the line has another length
     */
    public float[] resample(float[] line) {
        checkWidth(line, -1);
        float[] out = new float[targetPixels];
        resample(line, 0, out, 0);
        return out;
    }

    /**
     * @param scan lines × {@link #sourcePixels()}; not modified
     * @return a new scan, the same lines × {@link #targetPixels()}
     * @throws BadDataException if a line has another length, naming it
     */
    public float[][] resample(float[][] scan) {
        float[][] out = new float[scan.length][];
        for (int l = 0; l < scan.length; l++) {
            checkWidth(scan[l], l);
            out[l] = new float[targetPixels];
            resample(scan[l], 0, out[l], 0);
        }
        return out;
    }

    /**
     * A stream that takes lines of {@link #sourcePixels()} pixels and pushes them, resampled, into
     * {@code target}; closing it closes {@code target}. It reuses one buffer: one thread per stream,
     * as for every {@link LineStream}.
     *
     * @param target a stream of a classifier with {@link #targetPixels()} pixels per line
     * @return the resampling stream
     */
    public LineStream wrap(LineStream target) {
        Objects.requireNonNull(target, "target");
        return new LineStream() {
            private final float[] buffer = new float[targetPixels];

            @Override
            public Prediction push(float[] line) {
                checkWidth(line, target.linesSeen());
                resample(line, 0, buffer, 0);
                return target.push(buffer);
            }

            @Override
            public int linesSeen() {
                return target.linesSeen();
            }

            @Override
            public void reset() {
                target.reset();
            }

            @Override
            public void close() {
                target.close();
            }
        };
    }

    private void checkWidth(float[] line, int index) {
        if (line == null || line.length != sourcePixels) {
            throw new BadDataException((index < 0 ? "the line" : "line " + index) + " has "
                    + (line == null ? "no pixels (null)" : line.length + " pixels") + "; this resampler takes "
                    + sourcePixels);
        }
    }

    @Override
    public String toString() {
        return "LineResampler[" + sourcePixels + " → " + targetPixels + " pixels, triangle filter]";
    }
}
