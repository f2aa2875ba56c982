package org.scanline.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.train.TrainingConfig;

/**
 * Resolves a {@link TrainingConfig} from its four sources, later ones winning:
 * <b>defaults &lt; config file &lt; environment &lt; flags</b> (and optionally a size preset right
 * after the defaults). The file is JSON or YAML (by
 * extension {@code .yaml}/{@code .yml}; JSON otherwise) with the record's component names as keys;
 * an unknown key is an error. The environment variables are the seed's ({@link #ENVIRONMENT});
 * flags arrive as {@code key → text} with the same keys as the file. Text values are converted to the
 * key's type (numbers, booleans, comma-separated lists) with an error naming their source.
 *
 * <pre>{@code
 * TrainingConfig c = ConfigResolver.resolve(Path.of("sweep.yaml"), System.getenv(),
 *         Map.of("epochs", "30", "architecture", "lrcn"));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ConfigResolver {
    /** The seed's environment variables and the config keys they set. */
    public static final Map<String, String> ENVIRONMENT;

    static {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LEARNING_RATE", "learningRate");
        env.put("BATCH_SIZE", "batchSize");
        env.put("NUM_EPOCHS", "epochs");
        env.put("SEED", "seed");
        env.put("WEIGHT_DECAY", "weightDecay");
        env.put("EARLY_STOPPING_PATIENCE", "earlyStoppingPatience");
        env.put("D_MODEL", "dModel");
        env.put("NUM_HEADS", "numHeads");
        env.put("NUM_LAYERS", "numLayers");
        env.put("DROPOUT", "dropout");
        env.put("DATA_PATH", "dataPath");
        env.put("TRAIN_RATIO", "trainRatio");
        env.put("VAL_RATIO", "valRatio");
        env.put("CHECKPOINT_BASE_DIR", "runsDir");
        ENVIRONMENT = java.util.Collections.unmodifiableMap(env);
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    private ConfigResolver() {
    }

    /**
     * @param configFile a JSON or YAML file, or null
     * @param environment the process environment (only {@link #ENVIRONMENT}'s variables are read)
     * @param flags config key → text, from the command line
     * @return the validated config
     * @throws BadConfigException for an unreadable file, an unknown key or a bad value, naming its source
     */
    public static TrainingConfig resolve(Path configFile, Map<String, String> environment, Map<String, String> flags) {
        return resolve(Map.of(), configFile, environment, flags);
    }

    /**
     * As {@link #resolve(Path, Map, Map)} with a preset between the defaults and the file:
     * <b>defaults &lt; preset &lt; config file &lt; environment &lt; flags</b> ({@code train --size}).
     *
     * @param preset config key → text, e.g. a model size
     * @param configFile a JSON or YAML file, or null
     * @param environment the process environment
     * @param flags config key → text, from the command line
     * @return the validated config
     */
    public static TrainingConfig resolve(Map<String, String> preset, Path configFile, Map<String, String> environment,
            Map<String, String> flags) {
        ObjectNode tree = defaults();
        for (Map.Entry<String, String> e : preset.entrySet()) {
            checkKnown(tree, e.getKey(), "the size preset");
            tree.set(e.getKey(), convert(tree, e.getKey(), e.getValue(), "size preset " + e.getKey()));
        }
        if (configFile != null) {
            ObjectNode file = readFile(configFile);
            for (Iterator<Map.Entry<String, JsonNode>> it = file.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                checkKnown(tree, e.getKey(), configFile.toString());
                tree.set(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, String> e : ENVIRONMENT.entrySet()) {
            String value = environment.get(e.getKey());
            if (value != null && !value.isBlank()) {
                tree.set(e.getValue(), convert(tree, e.getValue(), value, "environment variable " + e.getKey()));
            }
        }
        for (Map.Entry<String, String> e : flags.entrySet()) {
            checkKnown(tree, e.getKey(), "the command line");
            tree.set(e.getKey(), convert(tree, e.getKey(), e.getValue(), "flag " + e.getKey()));
        }
        return TrainingConfig.fromJson(tree.toString());
    }

    /** @return the config keys (the record's component names), in order */
    public static List<String> keys() {
        List<String> out = new ArrayList<>();
        defaults().fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static ObjectNode defaults() {
        try {
            return (ObjectNode) JSON.readTree(TrainingConfig.defaults().toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkKnown(ObjectNode tree, String key, String source) {
        if (!tree.has(key)) {
            throw new BadConfigException(source + ": unknown config key '" + key + "'; known keys: " + keys());
        }
    }

    static ObjectNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadConfigException(file + ": config file not found");
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
        try {
            JsonNode node = mapper.readTree(file.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new BadConfigException(file + ": a config file must hold one object of key: value pairs");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new BadConfigException(file + ": cannot parse: " + e.getMessage(), e);
        }
    }

    private static JsonNode convert(ObjectNode tree, String key, String text, String source) {
        JsonNode def = tree.get(key);
        String v = text.trim();
        try {
            if (def.isIntegralNumber()) {
                return LongNode.valueOf(Long.parseLong(v));
            }
            if (def.isNumber()) {
                return DoubleNode.valueOf(Double.parseDouble(v));
            }
            if (def.isBoolean()) {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new NumberFormatException();
                }
                return BooleanNode.valueOf(Boolean.parseBoolean(v));
            }
            if (def.isArray()) {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                for (String part : v.split(",")) {
                    a.add(Integer.parseInt(part.trim()));
                }
                return a;
            }
        } catch (NumberFormatException e) {
            throw new BadConfigException(source + ": '" + text + "' is not a valid value for " + key + " (expected "
                    + (def.isIntegralNumber() ? "an integer" : def.isNumber() ? "a number" : def.isBoolean()
                    ? "true or false" : "a comma-separated list of integers") + ")");
        }
        return TextNode.valueOf(v);
    }
}
