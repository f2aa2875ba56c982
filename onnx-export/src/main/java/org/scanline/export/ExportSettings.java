package org.scanline.export;

import java.util.Objects;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;

/**
 * How {@link ModelExport} writes a file: the weight type, the graph style, and how much accuracy
 * int8 weights may lose on the validation split before the export refuses (or only warns).
 *
 * <pre>{@code
 * ExportSettings s = ExportSettings.defaults().withInt8(true).withInt8Drop(0.02, false);   // warn past 2 points
 * }</pre>
 *
 * @param int8 store the transformer's matrices as int8 (dynamic quantisation)
 * @param style how a causal model's key/value cache is laid out
 * @param maxInt8Drop the largest accuracy drop of int8 against float32 accepted, as a fraction (0.01 = 1 point)
 * @param refuseInt8Drop past {@code maxInt8Drop}: true refuses to write the file, false writes it with a warning
 * @param sampling write the sampling the run trained on ({@code scanline.sampling}, model format 5) when it
 *     knows it; false writes the file for runtimes that read format 4 at most
 */
@API(status = API.Status.EXPERIMENTAL)
public record ExportSettings(boolean int8, GraphStyle style, double maxInt8Drop, boolean refuseInt8Drop,
        boolean sampling) {
    /** The default largest int8 accuracy drop: one percentage point. */
    public static final double DEFAULT_MAX_INT8_DROP = 0.01;

    /**
     * Settings that write the sampling when the run knows it.
     *
     * @param int8 int8 weights
     * @param style graph style
     * @param maxInt8Drop largest accepted int8 accuracy drop, as a fraction
     * @param refuseInt8Drop refuse (true) or warn (false) past it
     */
    public ExportSettings(boolean int8, GraphStyle style, double maxInt8Drop, boolean refuseInt8Drop) {
        this(int8, style, maxInt8Drop, refuseInt8Drop, true);
    }

    /** Checks the values. */
    public ExportSettings {
        Objects.requireNonNull(style, "style");
        if (!(maxInt8Drop >= 0 && maxInt8Drop <= 1)) {
            throw new BadConfigException("the int8 accuracy drop must be a fraction in [0, 1], found " + maxInt8Drop);
        }
    }

    /** @return float32, format 3, refuse an int8 file that loses more than one point */
    public static ExportSettings defaults() {
        return new ExportSettings(false, GraphStyle.FIXED_CACHE, DEFAULT_MAX_INT8_DROP, true);
    }

    /** @param v int8 weights @return a copy with that weight type */
    public ExportSettings withInt8(boolean v) {
        return new ExportSettings(v, style, maxInt8Drop, refuseInt8Drop, sampling);
    }

    /** @param v graph style @return a copy with that style */
    public ExportSettings withStyle(GraphStyle v) {
        return new ExportSettings(int8, v, maxInt8Drop, refuseInt8Drop, sampling);
    }

    /**
     * @param max the largest accepted accuracy drop, as a fraction
     * @param refuse refuse (true) or warn (false) past it
     * @return a copy with that policy
     */
    public ExportSettings withInt8Drop(double max, boolean refuse) {
        return new ExportSettings(int8, style, max, refuse, sampling);
    }

    /** @param v write the run's sampling (format 5) @return a copy with that choice */
    public ExportSettings withSampling(boolean v) {
        return new ExportSettings(int8, style, maxInt8Drop, refuseInt8Drop, v);
    }
}
