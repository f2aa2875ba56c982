package org.scanline.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.train.TrainingConfig;

/**
 * An ablation sweep read from YAML: a base config and either a grid (the cartesian product of
 * the listed values; the last key varies fastest) or an explicit list of configs. Every key is a
 * {@link TrainingConfig} key; an unknown key is an error naming it.
 *
 * <pre>{@code
 * name: lr-and-depth         # optional, used for the SLURM job name
 * data: data/processed.npz   # optional, sets dataPath of every config
 * base:                      # optional, applied to every config
 *   epochs: 30
 *   architecture: causal
 * grid:                      # cartesian product ...
 *   learningRate: [1.0e-5, 1.0e-4, 1.0e-3]
 *   numLayers: [4, 6, 8, 12]
 * # ... or an explicit list instead of grid:
 * # configs:
 * #   - {classWeights: false}
 * #   - {normalizer: none}
 * }</pre>
 *
 * @param name the sweep's name
 * @param configs every resolved, validated config, in order
 * @param varied for each config, the keys the grid or list set and their values (for labels)
 */
@API(status = API.Status.EXPERIMENTAL)
public record SweepSpec(String name, List<TrainingConfig> configs, List<Map<String, Object>> varied) {

    private static final Set<String> TOP_LEVEL = Set.of("name", "data", "base", "grid", "configs");
    // A key written twice is refused rather than silently the last one.
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the lists. */
    public SweepSpec {
        configs = List.copyOf(configs);
        varied = varied.stream().map(m -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m))).toList();
    }

    /**
     * @param file a sweep YAML file
     * @return the sweep
     * @throws BadConfigException naming the file and the problem
     */
    public static SweepSpec read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new BadConfigException(file + ": no such sweep file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param yaml the sweep as YAML text
     * @param source where it came from, for messages
     * @return the sweep
     * @throws BadConfigException naming the source and the problem
     */
    public static SweepSpec parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new BadConfigException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new BadConfigException(source + ": expected a mapping with 'grid' or 'configs'");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!TOP_LEVEL.contains(key)) {
                throw new BadConfigException(source + ": unknown top-level key '" + key + "': expected " + TOP_LEVEL);
            }
        }
        ObjectNode base = root.has("base") ? object(root.get("base"), source, "base") : JSON.createObjectNode();
        checkKeys(base, source, "base");
        if (root.hasNonNull("data")) {
            base.put("dataPath", root.get("data").asText());
        }
        boolean grid = root.has("grid");
        boolean list = root.has("configs");
        if (grid == list) {
            throw new BadConfigException(source + ": give exactly one of 'grid' (a cartesian product) or 'configs' "
                    + "(an explicit list), found " + (grid ? "both" : "neither"));
        }
        List<Map<String, JsonNode>> points = new ArrayList<>();
        if (grid) {
            ObjectNode g = object(root.get("grid"), source, "grid");
            checkKeys(g, source, "grid");
            points.add(new LinkedHashMap<>());
            for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode values = e.getValue();
                if (!values.isArray() || values.isEmpty()) {
                    throw new BadConfigException(source + ": grid key '" + e.getKey() + "' needs a non-empty list of values");
                }
                List<Map<String, JsonNode>> next = new ArrayList<>();
                for (Map<String, JsonNode> p : points) {
                    for (JsonNode v : values) {
                        Map<String, JsonNode> q = new LinkedHashMap<>(p);
                        q.put(e.getKey(), v);
                        next.add(q);
                    }
                }
                points = next;
            }
        } else {
            JsonNode cs = root.get("configs");
            if (!cs.isArray() || cs.isEmpty()) {
                throw new BadConfigException(source + ": 'configs' needs a non-empty list of mappings");
            }
            for (int i = 0; i < cs.size(); i++) {
                ObjectNode c = object(cs.get(i), source, "configs[" + i + "]");
                checkKeys(c, source, "configs[" + i + "]");
                Map<String, JsonNode> p = new LinkedHashMap<>();
                c.fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue()));
                points.add(p);
            }
        }
        List<TrainingConfig> configs = new ArrayList<>();
        List<Map<String, Object>> varied = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            ObjectNode merged = base.deepCopy();
            Map<String, Object> labels = new LinkedHashMap<>();
            points.get(i).forEach((k, v) -> {
                merged.set(k, v);
                labels.put(k, JSON.convertValue(v, Object.class));
            });
            try {
                configs.add(TrainingConfig.fromJson(merged.toString()));
            } catch (BadConfigException e) {
                throw new BadConfigException(source + ": config " + i + " " + labels + ": " + e.getMessage(), e);
            }
            varied.add(labels);
        }
        String name = root.path("name").asText("sweep");
        return new SweepSpec(name.isBlank() ? "sweep" : name, configs, varied);
    }

    private static ObjectNode object(JsonNode n, String source, String where) {
        if (n == null || !n.isObject()) {
            throw new BadConfigException(source + ": '" + where + "' must be a mapping of config keys");
        }
        return (ObjectNode) n;
    }

    private static void checkKeys(JsonNode n, String source, String where) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!RunResults.CONFIG_KEYS.contains(key)) {
                throw new BadConfigException(source + ": unknown config key '" + key + "' in " + where
                        + "; known keys: " + String.join(", ", RunResults.CONFIG_KEYS));
            }
        }
    }

    /**
     * @param i config index
     * @return a short label such as {@code learningRate=1.0E-4 numLayers=6}
     */
    public String label(int i) {
        StringBuilder sb = new StringBuilder();
        varied.get(i).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.length() == 0 ? "config " + i : sb.toString();
    }
}
