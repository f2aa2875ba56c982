package org.scanline.evaluation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;
import org.scanline.dataset.Datasets;
import org.scanline.train.TrainingConfig;
import org.scanline.training.Checkpoint;
import org.scanline.training.RunFolder;
import org.scanline.training.RunSplits;

/**
 * Evaluates a run folder's checkpoint on a split of its dataset and writes {@code evaluation.json}
 * and {@code predictions.csv} into the run folder: what {@code scanline evaluate} does.
 *
 * <p>The split is the run's own: the same stratified, seeded split training computed from the
 * config's seed and ratios ({@link RunSplits}). The dataset must be the one the run was trained on
 * (its content hash is checked) unless {@code all} scans of another dataset are evaluated.
 *
 * <pre>{@code
 * RunEvaluator.Result r = RunEvaluator.evaluate(runDir, null, "test", Checkpoint.BEST, Evaluator.builder());
 * System.out.println(r.evaluation().overall().balancedAccuracy());
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class RunEvaluator {

    private RunEvaluator() {
    }

    /**
     * @param run the run folder
     * @param data the dataset used
     * @param split the split evaluated
     * @param checkpoint the checkpoint evaluated
     * @param epoch the epoch of its weights
     * @param evaluation the metrics
     */
    public record Result(RunFolder run, Path data, String split, Checkpoint checkpoint, int epoch, Evaluation evaluation) {
    }

    /**
     * @param runDir the run folder
     * @param data the dataset file, or null for the one recorded in the run's config
     * @param split {@code test}, {@code valid}, {@code train} or {@code all}
     * @param checkpoint best or last
     * @param options batch size and lengths (the normaliser is set from the run)
     * @return the result, already written into the run folder
     */
    public static Result evaluate(Path runDir, Path data, String split, Checkpoint checkpoint, Evaluator.Builder options) {
        RunFolder run = RunFolder.open(runDir);
        TrainingConfig config = run.config();
        Path dataPath = data;
        if (dataPath == null) {
            String recorded = config.dataPath() != null ? config.dataPath() : run.info().path("dataset").path("path").asText(null);
            if (recorded == null || recorded.isBlank()) {
                throw new BadConfigException(runDir.resolve("config.json") + " records no dataset file: give --data FILE");
            }
            dataPath = Path.of(recorded);
            if (!java.nio.file.Files.exists(dataPath)) {
                throw new BadDataException(runDir.resolve("config.json") + " records the dataset " + recorded
                        + ", which does not exist here (" + dataPath.toAbsolutePath() + "): give --data FILE");
            }
        }
        ScanDataset all = Datasets.read(dataPath);
        return evaluate(run, all, dataPath, split, checkpoint, options);
    }

    /**
     * As {@link #evaluate(Path, Path, String, Checkpoint, Evaluator.Builder)} with the dataset already read.
     *
     * @param run the run
     * @param all the whole dataset
     * @param dataPath where it came from (recorded in evaluation.json)
     * @param split {@code test}, {@code valid}, {@code train} or {@code all}
     * @param checkpoint best or last
     * @param options batch size and lengths (the normaliser is set from the run)
     * @return the result, already written into the run folder
     */
    public static Result evaluate(RunFolder run, ScanDataset all, Path dataPath, String split, Checkpoint checkpoint,
            Evaluator.Builder options) {
        String which = split.toLowerCase(Locale.ROOT);
        boolean same = RunSplits.contentSha256(all).equals(run.dataContentSha256());
        int[] indices;
        if (which.equals("all")) {
            indices = IntStream.range(0, all.count()).toArray();
        } else {
            if (!same) {
                throw new BadDataException(all.source() + " is not the dataset run " + run.directory() + " was trained on "
                        + "(content SHA-256 differs), so its '" + which + "' split is undefined: evaluate another dataset "
                        + "with --split all");
            }
            RunSplits s = RunSplits.of(run.config(), all);
            indices = switch (which) {
                case "test" -> s.test();
                case "valid" -> s.valid();
                case "train" -> s.train();
                default -> throw new BadConfigException("unknown split '" + split + "': expected test, valid, train or all");
            };
        }
        if (indices.length == 0) {
            throw new BadDataException(all.source() + ": the run's '" + which + "' split is empty (trainRatio "
                    + run.config().trainRatio() + ", valRatio " + run.config().valRatio() + ")");
        }
        ScanDataset subset = all.subset(indices, which);
        try (ModelPredictor predictor = new ModelPredictor(run.loadModel(checkpoint))) {
            Evaluation e = options.normalizer(run.config().normalizer()).build().evaluate(subset, predictor, indices);
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("run", run.directory().getFileName().toString());
            context.put("architecture", run.config().architecture().id());
            context.put("checkpoint", checkpoint.name().toLowerCase(Locale.ROOT));
            context.put("epoch", predictor.model().epoch());
            context.put("split", which);
            context.put("data", dataPath == null ? all.source() : dataPath.toString());
            context.put("same_dataset_as_training", same);
            EvaluationFiles.write(run.directory(), e, context);
            return new Result(run, dataPath, which, checkpoint, predictor.model().epoch(), e);
        }
    }
}
