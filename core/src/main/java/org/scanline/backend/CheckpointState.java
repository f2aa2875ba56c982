package org.scanline.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.scanline.BadModelException;
import org.scanline.model.Weight;
import org.scanline.run.Checkpoint;
import org.scanline.run.CheckpointFile;
import org.scanline.run.RunFolder;
import org.scanline.train.EpochMetrics;

/**
 * The training side of a run folder's checkpoints: what of a {@link TrainingContext} goes into
 * {@code best.ckpt} and {@code last.ckpt}, and how a resume puts it back. Apart from {@link RunFolder}
 * because it reads the loop's package-private state (optimiser moments, schedule, early-stopping
 * counters), which the run folder, shared with evaluation and export, should not see.
 */
final class CheckpointState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointState() {
    }

    static void writeBest(RunFolder run, TrainingContext ctx) {
        ObjectNode h = JsonNodeFactory.instance.objectNode();
        h.put("epoch", ctx.epoch());
        putDouble(h, "validLoss", ctx.bestLoss());
        CheckpointFile.write(run.checkpoint(Checkpoint.BEST), h.toString(),
                RunFolder.withModelPrefix(ctx.model().namedWeights()));
    }

    static void writeLast(RunFolder run, TrainingContext ctx) {
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
            h.put(RunFolder.STOP_REASON, ctx.stopReason);
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
        Map<String, Weight> tensors = RunFolder.withModelPrefix(ctx.model().namedWeights());
        tensors.putAll(ctx.optimizer.state());
        CheckpointFile.write(run.checkpoint(Checkpoint.LAST), h.toString(), tensors);
    }

    /** Restores a context from {@code last.ckpt}; returns false if there is none yet. */
    static boolean restoreLast(RunFolder run, TrainingContext ctx) {
        Path file = run.checkpoint(Checkpoint.LAST);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        CheckpointFile.Content c = CheckpointFile.read(file);
        try {
            JsonNode h = JSON.readTree(c.header());
            ctx.model().loadWeights(RunFolder.modelTensors(c.tensors()), file.toString());
            ctx.optimizer.load(c.tensors(), h.get("steps").asLong(), file.toString());
            ctx.schedule.restore(new LearningRateSchedule.State(getDouble(h, "plateauLr"), getDouble(h, "plateauBest"),
                    h.get("plateauBad").asInt()));
            ctx.epoch = h.get("epoch").asInt();
            ctx.bestLoss = getDouble(h, "bestLoss");
            ctx.bestEpoch = h.get("bestEpoch").asInt();
            ctx.epochsWithoutImprovement = h.get("epochsWithoutImprovement").asInt();
            ctx.stopReason = h.has(RunFolder.STOP_REASON) ? h.get(RunFolder.STOP_REASON).asText() : null;
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

    // JSON has no NaN or infinity: such a value (a loss before the first epoch) is kept as text.
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
