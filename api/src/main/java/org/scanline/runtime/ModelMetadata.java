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
import org.scanline.ScanlineException;

/** Reads the {@code scanline.*} metadata of a model file into a {@link ModelInfo}, refusing what it cannot trust. */
final class ModelMetadata {
    /** The newest model-file contract this runtime reads. */
    static final int KNOWN_FORMAT = ModelFormat.VERSION;
    static final List<String> REQUIRED = List.of("scanline.format", "scanline.architecture", "scanline.classes",
            "scanline.pixels", "scanline.max_lines", "scanline.normalizer", "scanline.temperature");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ModelMetadata() {
    }

    static ModelInfo parse(String source, Map<String, String> props) {
        for (String key : REQUIRED) {
            String v = props.get(key);
            if (v == null || v.isBlank()) {
                throw new BadModelException(source + ": metadata key '" + key
                        + "' is missing; is this a model written by the scanline exporter?");
            }
        }
        int format = integer(source, props, "scanline.format");
        if (format > KNOWN_FORMAT) {
            throw new BadModelException(source + ": scanline.format " + format + " is newer than this runtime reads ("
                    + KNOWN_FORMAT + "); use a newer scanline-api");
        }
        if (format < 1) {
            throw new BadModelException(source + ": scanline.format must be at least 1, found " + format);
        }
        Architecture arch;
        Normalizer normalizer;
        try {
            arch = Architecture.fromId(props.get("scanline.architecture"));
            normalizer = Normalizer.fromId(props.get("scanline.normalizer"));
        } catch (ScanlineException e) {
            throw new BadModelException(source + ": " + e.getMessage(), e);
        }
        List<String> classes;
        try {
            classes = JSON.readValue(props.get("scanline.classes"), new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new BadModelException(source + ": scanline.classes must be a JSON array of names, found '"
                    + props.get("scanline.classes") + "'", e);
        }
        checkClassNames(source, classes);
        String config = json(source, props, "scanline.config", "the training config");
        String metrics = json(source, props, "scanline.metrics", "the validation metrics");
        double temperature;
        try {
            temperature = Double.parseDouble(props.get("scanline.temperature").trim());
        } catch (NumberFormatException e) {
            throw new BadModelException(source + ": scanline.temperature must be a number, found '"
                    + props.get("scanline.temperature") + "'", e);
        }
        List<String> states = List.of();
        String statesJson = props.get(ModelFormat.KEY_LINE_STATES);
        if (statesJson != null) {
            if (format < ModelFormat.LINE_STATE_SINCE) {
                throw new BadModelException(source + ": " + ModelFormat.KEY_LINE_STATES + " needs scanline.format "
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
            return new ModelInfo(format, arch, classes, integer(source, props, "scanline.pixels"),
                    integer(source, props, "scanline.max_lines"), normalizer, temperature,
                    props.getOrDefault("scanline.run_id", ""), props.getOrDefault("scanline.library_version", ""),
                    config, metrics, states);
        } catch (BadModelException e) {
            throw new BadModelException(source + ": " + e.getMessage(), e);
        }
    }

    /** Names index the logits, so a blank or repeated name would make a prediction ambiguous. */
    private static void checkClassNames(String source, List<String> classes) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < classes.size(); i++) {
            String name = classes.get(i);
            if (name == null || name.isBlank()) {
                throw new BadModelException(source + ": metadata key 'scanline.classes' has a blank name at index " + i
                        + ": " + classes);
            }
            if (!seen.add(name)) {
                throw new BadModelException(source + ": metadata key 'scanline.classes' names '" + name + "' twice: "
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
