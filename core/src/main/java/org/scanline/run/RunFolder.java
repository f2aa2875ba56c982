package org.scanline.run;

import org.scanline.io.AtomicOutput;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.BadDataException;
import org.scanline.BadModelException;
import org.scanline.model.ScanModel;
import org.scanline.model.ScanModels;
import org.scanline.model.Weight;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainingConfig;

/**
 * A run folder ({@code runs/YYYYMMDD_HHMMSS[_jJOB[_TASK]]/}, see DESIGN.md): {@code config.json}
 * (provenance), {@code metrics.csv} and {@code checkpoints/best.ckpt}, {@code checkpoints/last.ckpt}.
 * Every file is written to a temporary name and moved into place atomically.
 *
 * <pre>{@code
 * RunFolder run = RunFolder.open(Path.of("runs/20261125_051500"));
 * try (LoadedModel best = run.loadModel(Checkpoint.BEST)) {
 *     ScanModel model = best.model();
 * }
 * List<EpochMetrics> history = run.readMetrics();
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class RunFolder {
    /** Version of the run-folder layout written to {@code config.json}. */
    public static final int FORMAT = 1;
    /** The provenance file: format, versions, the resolved config, the data and the class names. */
    public static final String CONFIG_FILE = "config.json";
    /** The folder of the {@link Checkpoint} files. */
    public static final String CHECKPOINTS_DIR = "checkpoints";
    /** Prefix of the model's tensors in a checkpoint file (the optimiser's have their own). */
    public static final String MODEL_PREFIX = "model/";
    /** Header key of {@code last.ckpt}: why training stopped before its configured epochs. */
    public static final String STOP_REASON = "stopReason";

    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final Path dir;
    private final JsonNode info;
    private final TrainingConfig config;

    private RunFolder(Path dir, JsonNode info) {
        this.dir = dir;
        this.info = info;
        try {
            this.config = TrainingConfig.fromJson(info.get("config").toString());
        } catch (BadConfigException e) {
            throw new BadModelException(dir.resolve(CONFIG_FILE) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing run folder.
     *
     * @param dir the run folder
     * @return the run
     * @throws BadModelException if {@code config.json} is missing, unreadable or of a newer format
     */
    public static RunFolder open(Path dir) {
        Path cfg = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(cfg)) {
            throw new BadModelException(dir + ": not a run folder (no config.json)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(cfg.toFile());
        } catch (IOException e) {
            throw new BadModelException(cfg + ": unreadable: " + e.getMessage(), e);
        }
        if (node == null || !node.has("format") || !node.has("config") || !node.has("classNames") || !node.has("pixels")) {
            throw new BadModelException(cfg + ": missing format, config, classNames or pixels");
        }
        int format = node.get("format").asInt();
        if (format > FORMAT) {
            throw new BadModelException(cfg + ": run-folder format " + format + " is newer than this build reads (" + FORMAT + ")");
        }
        return new RunFolder(dir, node);
    }

    /**
     * Creates a new, uniquely named run folder under {@code config.runsDir()} and writes its
     * {@code config.json}. Internal: for the training loop.
     *
     * @param config the run's config
     * @param info the whole {@code config.json} ({@link Provenance})
     * @param now the local start time, which names the folder
     * @param env environment ({@code SLURM_JOB_ID}, {@code SLURM_ARRAY_TASK_ID})
     * @return the new run folder
     */
    public static RunFolder create(TrainingConfig config, ObjectNode info, LocalDateTime now, Map<String, String> env) {
        Path parent = Path.of(config.runsDir());
        String base = runName(now, env);
        try {
            Files.createDirectories(parent);
            for (int i = 1; ; i++) {
                Path dir = parent.resolve(i == 1 ? base : base + "_" + i);
                try {
                    Files.createDirectory(dir);
                } catch (FileAlreadyExistsException e) {
                    continue;
                }
                Files.createDirectories(dir.resolve(CHECKPOINTS_DIR));
                AtomicOutput.writeString(dir.resolve(CONFIG_FILE), JSON.writeValueAsString(info));
                return new RunFolder(dir, info);
            }
        } catch (IOException e) {
            throw new BadConfigException("cannot create a run folder under " + parent + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param now the local start time
     * @param env environment ({@code SLURM_JOB_ID}, {@code SLURM_ARRAY_TASK_ID})
     * @return {@code YYYYMMDD_HHMMSS[_jJOB[_TASK]]}
     */
    static String runName(LocalDateTime now, Map<String, String> env) {
        StringBuilder name = new StringBuilder(STAMP.format(now));
        String job = env.get("SLURM_JOB_ID");
        if (job != null && !job.isBlank()) {
            name.append("_j").append(job.trim());
            String task = env.get("SLURM_ARRAY_TASK_ID");
            if (task != null && !task.isBlank()) {
                name.append('_').append(task.trim());
            }
        }
        return name.toString();
    }

    /**
     * Removes the folder of a run that failed or was stopped before its first checkpoint: a folder
     * holding only {@code config.json} resumes to nothing and misleads whoever lists the runs.
     *
     * @return whether the folder was removed (false if a checkpoint exists or deleting failed)
     */
    public boolean deleteIfNothingSaved() {
        if (Files.exists(checkpoint(Checkpoint.LAST)) || Files.exists(checkpoint(Checkpoint.BEST))) {
            return false;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Records settings changed for a resume ({@code ConfigResolver.resolveForResume}): the config in
     * {@code config.json} becomes {@code config}, and an entry under {@code amendments} keeps the
     * time and every setting's stored and new value, so the run's provenance stays whole.
     *
     * @param config the config to continue with
     * @param changes setting → {@code [stored, new]}
     * @param now the local time of the change
     * @return the run folder as it now reads
     */
    public RunFolder amend(TrainingConfig config, Map<String, List<Object>> changes, LocalDateTime now) {
        if (changes.isEmpty()) {
            return this;
        }
        ObjectNode updated = info.deepCopy();
        try {
            updated.set("config", JSON.readTree(config.toJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ArrayNode amendments = updated.has("amendments") ? (ArrayNode) updated.get("amendments")
                : updated.putArray("amendments");
        ObjectNode entry = amendments.addObject();
        entry.put("at", now.toString());
        ObjectNode changed = entry.putObject("changes");
        changes.forEach((key, values) -> changed.putPOJO(key, values));
        try {
            AtomicOutput.writeString(dir.resolve(CONFIG_FILE), JSON.writeValueAsString(updated));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new RunFolder(dir, updated);
    }

    /**
     * @return why the run stopped before its configured epochs (early stopping), as {@code last.ckpt}
     *         recorded it; empty if it did not or there is no checkpoint yet
     * @throws BadModelException if {@code last.ckpt} is damaged
     */
    public java.util.Optional<String> stopReason() {
        Path last = checkpoint(Checkpoint.LAST);
        if (!Files.isRegularFile(last)) {
            return java.util.Optional.empty();
        }
        try {
            JsonNode reason = JSON.readTree(CheckpointFile.read(last).header()).get(STOP_REASON);
            return java.util.Optional.ofNullable(reason).map(JsonNode::asText);
        } catch (JsonProcessingException e) {
            throw new BadModelException(last + ": damaged training state: " + e.getMessage(), e);
        }
    }

    /** @return the folder */
    public Path directory() {
        return dir;
    }

    /** @return the run's fully resolved config */
    public TrainingConfig config() {
        return config;
    }

    /** @return the class names, index = label */
    public List<String> classNames() {
        List<String> out = new ArrayList<>();
        info.get("classNames").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** @return pixels per line of the training data */
    public int pixels() {
        return info.get("pixels").asInt();
    }

    /** @return SHA-256 of the training data's content (pixels, labels, shape, class names) */
    public String dataContentSha256() {
        return info.path("dataset").path("contentSha256").asText("");
    }

    /** @return the whole {@code config.json} */
    public JsonNode info() {
        return info;
    }

    /**
     * @param which best or last
     * @return the checkpoint file's path (it may not exist yet)
     */
    public Path checkpoint(Checkpoint which) {
        return dir.resolve(CHECKPOINTS_DIR).resolve(which.fileName());
    }

    /**
     * Rebuilds the model from a checkpoint.
     *
     * @param which best or last
     * @return the model and the manager that owns it (close it)
     * @throws BadModelException if the checkpoint is missing, damaged or does not fit the config
     */
    public LoadedModel loadModel(Checkpoint which) {
        Path file = checkpoint(which);
        CheckpointFile.Content content = CheckpointFile.read(file);
        NDManager manager = NDManager.newBaseManager();
        try {
            ScanModel model = ScanModels.create(config, pixels(), classNames().size());
            model.initialize(manager);
            model.loadWeights(modelTensors(content.tensors()), file.toString());
            int epoch = JSON.readTree(content.header()).path("epoch").asInt();
            return new LoadedModel(manager, model, this, epoch);
        } catch (IOException | RuntimeException e) {
            manager.close();
            if (e instanceof BadModelException b) {
                throw b;
            }
            throw new BadModelException(file + ": cannot load: " + e.getMessage(), e);
        }
    }

    /**
     * @param all every tensor of a checkpoint file
     * @return the model's tensors, named as the model names them
     */
    public static Map<String, Weight> modelTensors(Map<String, Weight> all) {
        Map<String, Weight> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(MODEL_PREFIX)) {
                out.put(k.substring(MODEL_PREFIX.length()), v);
            }
        });
        return out;
    }

    /**
     * @param weights the model's named weights
     * @return the same, named as a checkpoint file stores them (mutable, for the optimiser's to join)
     */
    public static Map<String, Weight> withModelPrefix(Map<String, Weight> weights) {
        Map<String, Weight> out = new LinkedHashMap<>();
        weights.forEach((k, v) -> out.put(MODEL_PREFIX + k, v));
        return out;
    }

    /**
     * @return the rows of {@code metrics.csv} (empty if there is none yet), read by {@link MetricsCsv}
     * @throws BadModelException if the file is damaged
     */
    public List<EpochMetrics> readMetrics() {
        Path csv = dir.resolve(MetricsCsv.FILE_NAME);
        if (!Files.isRegularFile(csv)) {
            return new ArrayList<>();
        }
        try {
            return new ArrayList<>(MetricsCsv.read(csv));
        } catch (BadDataException e) {
            throw new BadModelException(e.getMessage(), e);
        }
    }

    /**
     * Internal: for the training loop, which writes each epoch's rows.
     *
     * @param history every finished epoch's train and valid rows
     */
    public void writeMetrics(List<EpochMetrics> history) {
        MetricsCsv.write(dir.resolve(MetricsCsv.FILE_NAME), history);
    }
}
