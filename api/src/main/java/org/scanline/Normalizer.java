package org.scanline;

import java.util.Locale;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.apiguardian.api.API;

/**
 * How scan lines are normalised before they reach a model. The one place normalisation happens,
 * for training and for inference alike; a model records the normaliser it was trained with (its
 * {@link #id()}) and the runtime applies the same one.
 *
 * <p>{@link #PER_LINE} brings each line to mean 0 and standard deviation 1 (population standard
 * deviation, as numpy's default); a <em>flat</em> line is only centred, so it stays flat instead of
 * blowing float rounding noise up to unit size. Statistics are accumulated in double precision.
 *
 * <p>Flat means a standard deviation of at most {@value #FLAT_RELATIVE_STD} times the line's largest
 * absolute value — about ten float32 rounding steps. The earlier implementations used an absolute
 * 1e-8, which works for 8-bit or unit-scale images but not for instrument data: a Nanonis Z line
 * in metres has a standard deviation near 1e-11 and would never be scaled. The relative rule treats
 * unit-scale data as before and instrument units correctly.
 *
 * <pre>{@code
 * float[] line = acquireLine();
 * Normalizer.PER_LINE.normalizeInPlace(line);       // streaming: allocates nothing
 * Normalizer.PER_LINE.normalizeScans(images, n * lines, pixels); // whole data sets, in place
 * }</pre>
 */
@API(status = API.Status.STABLE)
public enum Normalizer {
    /** Each line to mean 0, standard deviation 1 (flat lines are only centred). */
    PER_LINE("per_line"),
    /** Lines pass unchanged. */
    NONE("none");

    /** A line whose standard deviation is at most this times its largest absolute value is only centred. */
    public static final double FLAT_RELATIVE_STD = 1e-6;

    private final String id;

    Normalizer(String id) {
        this.id = id;
    }

    /** @return the name written to configs and model metadata ({@code per_line} or {@code none}) */
    @JsonValue
    public String id() {
        return id;
    }

    /**
     * Looks a normaliser up by its {@link #id()} (case-insensitive; {@code -} and {@code _} are equivalent).
     *
     * @param id the name, e.g. {@code per_line}
     * @return the normaliser
     * @throws BadConfigException if no normaliser has that name
     */
    @JsonCreator
    public static Normalizer fromId(String id) {
        if (id != null) {
            String key = id.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (Normalizer n : values()) {
                if (n.id.equals(key) || n.name().toLowerCase(Locale.ROOT).equals(key)) {
                    return n;
                }
            }
        }
        throw new BadConfigException("unknown normalizer '" + id + "': expected one of per_line, none");
    }

    /**
     * Normalises {@code length} values of {@code src} starting at {@code srcOffset} into {@code dst}
     * at {@code dstOffset}. {@code src} and {@code dst} may be the same array (in place). Allocates nothing.
     *
     * @param src source values
     * @param srcOffset first source index
     * @param dst destination array
     * @param dstOffset first destination index
     * @param length number of pixels in the line
     */
    public void normalize(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        if (this == NONE) {
            if (src != dst || srcOffset != dstOffset) {
                System.arraycopy(src, srcOffset, dst, dstOffset, length);
            }
            return;
        }
        double sum = 0;
        double maxAbs = 0;
        for (int i = 0; i < length; i++) {
            float v = src[srcOffset + i];
            sum += v;
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        double mean = sum / length;
        double sq = 0;
        for (int i = 0; i < length; i++) {
            double d = src[srcOffset + i] - mean;
            sq += d * d;
        }
        double std = Math.sqrt(sq / length);
        if (std <= FLAT_RELATIVE_STD * maxAbs) {
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = (float) (src[srcOffset + i] - mean);
            }
        } else {
            double inv = 1.0 / std;
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = (float) ((src[srcOffset + i] - mean) * inv);
            }
        }
    }

    /**
     * Normalises one line in place: the streaming case. Allocates nothing.
     *
     * @param line the pixels of one scan line
     */
    public void normalizeInPlace(float[] line) {
        normalize(line, 0, line, 0, line.length);
    }

    /**
     * Normalises {@code lineCount} consecutive lines of {@code pixels} values each, in place, in a
     * flat row-major array (scans of a data set laid end to end).
     *
     * @param flat row-major values, at least {@code lineCount * pixels} long
     * @param lineCount number of lines to normalise
     * @param pixels pixels per line
     */
    public void normalizeScans(float[] flat, long lineCount, int pixels) {
        if (pixels <= 0) {
            throw new IllegalArgumentException("pixels must be positive, got " + pixels);
        }
        if (lineCount * pixels > flat.length) {
            throw new IllegalArgumentException(
                    lineCount + " lines of " + pixels + " pixels do not fit an array of " + flat.length);
        }
        for (long l = 0; l < lineCount; l++) {
            int off = Math.toIntExact(l * pixels);
            normalize(flat, off, flat, off, pixels);
        }
    }

    /**
     * Returns a normalised copy of a scan given as rows; the input is left untouched.
     *
     * @param scan lines × pixels
     * @return a new normalised scan
     */
    public float[][] normalizedCopy(float[][] scan) {
        float[][] out = new float[scan.length][];
        for (int l = 0; l < scan.length; l++) {
            out[l] = new float[scan[l].length];
            normalize(scan[l], 0, out[l], 0, scan[l].length);
        }
        return out;
    }
}
