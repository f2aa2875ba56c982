package org.scanline.runtime;

import org.scanline.ModelFormat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;
import org.scanline.Architecture;
import org.scanline.BadModelException;
import org.scanline.ModelInfo;
import org.scanline.Normalizer;
import org.scanline.SamplingRange;
import org.scanline.ScanlineException;

/** Reads the {@code scanline.*} metadata of a model file into a {@link ModelInfo}, refusing what it cannot trust. */
final class ModelMetadata {
    /** The newest model-file contract this runtime reads. */
    static final int KNOWN_FORMAT = ModelFormat.VERSION;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ModelMetadata() {
    }

    static ModelInfo parse(String source, Map<String, String> props) {
        for (String key : ModelFormat.REQUIRED_KEYS) {
            String v = props.get(key);
            if (v == null || v.isBlank()) {
                throw new BadModelException(source + ": metadata key '" + key
                        + "' is missing; is this a model written by the scanline exporter?");
            }
        }
        int format = integer(source, props, ModelFormat.KEY_FORMAT);
        if (format > KNOWN_FORMAT) {
            throw new BadModelException(source + ": " + ModelFormat.KEY_FORMAT + " " + format + " is newer than this runtime reads ("
                    + KNOWN_FORMAT + "); use a newer scanline-api");
        }
        if (format < 1) {
            throw new BadModelException(source + ": " + ModelFormat.KEY_FORMAT + " must be at least 1, found " + format);
        }
        Architecture arch;
        Normalizer normalizer;
        try {
            arch = Architecture.fromId(props.get(ModelFormat.KEY_ARCHITECTURE));
            normalizer = Normalizer.fromId(props.get(ModelFormat.KEY_NORMALIZER));
        } catch (ScanlineException e) {
            throw new BadModelException(source + ": " + e.getMessage(), e);
        }
        List<String> classes;
        try {
            classes = JSON.readValue(props.get(ModelFormat.KEY_CLASSES), new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new BadModelException(source + ": " + ModelFormat.KEY_CLASSES + " must be a JSON array of names, found '"
                    + props.get(ModelFormat.KEY_CLASSES) + "'", e);
        }
        checkClassNames(source, classes);
        String config = json(source, props, ModelFormat.KEY_CONFIG, "the training config");
        String metrics = json(source, props, ModelFormat.KEY_METRICS, "the validation metrics");
        double temperature;
        try {
            temperature = Double.parseDouble(props.get(ModelFormat.KEY_TEMPERATURE).trim());
        } catch (NumberFormatException e) {
            throw new BadModelException(source + ": " + ModelFormat.KEY_TEMPERATURE + " must be a number, found '"
                    + props.get(ModelFormat.KEY_TEMPERATURE) + "'", e);
        }
        if (!(temperature >= ModelFormat.MIN_TEMPERATURE && temperature <= ModelFormat.MAX_TEMPERATURE)) {
            throw new BadModelException(source + ": metadata key '" + ModelFormat.KEY_TEMPERATURE + "' is " + temperature
                    + "; a calibration temperature must lie in [" + ModelFormat.MIN_TEMPERATURE + ", "
                    + ModelFormat.MAX_TEMPERATURE + "] (near 0 every probability becomes 1)");
        }
        java.util.Optional<SamplingRange> sampling = sampling(source, props, format);
        List<String> states = List.of();
        String statesJson = props.get(ModelFormat.KEY_LINE_STATES);
        if (statesJson != null) {
            if (format < ModelFormat.LINE_STATE_SINCE) {
                throw new BadModelException(source + ": " + ModelFormat.KEY_LINE_STATES + " needs " + ModelFormat.KEY_FORMAT + " "
                        + ModelFormat.LINE_STATE_SINCE + " or newer, the file says " + format);
            }
            try {
                states = JSON.readValue(statesJson, new TypeReference<List<String>>() { });
            } catch (JsonProcessingException e) {
                throw new BadModelException(source + ": " + ModelFormat.KEY_LINE_STATES
                        + " must be a JSON array of names, found '" + statesJson + "'", e);
            }
            if (states == null || states.size() < 2) {
                throw new BadModelException(source + ": " + ModelFormat.KEY_LINE_STATES + " must name at least 2 states, "
                        + "found '" + statesJson + "'");
            }
        }
        try {
            return new ModelInfo(format, arch, classes, integer(source, props, ModelFormat.KEY_PIXELS),
                    integer(source, props, ModelFormat.KEY_MAX_LINES), normalizer, temperature,
                    props.getOrDefault(ModelFormat.KEY_RUN_ID, ""), props.getOrDefault(ModelFormat.KEY_LIBRARY_VERSION, ""),
                    config, metrics, states, sampling);
        } catch (BadModelException e) {
            throw new BadModelException(source + ": " + e.getMessage(), e);
        }
    }

    /** @return the value of {@code scanline.sampling}, checked, or empty when the file has none */
    private static java.util.Optional<SamplingRange> sampling(String source, Map<String, String> props, int format) {
        String v = props.get(ModelFormat.KEY_SAMPLING);
        if (v == null) {
            return java.util.Optional.empty();
        }
        if (format < ModelFormat.SAMPLING_SINCE) {
            throw new BadModelException(source + ": " + ModelFormat.KEY_SAMPLING + " needs " + ModelFormat.KEY_FORMAT + " "
                    + ModelFormat.SAMPLING_SINCE + " or newer, the file says " + format);
        }
        try {
            JsonNode node = JSON.readTree(v);
            JsonNode px = node == null ? null : node.get("pixel_nm");
            JsonNode ln = node == null ? null : node.get("line_nm");
            if (px == null || ln == null || !px.isArray() || !ln.isArray() || px.size() != 2 || ln.size() != 2
                    || !px.get(0).isNumber() || !px.get(1).isNumber() || !ln.get(0).isNumber() || !ln.get(1).isNumber()) {
                throw new BadModelException(source + ": metadata key '" + ModelFormat.KEY_SAMPLING
                        + "' must be {\"pixel_nm\": [min, max], \"line_nm\": [min, max]}, found '" + abbreviate(v) + "'");
            }
            return java.util.Optional.of(new SamplingRange(px.get(0).asDouble(), px.get(1).asDouble(),
                    ln.get(0).asDouble(), ln.get(1).asDouble()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new BadModelException(source + ": metadata key '" + ModelFormat.KEY_SAMPLING + "' is not a usable"
                    + " sampling range ('" + abbreviate(v) + "'): " + e.getMessage(), e);
        }
    }

    /** Names index the logits, so a blank or repeated name would make a prediction ambiguous. */
    private static void checkClassNames(String source, List<String> classes) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < classes.size(); i++) {
            String name = classes.get(i);
            if (name == null || name.isBlank()) {
                throw new BadModelException(source + ": metadata key '" + ModelFormat.KEY_CLASSES + "' has a blank name at index " + i
                        + ": " + classes);
            }
            if (!seen.add(name)) {
                throw new BadModelException(source + ": metadata key '" + ModelFormat.KEY_CLASSES + "' names '" + name + "' twice: "
                        + classes);
            }
        }
    }

    /** @return the optional key's value ("{}" when absent), checked to be a JSON object */
    private static String json(String source, Map<String, String> props, String key, String what) {
        String v = props.get(key);
        if (v == null) {
            return "{}";
        }
        try {
            JsonNode node = JSON.readTree(v);
            if (node == null || !node.isObject()) {
                throw new BadModelException(source + ": metadata key '" + key + "' must hold " + what
                        + " as a JSON object, found '" + abbreviate(v) + "'");
            }
        } catch (JsonProcessingException e) {
            throw new BadModelException(source + ": metadata key '" + key + "' must hold " + what
                    + " as a JSON object, but it is not valid JSON (" + e.getOriginalMessage() + "): '" + abbreviate(v)
                    + "'", e);
        }
        return v;
    }

    private static String abbreviate(String v) {
        return v.length() <= 80 ? v : v.substring(0, 77) + "...";
    }

    private static int integer(String source, Map<String, String> props, String key) {
        try {
            return Integer.parseInt(props.get(key).trim());
        } catch (NumberFormatException e) {
            throw new BadModelException(source + ": metadata key '" + key + "' must be an integer, found '"
                    + props.get(key) + "'", e);
        }
    }
}
