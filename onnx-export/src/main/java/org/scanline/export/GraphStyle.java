package org.scanline.export;

import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.ModelFormat;
import org.scanline.model.ModelSpec;

/**
 * How the exporter builds a {@code causal} model's step graph, and the one place that maps a style to
 * the model format it writes and a requested format to its style. The other architectures carry no
 * cache and are built the same way in every style.
 *
 * <pre>{@code
 * OnnxExporter.write(out, spec, weights, metadata, false, GraphStyle.GROWING_CACHE);   // for a format-2 runtime
 * GraphStyle style = GraphStyle.forFormat(3);                                          // FIXED_CACHE
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public enum GraphStyle {
    /**
     * Model format 3, the default: fixed-capacity key/value buffers updated in place by ONNX Runtime's
     * {@code GroupQueryAttention}, so a streamed line copies no cache. Needs a head size that is a
     * multiple of 8; other models are written as {@link #GROWING_CACHE}.
     */
    FIXED_CACHE,
    /**
     * Model format 2: each step concatenates the pasts with the new line's keys and values into
     * presents one line longer (a copy of the whole cache per line). Opens in every runtime since
     * format 2.
     */
    GROWING_CACHE,
    /**
     * The obvious opset-17 graph of the same weights (separate Q, K and V products on
     * {@code [batch, lines, d]}, scores divided by √hd, explicit mask, concatenated cache), in model
     * format 2: the baseline {@code bench-runtime} compares against, not meant for deployment.
     */
    PLAIN;

    /** The format of a graph with a growing cache: the last before {@link ModelFormat#FIXED_CACHE_SINCE}. */
    static final int GROWING_CACHE_FORMAT = ModelFormat.FIXED_CACHE_SINCE - 1;

    /**
     * @param format a model format a runtime reads: {@value #GROWING_CACHE_FORMAT}, or
     *     {@link ModelFormat#FIXED_CACHE_SINCE} up to {@link ModelFormat#VERSION}
     * @return the style that writes a file such a runtime opens
     * @throws BadConfigException for any other format
     */
    public static GraphStyle forFormat(int format) {
        if (format == GROWING_CACHE_FORMAT) {
            return GROWING_CACHE;
        }
        if (format >= ModelFormat.FIXED_CACHE_SINCE && format <= ModelFormat.VERSION) {
            return FIXED_CACHE;
        }
        throw new BadConfigException("model format must be " + GROWING_CACHE_FORMAT + " or "
                + ModelFormat.FIXED_CACHE_SINCE + " to " + ModelFormat.VERSION + ", found " + format);
    }

    /**
     * @param format a model format
     * @return whether a file of that format can hold a model with line differences
     */
    public static boolean holdsLineDifference(int format) {
        return format >= ModelFormat.PREVIOUS_LINE_SINCE;
    }

    /**
     * @param spec the model
     * @return the style actually written: {@link #FIXED_CACHE} becomes {@link #GROWING_CACHE} for a head
     *     size GroupQueryAttention cannot take
     * @throws BadConfigException if the model has line differences and would be written with a growing cache
     */
    GraphStyle effectiveFor(ModelSpec spec) {
        GraphStyle effective = this == FIXED_CACHE && !fixedCacheFits(spec) ? GROWING_CACHE : this;
        if (spec.lineDifference() && effective == GROWING_CACHE) {
            throw new BadConfigException("a causal model with line differences is written in model format "
                    + ModelFormat.PREVIOUS_LINE_SINCE + " only, which needs a fixed cache: a head size that is a "
                    + "multiple of 8 (this model's is " + spec.headDim() + ")");
        }
        return effective;
    }

    /**
     * @param spec the model, written in this (effective) style
     * @return the model format the file declares: the lowest whose contract holds the graph
     */
    int formatOf(ModelSpec spec) {
        if (spec.lineDifference()) {
            return ModelFormat.PREVIOUS_LINE_SINCE;
        }
        return this == FIXED_CACHE ? ModelFormat.FIXED_CACHE_SINCE : GROWING_CACHE_FORMAT;
    }

    /** GroupQueryAttention's CPU kernel wants a head size that is a multiple of 8. */
    static boolean fixedCacheFits(ModelSpec spec) {
        return spec.headDim() % 8 == 0;
    }
}
