package org.scanline.runtime;

import org.scanline.ModelFormat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private static final ObjectMapper JSON = new ObjectMapper();

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
                    props.getOrDefault("scanline.config", "{}"), props.getOrDefault("scanline.metrics", "{}"), states);
        } catch (BadModelException e) {
            throw new BadModelException(source + ": " + e.getMessage(), e);
        }
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
