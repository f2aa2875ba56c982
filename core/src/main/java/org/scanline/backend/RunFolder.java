package org.scanline.backend;

import org.scanline.io.AtomicOutput;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import org.scanline.run.MetricsCsv;
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
            throw new BadModelException(dir.resolve("config.json") + ": " + e.getMessage(), e);
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
        Path cfg = dir.resolve("config.json");
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
     * {@code config.json}.
     */
    static RunFolder create(TrainingConfig config, ObjectNode info, LocalDateTime now, Map<String, String> env) {
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
                Files.createDirectories(dir.resolve("checkpoints"));
                AtomicOutput.writeString(dir.resolve("config.json"), JSON.writeValueAsString(info));
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
    boolean deleteIfNothingSaved() {
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
     * Records settings changed for a resume ({@link ConfigResolver#resolveForResume}): the config in
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
            AtomicOutput.writeString(dir.resolve("config.json"), JSON.writeValueAsString(updated));
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
            JsonNode reason = JSON.readTree(CheckpointFile.read(last).header()).get("stopReason");
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
        return dir.resolve("checkpoints").resolve(which.fileName());
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

    static Map<String, Weight> modelTensors(Map<String, Weight> all) {
        Map<String, Weight> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith("model/")) {
                out.put(k.substring("model/".length()), v);
            }
        });
        return out;
    }

    private static Map<String, Weight> prefixed(Map<String, Weight> weights) {
        Map<String, Weight> out = new LinkedHashMap<>();
        weights.forEach((k, v) -> out.put("model/" + k, v));
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

    void writeMetrics(List<EpochMetrics> history) {
        MetricsCsv.write(dir.resolve(MetricsCsv.FILE_NAME), history);
    }

    void writeBest(TrainingContext ctx) {
        ObjectNode h = JsonNodeFactory.instance.objectNode();
        h.put("epoch", ctx.epoch());
        putDouble(h, "validLoss", ctx.bestLoss());
        CheckpointFile.write(checkpoint(Checkpoint.BEST), h.toString(), prefixed(ctx.model().namedWeights()));
    }

    void writeLast(TrainingContext ctx) {
        ObjectNode h = JsonNodeFactory.instance.objectNode();
        h.put("epoch", ctx.epoch());
        h.put("steps", ctx.optimizer.steps());
        LearningRateSchedule.State s = ctx.schedule.state();
        putDouble(h, "plateauLr", s.plateauLr());
        putDouble(h, "plateauBest", s.best());
        h.put("plateauBad", s.badEpochs());
        putDouble(h, "bestLoss", ctx.bestLoss);
        h.put("bestEpoch", ctx.bestEpoch);
        h.put("epochsWithoutImprovement", ctx.epochsWithoutImprovement);
        if (ctx.stopReason != null) {
            h.put("stopReason", ctx.stopReason);
        }
        ArrayNode hist = h.putArray("history");
        for (EpochMetrics m : ctx.history) {
            ObjectNode r = hist.addObject();
            r.put("epoch", m.epoch());
            r.put("split", m.split());
            putDouble(r, "loss", m.loss());
            putDouble(r, "accuracy", m.accuracy());
            putDouble(r, "balancedAccuracy", m.balancedAccuracy());
            putDouble(r, "auroc", m.auroc());
            putDouble(r, "lr", m.lr());
            putDouble(r, "seconds", m.seconds());
        }
        Map<String, Weight> tensors = prefixed(ctx.model().namedWeights());
        tensors.putAll(ctx.optimizer.state());
        CheckpointFile.write(checkpoint(Checkpoint.LAST), h.toString(), tensors);
    }

    /** Restores a context from {@code last.ckpt}; returns false if there is none yet. */
    boolean restoreLast(TrainingContext ctx) {
        Path file = checkpoint(Checkpoint.LAST);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        CheckpointFile.Content c = CheckpointFile.read(file);
        try {
            JsonNode h = JSON.readTree(c.header());
            ctx.model().loadWeights(modelTensors(c.tensors()), file.toString());
            ctx.optimizer.load(c.tensors(), h.get("steps").asLong(), file.toString());
            ctx.schedule.restore(new LearningRateSchedule.State(getDouble(h, "plateauLr"), getDouble(h, "plateauBest"),
                    h.get("plateauBad").asInt()));
            ctx.epoch = h.get("epoch").asInt();
            ctx.bestLoss = getDouble(h, "bestLoss");
            ctx.bestEpoch = h.get("bestEpoch").asInt();
            ctx.epochsWithoutImprovement = h.get("epochsWithoutImprovement").asInt();
            ctx.stopReason = h.has("stopReason") ? h.get("stopReason").asText() : null;
            ctx.history.clear();
            for (JsonNode r : h.get("history")) {
                ctx.history.add(new EpochMetrics(r.get("epoch").asInt(), r.get("split").asText(), getDouble(r, "loss"),
                        getDouble(r, "accuracy"), getDouble(r, "balancedAccuracy"), getDouble(r, "auroc"),
                        getDouble(r, "lr"), getDouble(r, "seconds")));
            }
            return true;
        } catch (JsonProcessingException | NullPointerException e) {
            throw new BadModelException(file + ": damaged training state: " + e.getMessage(), e);
        }
    }

    private static void putDouble(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.put(key, Double.toString(v));
        }
    }

    private static double getDouble(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
    }
}
