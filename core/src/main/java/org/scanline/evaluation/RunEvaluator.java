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
import org.scanline.dataset.NpyArray;
import org.scanline.dataset.NpzReader;
import org.scanline.train.TrainingConfig;
import org.scanline.run.Checkpoint;
import org.scanline.run.RunFolder;
import org.scanline.run.Provenance;
import org.scanline.run.RunSplits;

/**
 * Evaluates a run folder's checkpoint on a split of its dataset and writes {@code evaluation.json}
 * and {@code predictions.csv} into the run folder (or another folder): what {@code scanline evaluate}
 * does.
 *
 * <p>The split is the run's own: the same stratified, seeded split training computed from the
 * config's {@code splitSeed} and ratios ({@link RunSplits}), always from the labels training used.
 * The dataset must be the one the run was trained on (its content hash is checked) unless
 * {@code all} scans of another dataset are evaluated.
 *
 * <p>The scans can be scored against another label array of an {@code .npz}: the simulator writes
 * {@code labels} as annotated (with label noise) and {@code labels_true}, the class each scan was
 * generated as. {@link #AUTO_LABELS} picks {@code labels_true} where the file has it.
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
     * @param labelKey the label array scored against ({@code labels} for the labels training used)
     * @param outputDirectory where {@code evaluation.json} and {@code predictions.csv} were written
     */
    public record Result(RunFolder run, Path data, String split, Checkpoint checkpoint, int epoch, Evaluation evaluation,
            String labelKey, Path outputDirectory) {
    }

    /** The labels training used: the dataset's {@code labels}. */
    public static final String TRAINING_LABELS = "labels";
    /** {@code labels_true} when the {@code .npz} has it, else {@link #TRAINING_LABELS}. */
    public static final String AUTO_LABELS = "auto";

    /**
     * @param runDir the run folder
     * @param data the dataset file, or null for the one recorded in the run's config
     * @param split {@code test}, {@code valid}, {@code train} or {@code all}
     * @param checkpoint best or last
     * @param options batch size and lengths (the normaliser is set from the run)
     * @return the result, already written into the run folder
     */
    public static Result evaluate(Path runDir, Path data, String split, Checkpoint checkpoint, Evaluator.Builder options) {
        return evaluate(runDir, data, split, checkpoint, TRAINING_LABELS, runDir, options);
    }

    /**
     * @param runDir the run folder
     * @param data the dataset file, or null for the one recorded in the run's config
     * @param split {@code test}, {@code valid}, {@code train} or {@code all}
     * @param checkpoint best or last
     * @param labelKey the {@code .npz} label array to score against, {@link #TRAINING_LABELS} or {@link #AUTO_LABELS}
     * @param outputDirectory where to write {@code evaluation.json} and {@code predictions.csv}
     * @param options batch size and lengths (the normaliser is set from the run)
     * @return the result, already written
     */
    public static Result evaluate(Path runDir, Path data, String split, Checkpoint checkpoint, String labelKey,
            Path outputDirectory, Evaluator.Builder options) {
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
        String key = resolveLabelKey(dataPath, labelKey);
        ScanDataset scored = key.equals(TRAINING_LABELS) ? all : withLabels(all, dataPath, key);
        return evaluate(run, all, scored, key, dataPath, split, checkpoint, outputDirectory, options);
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
        return evaluate(run, all, all, TRAINING_LABELS, dataPath, split, checkpoint, run.directory(), options);
    }

    private static Result evaluate(RunFolder run, ScanDataset all, ScanDataset scored, String labelKey, Path dataPath,
            String split, Checkpoint checkpoint, Path outputDirectory, Evaluator.Builder options) {
        String which = split.toLowerCase(Locale.ROOT);
        boolean same = Provenance.contentSha256(all).equals(run.dataContentSha256());
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
        ScanDataset subset = scored.subset(indices, which);
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
            context.put("labels", labelKey);
            try {
                java.nio.file.Files.createDirectories(outputDirectory);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException("cannot create " + outputDirectory + ": " + ex.getMessage(), ex);
            }
            EvaluationFiles.write(outputDirectory, e, context);
            return new Result(run, dataPath, which, checkpoint, predictor.model().epoch(), e, labelKey, outputDirectory);
        }
    }

    private static String resolveLabelKey(Path dataPath, String labelKey) {
        String key = labelKey == null ? TRAINING_LABELS : labelKey.trim();
        boolean npz = dataPath.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz");
        if (key.equalsIgnoreCase(AUTO_LABELS)) {
            if (!npz) {
                return TRAINING_LABELS;
            }
            try (NpzReader r = NpzReader.open(dataPath)) {
                return r.contains("labels_true") ? "labels_true" : TRAINING_LABELS;
            }
        }
        if (!key.equals(TRAINING_LABELS) && !npz) {
            throw new BadConfigException(dataPath + ": --label-key " + key + " needs an .npz file; this dataset has "
                    + "only the labels it was read with");
        }
        return key;
    }

    /** The same scans with the labels of another {@code .npz} array, checked against the classes. */
    private static ScanDataset withLabels(ScanDataset all, Path npz, String key) {
        NpyArray a;
        try (NpzReader r = NpzReader.open(npz)) {
            if (!r.contains(key)) {
                throw new BadDataException(npz + ": no '" + key + "' array to score against (found " + r.keys() + ")");
            }
            a = r.read(key);
        }
        if (a.rank() != 1 || !a.dtype().isInteger() || a.size() != all.count()) {
            throw new BadDataException(npz + "[" + key + "]: expected " + all.count() + " integer labels (N,), found "
                    + a.dtype() + " of shape " + java.util.Arrays.toString(a.shape()));
        }
        int[] labels = new int[all.count()];
        for (int i = 0; i < labels.length; i++) {
            long v = a.getLong(i);
            if (v < 0 || v >= all.classCount()) {
                throw new BadDataException(npz + "[" + key + "]: label " + v + " of scan " + i + " is not one of the "
                        + all.classCount() + " classes");
            }
            labels[i] = (int) v;
        }
        return new ScanDataset(all.source() + "[" + key + "]", all.images(), all.count(), all.lines(), all.pixels(),
                labels, all.classNames());
    }
}
