package org.scanline.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.io.InputFiles;
import org.scanline.train.SimulationConfig;
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
    /**
     * The seed's environment variables and the config keys they set, from {@link TrainingConfig#settings()}
     * (each key's one definition).
     */
    public static final Map<String, String> ENVIRONMENT;

    static {
        Map<String, String> env = new LinkedHashMap<>();
        for (TrainingConfig.Setting s : TrainingConfig.settings()) {
            if (!s.environment().isEmpty()) {
                env.put(s.environment(), s.name());
            }
        }
        ENVIRONMENT = java.util.Collections.unmodifiableMap(env);
    }

    /** The most bytes a config file may hold: a config is a few hundred bytes, not a stream. */
    static final long MAX_CONFIG_BYTES = 1 << 20;

    // A key written twice is refused, not silently the last one (both at the parser and in the tree).
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

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
            ObjectNode file = readSettings(configFile, tree);
            for (Iterator<Map.Entry<String, JsonNode>> it = file.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                checkKnown(tree, e.getKey(), configFile.toString());
                checkType(tree.get(e.getKey()), e.getKey(), e.getValue(), configFile.toString());
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

    /**
     * The simulation of {@code train --simulate}: {@link SimulationConfig#defaults()} with the
     * {@code simulation.KEY} entries of {@code flags} applied (other entries are not read).
     *
     * @param flags config key → text, from the command line
     * @return the validated simulation
     * @throws BadConfigException for an unknown simulation key or a bad value, naming it
     */
    public static SimulationConfig simulation(Map<String, String> flags) {
        ObjectNode tree = JSON.valueToTree(SimulationConfig.defaults());
        for (Map.Entry<String, String> e : flags.entrySet()) {
            if (e.getKey().startsWith(TrainingConfig.SIMULATION_PREFIX)) {
                String key = e.getKey().substring(TrainingConfig.SIMULATION_PREFIX.length());
                if (!tree.has(key)) {
                    throw new BadConfigException("the command line: unknown simulation key '" + e.getKey() + "'; known "
                            + "keys: " + simulationKeys(tree));
                }
                tree.set(key, convert(tree, key, e.getValue(), "flag " + e.getKey()));
            }
        }
        try {
            return JSON.treeToValue(tree, SimulationConfig.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof BadConfigException b) {
                    throw b;
                }
            }
            throw new BadConfigException("invalid simulation: " + e.getMessage(), e);
        }
    }

    private static List<String> simulationKeys(ObjectNode tree) {
        List<String> out = new ArrayList<>();
        tree.fieldNames().forEachRemaining(k -> out.add(TrainingConfig.SIMULATION_PREFIX + k));
        return out;
    }

    /** Settings {@link #resolveForResume} lets differ from a run's: where it computes, not what. */
    static final List<String> RESUME_MAY_CHANGE = List.of("threads", "device");

    /**
     * What {@code train --resume} continues with.
     *
     * @param config the run's stored config, amended by the changes a resume allows
     * @param dataPath the dataset given now, if any (the run checks it holds the same content)
     * @param changes every amended setting → {@code [stored, requested]}, in order
     */
    public record Resume(TrainingConfig config, java.util.Optional<String> dataPath, Map<String, List<Object>> changes) {
    }

    /**
     * Checks the settings given when resuming a run against the run's stored config, with the same
     * sources and precedence as {@link #resolve}. A setting given now that differs from the stored
     * one is refused, all of them in one message naming each setting, its stored and its requested
     * value and where the request came from; a resume never silently drops what it was told. The
     * exceptions: {@code epochs} may be raised (to extend a finished run), {@code dataPath} may name
     * another copy of the same data (its content hash is checked when training resumes), and
     * {@link #RESUME_MAY_CHANGE} may change.
     *
     * @param run the run folder, for messages
     * @param stored the run's config
     * @param configFile a JSON or YAML file, or null
     * @param environment the process environment
     * @param flags config key → text, from the command line
     * @return the config to resume with and the dataset path given now
     * @throws BadConfigException naming every conflicting setting, or for a bad value as {@link #resolve} does
     */
    public static Resume resolveForResume(Path run, TrainingConfig stored, Path configFile,
            Map<String, String> environment, Map<String, String> flags) {
        ObjectNode tree = tree(stored);
        Map<String, Given> requested = given(configFile, environment, flags);
        ObjectNode amended = tree.deepCopy();
        Map<String, List<Object>> changes = new LinkedHashMap<>();
        List<String> conflicts = new ArrayList<>();
        String dataPath = null;
        for (Map.Entry<String, Given> e : requested.entrySet()) {
            String key = e.getKey();
            JsonNode was = tree.get(key);
            JsonNode now = normalised(tree, key, e.getValue().value(), e.getValue().source());
            if (now.equals(was)) {
                continue;
            }
            String line = key + ": the run has " + was + ", " + e.getValue().source() + " asks for " + now;
            if (key.equals("dataPath")) {
                dataPath = now.asText();
            } else if (key.equals("epochs") && now.asLong() > was.asLong()) {
                amended.set(key, now);
                changes.put(key, List.of(was.asLong(), now.asLong()));
            } else if (key.equals("epochs")) {
                conflicts.add(line + " (epochs can only be raised, to extend the run)");
            } else if (RESUME_MAY_CHANGE.contains(key)) {
                amended.set(key, now);
                changes.put(key, List.of(was.isNumber() ? was.numberValue() : was.asText(),
                        now.isNumber() ? now.numberValue() : now.asText()));
            } else {
                conflicts.add(line);
            }
        }
        if (!conflicts.isEmpty()) {
            throw new BadConfigException(run + ": a resumed run keeps the settings it was started with (only epochs"
                    + " may be raised, and " + String.join(", ", RESUME_MAY_CHANGE) + " and dataPath changed), but "
                    + (conflicts.size() == 1 ? "this setting differs" : "these settings differ") + ":\n  "
                    + String.join("\n  ", conflicts) + "\nDrop " + (conflicts.size() == 1 ? "it" : "them")
                    + ", or start a new run.");
        }
        return new Resume(TrainingConfig.fromJson(amended.toString()), java.util.Optional.ofNullable(dataPath), changes);
    }

    /**
     * A setting given explicitly, by a config file, the environment or a flag.
     *
     * @param value the value as given, converted to the key's type
     * @param source where it came from, for messages: {@code config file F}, {@code environment variable
     *     V} or {@code the command line}
     */
    public record Given(JsonNode value, String source) {
    }

    /**
     * The settings given explicitly (not defaults, not a size preset), with the same precedence as
     * {@link #resolve}: what {@code --resume} and {@code --init} check against the settings they
     * take from a run, so that neither drops a request silently.
     *
     * @param configFile a JSON or YAML file, or null
     * @param environment the process environment (only {@link #ENVIRONMENT}'s variables are read)
     * @param flags config key → text, from the command line
     * @return config key → the winning value and its source, in the order first given
     * @throws BadConfigException for an unreadable file, an unknown key or a value of the wrong type
     */
    public static Map<String, Given> given(Path configFile, Map<String, String> environment,
            Map<String, String> flags) {
        ObjectNode tree = defaults();
        Map<String, Given> given = new LinkedHashMap<>();
        if (configFile != null) {
            ObjectNode file = readSettings(configFile, tree);
            for (Iterator<Map.Entry<String, JsonNode>> it = file.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                checkKnown(tree, e.getKey(), configFile.toString());
                given.put(e.getKey(), new Given(e.getValue(), "config file " + configFile));
            }
        }
        for (Map.Entry<String, String> e : ENVIRONMENT.entrySet()) {
            String value = environment.get(e.getKey());
            if (value != null && !value.isBlank()) {
                String s = "environment variable " + e.getKey();
                given.put(e.getValue(), new Given(convert(tree, e.getValue(), value, s), s));
            }
        }
        for (Map.Entry<String, String> e : flags.entrySet()) {
            checkKnown(tree, e.getKey(), "the command line");
            given.put(e.getKey(), new Given(convert(tree, e.getKey(), e.getValue(), "flag " + e.getKey()),
                    "the command line"));
        }
        return given;
    }

    /** @return {@code value} as the stored config would hold it after validation (32 and 32.0 compare equal) */
    private static JsonNode normalised(ObjectNode tree, String key, JsonNode value, String source) {
        ObjectNode candidate = tree.deepCopy();
        candidate.set(key, value);
        try {
            return tree(TrainingConfig.fromJson(candidate.toString())).get(key);
        } catch (BadConfigException e) {
            throw new BadConfigException(source + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode tree(TrainingConfig config) {
        try {
            return (ObjectNode) JSON.readTree(config.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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

    /**
     * An integer setting given as a fraction (YAML {@code dModel: 32.7}) is refused here, naming the
     * file, instead of being truncated.
     */
    private static void checkType(JsonNode def, String key, JsonNode value, String source) {
        if (def.isIntegralNumber() && value.isNumber() && !value.isIntegralNumber()) {
            throw new BadConfigException(source + ": " + key + " must be an integer, found " + value.asText());
        }
    }

    /**
     * A config file's settings, with the size it names expanded: {@code size: small} stands for
     * {@link TrainingSize#SMALL}'s values (those that depend on the data's lines at their widest),
     * under the file's own keys, so a file reads the preset rather than copying it.
     */
    private static ObjectNode readSettings(Path file, ObjectNode defaults) {
        ObjectNode read = readFile(file);
        JsonNode size = read.remove(SIZE_KEY);
        if (size == null) {
            return read;
        }
        if (!size.isTextual()) {
            throw new BadConfigException(file + ": " + SIZE_KEY + " must be small or reference, found " + size);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        TrainingSize preset;
        try {
            preset = TrainingSize.parse(size.asText());
        } catch (BadConfigException e) {
            throw new BadConfigException(file + ": " + SIZE_KEY + " must be small or reference, found '" + size.asText()
                    + "'", e);
        }
        if (preset != null) {
            preset.preset(Integer.MAX_VALUE).forEach((key, value) ->
                    out.set(key, convert(defaults, key, value, file + ": size " + preset.id())));
        }
        out.setAll(read);
        return out;
    }

    /** The config-file key that names a {@link TrainingSize} preset for the file to start from. */
    public static final String SIZE_KEY = "size";

    static ObjectNode readFile(Path file) {
        if (!Files.exists(file)) {
            throw new BadConfigException(file + ": config file not found");
        }
        Optional<String> odd;
        try {
            odd = InputFiles.notRegular(file);
        } catch (UncheckedIOException e) {
            throw new BadConfigException(file + ": cannot read the config file: " + InputFiles.reason(e.getCause()), e);
        }
        if (odd.isPresent()) {
            throw new BadConfigException(file + ": " + odd.get() + ", not a regular file; a config must be a JSON or "
                    + "YAML file");
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
        byte[] bytes;
        try {
            bytes = InputFiles.readAtMost(file, MAX_CONFIG_BYTES, "a config file");
        } catch (IOException e) {
            throw new BadConfigException(file + ": cannot read the config file: " + InputFiles.reason(e), e);
        }
        try {
            JsonNode node = mapper.readTree(bytes);
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
