package org.scanline.export;

import org.apiguardian.api.API;

/**
 * How the exporter builds a {@code causal} model's step graph. The other architectures carry no
 * cache and are built the same way in every style.
 *
 * <pre>{@code
 * OnnxExporter.write(out, spec, weights, metadata, false, GraphStyle.GROWING_CACHE);   // for a format-2 runtime
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
    PLAIN
}
