package org.scanline.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.BadDataException;
import org.scanline.run.MetricsCsv;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainingConfig;

/**
 * One run folder as read back from disk: its {@code config.json}, its {@code metrics.csv} history
 * and, when {@code scanline evaluate} has run, its {@code evaluation.json}.
 *
 * <p>{@code config.json} holds the training config either at the top level or under a
 * {@code "config"} object, next to provenance (dataset hash, class names, versions). Only the
 * {@link TrainingConfig} keys are read as settings, so provenance fields never break analysis.
 *
 * <pre>{@code
 * RunResults run = RunResults.read(Path.of("runs/20251203_101500"));
 * RunAnalysis analysis = RunAnalysis.of(run);
 * }</pre>
 *
 * @param directory the run folder
 * @param settings the training-config keys and values found in {@code config.json}, in file order;
 *        values are JSON scalars as Java values, arrays as their JSON text
 * @param configJson the whole {@code config.json}, or an empty object when the file is missing
 * @param history every metrics row, in file order
 * @param evaluation {@code evaluation.json}, when present
 */
@API(status = API.Status.EXPERIMENTAL)
public record RunResults(Path directory, Map<String, Object> settings, JsonNode configJson,
        List<EpochMetrics> history, Optional<JsonNode> evaluation) {

    /** The training-config keys, in record order. */
    public static final List<String> CONFIG_KEYS = Arrays.stream(TrainingConfig.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName).toList();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the collections. */
    public RunResults {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        history = List.copyOf(history);
    }

    /**
     * Reads a run folder. A missing {@code config.json} is tolerated (settings are then empty); a
     * missing {@code metrics.csv} is not.
     *
     * @param directory the run folder
     * @return the run
     * @throws BadDataException if the folder or its metrics are missing or malformed
     * @throws BadConfigException if {@code config.json} is not valid JSON
     */
    public static RunResults read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new BadDataException(directory + ": not a run folder (no such directory)");
        }
        JsonNode config = readJson(directory.resolve("config.json")).orElseGet(JSON::createObjectNode);
        JsonNode evaluation = readJson(directory.resolve("evaluation.json")).orElse(null);
        List<EpochMetrics> history = MetricsCsv.read(directory.resolve(MetricsCsv.FILE_NAME));
        return new RunResults(directory, settingsOf(config), config, history, Optional.ofNullable(evaluation));
    }

    private static Optional<JsonNode> readJson(Path file) {
        try {
            return Optional.of(JSON.readTree(Files.readString(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (JsonProcessingException e) {
            throw new BadConfigException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param config a parsed {@code config.json}
     * @return the node holding the training-config keys (the top level or its {@code config} member)
     */
    public static JsonNode trainingConfigNode(JsonNode config) {
        JsonNode nested = config.get("config");
        if (nested != null && nested.isObject() && nested.has("architecture")) {
            return nested;
        }
        return config;
    }

    private static Map<String, Object> settingsOf(JsonNode config) {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode node = trainingConfigNode(config);
        Set<String> known = Set.copyOf(CONFIG_KEYS);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!known.contains(e.getKey())) {
                continue;
            }
            JsonNode v = e.getValue();
            Object value;
            if (v.isNumber()) {
                value = v.numberValue();
            } else if (v.isBoolean()) {
                value = v.booleanValue();
            } else if (v.isNull()) {
                value = null;
            } else if (v.isTextual()) {
                value = v.textValue();
            } else {
                value = v.toString();
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    /**
     * @return the training config of the run, rebuilt from its settings
     * @throws BadConfigException if {@code config.json} holds no valid training config
     */
    public TrainingConfig trainingConfig() {
        JsonNode node = trainingConfigNode(configJson);
        ObjectNode only = JSON.createObjectNode();
        for (String key : CONFIG_KEYS) {
            if (node.has(key)) {
                only.set(key, node.get(key));
            }
        }
        try {
            return TrainingConfig.fromJson(JSON.writeValueAsString(only));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (BadConfigException e) {
            throw new BadConfigException(directory.resolve("config.json") + ": " + e.getMessage(), e);
        }
    }

    /** @return the run folder's name (its id) */
    public String name() {
        return directory.getFileName().toString();
    }

    /**
     * @param split {@code train} or {@code valid}
     * @return that split's rows, in epoch order
     */
    public List<EpochMetrics> split(String split) {
        return history.stream().filter(m -> m.split().equals(split))
                .sorted(java.util.Comparator.comparingInt(EpochMetrics::epoch)).toList();
    }

    /** @return the split names present, in first-seen order */
    public List<String> splits() {
        return history.stream().map(EpochMetrics::split).distinct().collect(Collectors.toList());
    }

    /**
     * @return the training time in seconds: the sum of every row's {@code seconds} (training writes
     *         the time of each split's phase of an epoch in its own row)
     */
    public double totalSeconds() {
        return history.stream().mapToDouble(EpochMetrics::seconds).filter(d -> !Double.isNaN(d)).sum();
    }
}
