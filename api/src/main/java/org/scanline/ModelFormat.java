package org.scanline;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The model-file contract in one place: the {@code scanline.*} metadata keys, the tensor names and
 * the format versions, used by the exporter that writes {@code .onnx} files and the runtime that
 * reads them (see {@code docs/embedding.md}). The contract grows by version, never silently: every
 * older version still opens.
 *
 * <ul>
 *   <li>1: input {@value #LINES}, output {@value #LOGITS}; {@code causal} models add
 *       {@code past_key_i}/{@code past_value_i} inputs and {@code present_key_i}/{@code present_value_i}
 *       outputs per layer.</li>
 *   <li>2: a {@code causal} model may also have the output {@value #LINE_STATE}
 *       {@code [batch, new_lines, states]}, the tip-state logits of every line, named by the metadata
 *       key {@value #KEY_LINE_STATES}.</li>
 *   <li>3: a {@code causal} model's key/value cache has a fixed capacity and is updated in place. The
 *       graph has the int64 scalar input {@value #PAST_LINES}, the number of lines already held in the
 *       pasts. A stream passes pasts {@code [batch, heads, max_lines, head_dim]} and binds each
 *       {@code present_*} output to the very buffer of its {@code past_*} input: the step writes the new
 *       line's keys and values at row {@code past_lines} and copies nothing else. A full scan passes empty
 *       pasts ({@code past_lines = 0}). Presents are {@code [batch, heads, max(past_rows, past_lines +
 *       new_lines), head_dim]}; rows from {@code past_lines + new_lines} on are not meaningful. The
 *       attention is ONNX Runtime's {@code com.microsoft.GroupQueryAttention}, which needs a head size
 *       that is a multiple of 8; the exporter writes format 2 for other head sizes.</li>
 *   <li>4: format 3, and a {@code causal} model may also have the input {@value #PREVIOUS_LINE}
 *       {@code [batch, pixels]}: the normalised line before {@code lines[:, 0]}, which the model's
 *       tokenizer compares with the first new line. At the start of a scan there is none: pass
 *       {@code lines[:, 0]} itself (a zero difference). A stream passes the line it was given last.</li>
 *   <li>5: the graph of format 4 (or of 3; a {@code causal} model's cache is fixed-capacity, as from 3 on; a
 *       {@code vit} or {@code lrcn} graph is unchanged), and the optional metadata keys
 *       {@value #KEY_SAMPLING} (the physical sampling the model was trained on) and {@value #KEY_SURFACE}
 *       (its surface check). A runtime that knows them brings lines to the model's sampling.</li>
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ModelFormat {
    /** The newest version: what the exporter writes and the newest the runtime reads. */
    public static final int VERSION = 5;
    /** The first version that may carry a {@value #LINE_STATE} output. */
    public static final int LINE_STATE_SINCE = 2;
    /** The first version whose {@code causal} models have fixed-capacity pasts and {@value #PAST_LINES}. */
    public static final int FIXED_CACHE_SINCE = 3;
    /** The first version whose {@code causal} models may have the input {@value #PREVIOUS_LINE}. */
    public static final int PREVIOUS_LINE_SINCE = 4;

    /** Input: normalised lines {@code [batch, new_lines, pixels]}. */
    public static final String LINES = "lines";
    /** Input (format ≥ 3, causal): int64 scalar, the lines already held in the {@code past_*} buffers. */
    public static final String PAST_LINES = "past_lines";
    /**
     * Input (format ≥ 4, causal, optional): the normalised line before {@code lines[:, 0]}
     * {@code [batch, pixels]}; {@code lines[:, 0]} itself at the start of a scan.
     */
    public static final String PREVIOUS_LINE = "previous_line";
    /** Output: class logits {@code [batch, new_lines, classes]} ({@code [batch, 1, classes]} for vit). */
    public static final String LOGITS = "logits";
    /** Output (format ≥ 2, optional): per-line tip-state logits {@code [batch, new_lines, states]}. */
    public static final String LINE_STATE = "line_state";

    /** The first version that may carry {@value #KEY_SAMPLING} and {@value #KEY_SURFACE}. */
    public static final int SAMPLING_SINCE = 5;

    /**
     * Metadata key (format ≥ 5, optional): the physical sampling the model was trained on, JSON
     * {@code {"pixel_nm": [min, max], "line_nm": [min, max]}} ({@link SamplingRange}). A file without it
     * knows no sampling: lines are resampled to {@code scanline.pixels} by count, as before.
     */
    public static final String KEY_SAMPLING = "scanline.sampling";
    /**
     * Metadata key (format ≥ 5, optional): the "is this a surface the model knows" check, JSON written
     * and read by {@code org.scanline.runtime.SurfaceCheck} (its features' statistics on the training
     * surface and the thresholds fitted on validation scans).
     */
    public static final String KEY_SURFACE = "scanline.surface";

    /** Metadata key: the integer format version. */
    public static final String KEY_FORMAT = "scanline.format";
    /** Metadata key: {@code vit}, {@code causal} or {@code lrcn}. */
    public static final String KEY_ARCHITECTURE = "scanline.architecture";
    /** Metadata key: JSON array of class names, index = logit. */
    public static final String KEY_CLASSES = "scanline.classes";
    /** Metadata key: JSON array of tip-state names, index = {@value #LINE_STATE} logit (format ≥ 2). */
    public static final String KEY_LINE_STATES = "scanline.line_states";
    /** Metadata key: pixels per line. */
    public static final String KEY_PIXELS = "scanline.pixels";
    /** Metadata key: the most lines one scan may hold. */
    public static final String KEY_MAX_LINES = "scanline.max_lines";
    /** Metadata key: the {@link Normalizer} id. */
    public static final String KEY_NORMALIZER = "scanline.normalizer";
    /**
     * Smallest {@value #KEY_TEMPERATURE} a file may hold: export calibration searches
     * [{@value #MIN_TEMPERATURE}, {@value #MAX_TEMPERATURE}], and a temperature near 0 would make every
     * probability 1.000 (issue 27).
     */
    public static final double MIN_TEMPERATURE = 0.05;
    /** Largest {@value #KEY_TEMPERATURE} a file may hold (every probability near uniform beyond it). */
    public static final double MAX_TEMPERATURE = 20;

    /**
     * Metadata key: softmax temperature from calibration (1 = none), in
     * [{@value #MIN_TEMPERATURE}, {@value #MAX_TEMPERATURE}].
     */
    public static final String KEY_TEMPERATURE = "scanline.temperature";
    /** Metadata key: the full training config, JSON. */
    public static final String KEY_CONFIG = "scanline.config";
    /** Metadata key: the run's folder name. */
    public static final String KEY_RUN_ID = "scanline.run_id";
    /** Metadata key: validation metrics, JSON. */
    public static final String KEY_METRICS = "scanline.metrics";
    /** Metadata key: the scanline version that wrote the file. */
    public static final String KEY_LIBRARY_VERSION = "scanline.library_version";
    /** Metadata key: {@value #WEIGHTS_FLOAT32} or {@value #WEIGHTS_INT8} weight storage. */
    public static final String KEY_WEIGHTS = "scanline.weights";

    /** {@value #KEY_WEIGHTS} value: float32 weights. */
    public static final String WEIGHTS_FLOAT32 = "float32";
    /** {@value #KEY_WEIGHTS} value: the transformer's matrices stored as int8 (dynamic quantisation). */
    public static final String WEIGHTS_INT8 = "int8";

    /** The keys every model file has, in every format; the others are optional. */
    public static final List<String> REQUIRED_KEYS = List.of(KEY_FORMAT, KEY_ARCHITECTURE, KEY_CLASSES, KEY_PIXELS,
            KEY_MAX_LINES, KEY_NORMALIZER, KEY_TEMPERATURE);

    /** {@code producer_name} of a file the scanline exporter wrote. */
    public static final String PRODUCER = "scanline";
    /** {@code domain} of a file the scanline exporter wrote. */
    public static final String DOMAIN = "org.scanline";

    private ModelFormat() {
    }

    /**
     * The {@value #PREVIOUS_LINE} of a call that starts at line 0 of every scan: each scan's first
     * line, its own predecessor (a zero difference).
     *
     * @param lines the call's normalised lines, row-major {@code [batch, count, pixels]}
     * @param batch scans in the call
     * @param count lines per scan in the call
     * @param pixels pixels per line
     * @return {@code [batch, pixels]}, row-major
     */
    public static float[] firstLines(float[] lines, int batch, int count, int pixels) {
        float[] first = new float[batch * pixels];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(lines, b * count * pixels, first, b * pixels, pixels);
        }
        return first;
    }

    /** @param layer layer index from 0 @return the name of that layer's past-key input */
    public static String pastKey(int layer) {
        return "past_key_" + layer;
    }

    /** @param layer layer index from 0 @return the name of that layer's past-value input */
    public static String pastValue(int layer) {
        return "past_value_" + layer;
    }

    /** @param layer layer index from 0 @return the name of that layer's present-key output */
    public static String presentKey(int layer) {
        return "present_key_" + layer;
    }

    /** @param layer layer index from 0 @return the name of that layer's present-value output */
    public static String presentValue(int layer) {
        return "present_value_" + layer;
    }
}
