package org.scanline.backend;

import org.scanline.io.AtomicOutput;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.scanline.BadConfigException;
import org.scanline.BadDataException;
import org.scanline.Normalizer;
import org.scanline.ScanlineException;
import org.scanline.ScanDataset;
import org.scanline.dataset.ClassWeights;
import org.scanline.dataset.Splits;
import org.scanline.metrics.ClassificationMetrics;
import org.scanline.model.ScanModel;
import org.scanline.model.ScanModels;
import org.scanline.run.Provenance;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainingConfig;
import org.scanline.train.TrainingInterruptedException;

/**
 * The training recipe, architecture-agnostic: seeds, split, normalisation, epochs of augmented
 * partial-scan batches with class-weighted cross-entropy, AdamW and clipping, full-scan validation,
 * the schedule and the best-loss bookkeeping; everything else happens in listeners.
 */
final class TrainingLoop {
    static final String BACKEND = "djl";
    /** Consecutive skipped steps (non-finite loss or gradient) after which a run is declared diverged. */
    static final int MAX_SKIPPED_STEPS = 20;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingLoop.class);

    private TrainingLoop() {
    }

    static DjlTrainedModel fit(TrainingConfig config, ScanDataset data, List<TrainingListener> extra) {
        String contentHash = contentSha256(data);
        ObjectNode info = provenance(config, data, contentHash);
        return train(() -> RunFolder.create(config, info, LocalDateTime.now(), System.getenv()), config,
                fileData(config, data), extra, false);
    }

    static DjlTrainedModel resume(Path runDirectory, ScanDataset data, List<TrainingListener> extra) {
        RunFolder run = RunFolder.open(runDirectory);
        if (run.config().simulation() != null) {
            throw new BadConfigException(runDirectory + " was trained on the simulator: resume it without a dataset");
        }
        String hash = contentSha256(data);
        if (!hash.equals(run.dataContentSha256())) {
            throw new BadDataException(data.source() + ": this is not the dataset run " + runDirectory
                    + " was trained on (content SHA-256 " + hash + ", the run recorded " + run.dataContentSha256() + ")");
        }
        AtomicOutput.deleteStrays(runDirectory);
        return train(() -> run, run.config(), fileData(run.config(), data), extra, true);
    }

    static DjlTrainedModel fitOnSimulator(TrainingConfig config, List<TrainingListener> extra) {
        if (config.simulation() == null) {
            throw new BadConfigException("training on the simulator needs a simulation in the config");
        }
        TrainingData data = new SimulatedTrainingData(config);
        ObjectNode info = simulatedProvenance(config, data);
        return train(() -> RunFolder.create(config, info, LocalDateTime.now(), System.getenv()), config, data, extra, false);
    }

    static DjlTrainedModel resumeOnSimulator(Path runDirectory, List<TrainingListener> extra) {
        RunFolder run = RunFolder.open(runDirectory);
        if (run.config().simulation() == null) {
            throw new BadConfigException(runDirectory + " was trained on a dataset, not the simulator: give the dataset "
                    + "to resume it");
        }
        AtomicOutput.deleteStrays(runDirectory);
        return train(() -> run, run.config(), new SimulatedTrainingData(run.config()), extra, true);
    }

    /** The training and validation splits of a dataset file, the same training scans every epoch. */
    private static TrainingData fileData(TrainingConfig config, ScanDataset data) {
        SampleBatcher.checkFits(config, data);
        Splits split = Splits.stratified(data.labels(), config.trainRatio(), config.valRatio(), config.splitSeed());
        if (split.trainIndices().length == 0 || split.validIndices().length == 0) {
            throw new BadDataException(data.source() + ": " + data.count() + " scans are too few for a training and a "
                    + "validation split at trainRatio " + config.trainRatio() + ", valRatio " + config.valRatio());
        }
        ScanDataset train = normalised(split.train(data), config);
        ScanDataset valid = normalised(split.valid(data), config);
        float[] weights = ones(data.classCount());
        if (config.classWeights()) {
            double[] w = ClassWeights.inverseFrequency(train);
            for (int c = 0; c < w.length; c++) {
                weights[c] = (float) w[c];
            }
        }
        TrainingData.Epoch epoch = new TrainingData.Epoch(train, null);
        return new TrainingData() {
            @Override
            public Epoch epoch(int e) {
                return epoch;
            }

            @Override
            public ScanDataset valid() {
                return valid;
            }

            @Override
            public byte[] validLineStates() {
                return null;
            }

            @Override
            public float[] classWeights() {
                return weights.clone();
            }

            @Override
            public int pixels() {
                return data.pixels();
            }

            @Override
            public List<String> classNames() {
                return data.classNames();
            }
        };
    }

    /** Prepares the data first, so that a run folder is only created for data that can be trained on. */
    private static DjlTrainedModel train(java.util.function.Supplier<RunFolder> runFolder, TrainingConfig config,
            TrainingData data, List<TrainingListener> extra, boolean resume) {
        Device device = device(config);
        GracefulStop.requested().ifPresent(why -> {
            throw new TrainingInterruptedException(why + ": training stopped before it started; nothing was written",
                    null, 0);
        });
        RunFolder run = runFolder.get();
        if (!device.isGpu()) {
            MallocSettings.adviseOnce();
        }
        NDManager manager = NDManager.newBaseManager(device);
        AdamW optimizer = null;
        try {
            Engine.getInstance().setRandomSeed((int) config.seed());
            ScanModel model = ScanModels.create(config, data.pixels(), data.classNames().size());
            model.initialize(manager);
            if (config.initFrom() != null && !(resume && Files.isRegularFile(run.checkpoint(Checkpoint.LAST)))) {
                InitialWeights.load(config, model);
            }
            for (Parameter p : model.parameters().values()) {
                p.getArray().setRequiresGradient(true);
            }
            optimizer = new AdamW(model.parameters(), manager);
            TrainingContext ctx = new TrainingContext(config, run, model, optimizer, new LearningRateSchedule(config));
            if (resume && run.restoreLast(ctx)) {
                run.writeMetrics(ctx.history);
            }
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(new EarlyStopping());
            listeners.add(new Checkpointing());
            listeners.add(new ProgressDisplay(System.console() != null));
            listeners.addAll(extra);
            new TrainingLoop.Epochs(ctx, manager, data, listeners).run();
            return new DjlTrainedModel(manager, optimizer, ctx);
        } catch (RuntimeException | Error e) {
            if (optimizer != null) {
                optimizer.close();
            }
            manager.close();
            boolean removed = !resume && run.deleteIfNothingSaved();
            if (e instanceof Stop stop) {
                throw stop.toException(run, removed);
            }
            throw e;
        }
    }

    /** A {@link GracefulStop} request, seen at a batch boundary: unwinds the loop without a stack trace. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;
        private final String where;
        private final int savedEpoch;

        Stop(String reason, String where, int savedEpoch) {
            super(reason, null, false, false);
            this.reason = reason;
            this.where = where;
            this.savedEpoch = savedEpoch;
        }

        TrainingInterruptedException toException(RunFolder run, boolean removed) {
            String stopped = reason + ": training stopped " + where;
            if (removed) {
                return new TrainingInterruptedException(stopped + ", before any epoch was complete; nothing was saved"
                        + " and the run folder " + run.directory() + " was removed", null, 0);
            }
            if (savedEpoch == 0) {
                return new TrainingInterruptedException(stopped + ", before any epoch was complete; resuming "
                        + run.directory() + " starts it from the beginning", run.directory(), 0);
            }
            return new TrainingInterruptedException(stopped + "; " + run.checkpoint(Checkpoint.LAST) + " keeps epoch "
                    + savedEpoch + " of " + run.config().epochs(), run.directory(), savedEpoch);
        }
    }

    private static void stopIfRequested(String where, int savedEpoch) {
        String reason = GracefulStop.requested().orElse(null);
        if (reason != null) {
            throw new Stop(reason, where, savedEpoch);
        }
    }

    /** The loop over epochs of one run. */
    private static final class Epochs {
        private final TrainingContext ctx;
        private final TrainingConfig config;
        private final NDManager manager;
        private final TrainingData data;
        private final ScanDataset valid;
        private final float[] weights;
        private final List<TrainingListener> listeners;
        private final ParameterStore store;
        private final int classes;
        private int skipped;
        private ScanDataset train;
        private byte[] trainStates;
        private SampleBatcher batcher;

        Epochs(TrainingContext ctx, NDManager manager, TrainingData data, List<TrainingListener> listeners) {
            this.ctx = ctx;
            this.config = ctx.config();
            this.manager = manager;
            this.data = data;
            this.valid = data.valid();
            this.weights = data.classWeights();
            this.listeners = listeners;
            this.store = new ParameterStore(manager, false);
            this.classes = data.classNames().size();
        }

        void run() {
            listeners.forEach(l -> l.onTrainingStart(ctx));
            while (ctx.epoch < config.epochs() && !ctx.stopRequested()) {
                stopIfRequested("before epoch " + (ctx.epoch + 1), ctx.epoch);
                ctx.epoch++;
                int epoch = ctx.epoch;
                double lr = ctx.schedule.lrForEpoch(epoch);
                long epochSeed = new SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * epoch)).nextLong();
                Engine.getInstance().setRandomSeed((int) (epochSeed ^ (epochSeed >>> 32)));
                SplittableRandom rng = new SplittableRandom(epochSeed);
                TrainingData.Epoch scans = data.epoch(epoch);
                train = scans.scans();
                trainStates = scans.lineStates();
                batcher = new SampleBatcher(train, config);
                List<int[]> batches = batcher.epochBatches(rng);
                listeners.forEach(l -> l.onEpochStart(ctx, batches.size(), lr));
                EpochMetrics tr = trainEpoch(epoch, batches, rng, lr);
                EpochMetrics va = evaluate(epoch, lr);
                ctx.schedule.observe(epoch, va.loss());
                ctx.improved = va.loss() < ctx.bestLoss;
                if (ctx.improved) {
                    ctx.bestLoss = va.loss();
                    ctx.bestEpoch = epoch;
                    ctx.epochsWithoutImprovement = 0;
                } else {
                    ctx.epochsWithoutImprovement++;
                }
                ctx.history.add(tr);
                ctx.history.add(va);
                listeners.forEach(l -> l.onEpochEnd(ctx, tr, va));
            }
            Path best = ctx.run().checkpoint(Checkpoint.BEST);
            if (Files.isRegularFile(best)) {
                ctx.model().loadWeights(RunFolder.modelTensors(CheckpointFile.read(best).tensors()), best.toString());
            }
            listeners.forEach(l -> l.onTrainingEnd(ctx));
        }

        private EpochMetrics trainEpoch(int epoch, List<int[]> batches, SplittableRandom rng, double lr) {
            long start = System.nanoTime();
            int k = classes;
            List<Integer> labels = new ArrayList<>();
            List<float[]> probs = new ArrayList<>();
            double lossSum = 0;
            double weightSum = 0;
            int correct = 0;
            int b = 0;
            for (int[] scans : batches) {
                stopIfRequested("in epoch " + epoch + " before batch " + (b + 1) + " of " + batches.size(), epoch - 1);
                int t = batcher.drawLength(rng);
                float[] x = batcher.fill(scans, t, rng);
                try (NDManager bm = manager.newSubManager()) {
                    NDArray input = bm.create(x, new Shape(scans.length, t, train.pixels()));
                    LossTarget target = target(bm, train, scans);
                    float loss;
                    float[] p;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDList out = ctx.model().forwardAll(store, input, true);
                        NDArray logits = out.get(0);
                        NDArray l = weightedLoss(logits, target);
                        if (out.size() > 1 && trainStates != null) {
                            l = l.add(lineStateLoss(out.get(1), lineStateTargets(bm, train, trainStates, scans, t))
                                    .mul((float) config.lineStateWeight()));
                        }
                        gc.backward(l);
                        loss = l.getFloat();
                        p = logits.get(new NDIndex(":, -1, :")).softmax(-1).toFloatArray();
                        target.denominator *= logits.getShape().get(1);
                    }
                    double norm = Float.isFinite(loss) ? ctx.optimizer.step(lr, config.weightDecay(), config.gradClipNorm())
                            : ctx.optimizer.zeroGradients();
                    if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                        skipped++;
                        LOG.warn("epoch {} batch {}: {} (gradient norm {}); the step was skipped", epoch, b + 1,
                                Float.isFinite(loss) ? "loss " + loss : "non-finite loss", norm);
                        if (skipped >= MAX_SKIPPED_STEPS) {
                            throw new ScanlineException("training diverged: " + skipped + " consecutive steps with a "
                                    + "non-finite loss or gradient (epoch " + epoch + ", batch " + (b + 1) + "); lower "
                                    + "the learning rate or resume from the last checkpoint");
                        }
                        b++;
                        continue;
                    }
                    skipped = 0;
                    lossSum += (double) loss * target.denominator;
                    weightSum += target.denominator;
                    probs.add(p);
                    for (int i = 0; i < scans.length; i++) {
                        int label = train.label(scans[i]);
                        labels.add(label);
                        if (ClassificationMetrics.argmax(p, i * k, k) == label) {
                            correct++;
                        }
                    }
                }
                b++;
                double meanLoss = lossSum / weightSum;
                double acc = (double) correct / labels.size();
                int batchNo = b;
                listeners.forEach(l -> l.onBatchEnd(ctx, batchNo, meanLoss, acc));
            }
            return metrics(epoch, "train", lossSum / weightSum, labels, probs, lr, start);
        }

        private EpochMetrics evaluate(int epoch, double lr) {
            long start = System.nanoTime();
            int t = Math.min(config.maxLines(), valid.lines());
            List<Integer> labels = new ArrayList<>();
            List<float[]> probs = new ArrayList<>();
            double lossSum = 0;
            double weightSum = 0;
            for (int s = 0; s < valid.count(); s += config.batchSize()) {
                stopIfRequested("in epoch " + epoch + " during validation", epoch - 1);
                int[] scans = new int[Math.min(config.batchSize(), valid.count() - s)];
                for (int i = 0; i < scans.length; i++) {
                    scans[i] = s + i;
                    labels.add(valid.label(s + i));
                }
                try (NDManager bm = manager.newSubManager()) {
                    NDArray input = bm.create(SampleBatcher.fillValid(valid, scans, t), new Shape(scans.length, t, valid.pixels()));
                    LossTarget target = target(bm, valid, scans);
                    NDArray logits = ctx.model().forward(store, input, false);
                    float loss = weightedLoss(logits, target).getFloat();
                    double denom = target.denominator * logits.getShape().get(1);
                    lossSum += (double) loss * denom;
                    weightSum += denom;
                    probs.add(logits.get(new NDIndex(":, -1, :")).softmax(-1).toFloatArray());
                }
            }
            return metrics(epoch, "valid", weightSum > 0 ? lossSum / weightSum : Double.NaN, labels, probs, lr, start);
        }

        private EpochMetrics metrics(int epoch, String split, double loss, List<Integer> labels, List<float[]> probs,
                double lr, long start) {
            int k = classes;
            int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
            float[] scores = new float[y.length * k];
            int o = 0;
            for (float[] p : probs) {
                System.arraycopy(p, 0, scores, o, p.length);
                o += p.length;
            }
            ClassificationMetrics m = ClassificationMetrics.of(y, scores, k);
            return new EpochMetrics(epoch, split, loss, m.accuracy(), m.balancedAccuracy(), m.macroAuroc(), lr,
                    (System.nanoTime() - start) / 1e9);
        }

        private LossTarget target(NDManager bm, ScanDataset set, int[] scans) {
            int[] labels = new int[scans.length];
            for (int i = 0; i < scans.length; i++) {
                labels[i] = set.label(scans[i]);
            }
            return LossTarget.of(bm, labels, weights);
        }
    }

    /**
     * Class-weighted cross-entropy averaged as PyTorch's {@code CrossEntropyLoss(weight=w)} does:
     * Σ w_y·(−log softmax(z)_y) / Σ w_y over every sample and every output position, the scan's label
     * being the target at every position.
     *
     * @param logits {@code [B, T, K]}
     * @param target weighted one-hot labels
     * @return the scalar loss
     */
    static NDArray weightedLoss(NDArray logits, LossTarget target) {
        long positions = logits.getShape().get(1);
        return logits.logSoftmax(-1).mul(target.weights).sum().neg().div((float) (target.denominator * positions));
    }

    /**
     * Cross-entropy of the per-line tip-state head, averaged over every line of every sample.
     *
     * @param stateLogits {@code [B, T, S]}
     * @param oneHot {@code [B, T, S]} one-hot tip state of each line
     * @return the scalar loss
     */
    static NDArray lineStateLoss(NDArray stateLogits, NDArray oneHot) {
        long n = stateLogits.getShape().get(0) * stateLogits.getShape().get(1);
        return stateLogits.logSoftmax(-1).mul(oneHot).sum().neg().div((float) n);
    }

    /** @return {@code [B, T, S]} one-hot tip states of the first {@code t} lines of the given scans */
    static NDArray lineStateTargets(NDManager manager, ScanDataset set, byte[] states, int[] scans, int t) {
        int s = org.scanline.model.ScanModels.LINE_STATES;
        float[] oneHot = new float[scans.length * t * s];
        for (int i = 0; i < scans.length; i++) {
            for (int l = 0; l < t; l++) {
                oneHot[(i * t + l) * s + states[scans[i] * set.lines() + l]] = 1f;
            }
        }
        return manager.create(oneHot, new Shape(scans.length, t, s));
    }

    /** Weighted one-hot targets and their weight sum per position. */
    static final class LossTarget {
        final NDArray weights;
        double denominator;

        LossTarget(NDArray weights, double denominator) {
            this.weights = weights;
            this.denominator = denominator;
        }

        /** @return {@code [B, 1, K]} holding each sample's class weight at its label, and Σ w_y */
        static LossTarget of(NDManager manager, int[] labels, float[] classWeights) {
            int k = classWeights.length;
            float[] w = new float[labels.length * k];
            double denom = 0;
            for (int i = 0; i < labels.length; i++) {
                w[i * k + labels[i]] = classWeights[labels[i]];
                denom += classWeights[labels[i]];
            }
            return new LossTarget(manager.create(w, new Shape(labels.length, 1, k)), denom);
        }
    }

    private static float[] ones(int k) {
        float[] w = new float[k];
        java.util.Arrays.fill(w, 1f);
        return w;
    }

    private static ScanDataset normalised(ScanDataset copy, TrainingConfig config) {
        config.normalizer().normalizeScans(copy.images(), (long) copy.count() * copy.lines(), copy.pixels());
        if (config.normalizer() == Normalizer.PER_LINE) {
            // Per-line normalised data has a standard deviation near 1 unless most lines were too flat
            // to scale (flatness is relative to the line's magnitude): then the model would see ~0.
            double sq = 0;
            for (float v : copy.images()) {
                sq += (double) v * v;
            }
            double std = Math.sqrt(sq / copy.images().length);
            if (std < 0.01) {
                throw new BadDataException(copy.source() + ": after per-line normalisation the data's standard deviation is "
                        + std + ": most lines are flatter than Normalizer.FLAT_RELATIVE_STD ("
                        + Normalizer.FLAT_RELATIVE_STD + ") times their largest value and were only centred "
                        + "(nearly constant lines, e.g. a large offset with tiny variation). Check the data first.");
            }
        }
        return copy;
    }

    /** Applies the thread setting and picks the device: a GPU when asked for or (auto) when DJL sees one. */
    static Device device(TrainingConfig config) {
        if (config.threads() > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(config.threads()));
        }
        Engine engine = Engine.getInstance();
        if (config.threads() > 0 && "PyTorch".equals(engine.getEngineName())) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(config.threads());
        }
        int gpus = engine.getGpuCount();
        return switch (config.device()) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new BadConfigException("device is 'gpu' but DJL sees no GPU: add the CUDA build of the PyTorch "
                            + "native library (see docs/training.md) or use --device cpu");
                }
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    static ObjectNode provenance(TrainingConfig config, ScanDataset data, String contentHash) {
        ObjectNode info = runInfo(config);
        ObjectNode ds = info.putObject("dataset");
        ds.put("path", config.dataPath());
        ds.put("sha256", config.dataPath() == null ? null : fileSha256(Path.of(config.dataPath())));
        ds.put("contentSha256", contentHash);
        ds.put("source", data.source());
        ds.put("scans", data.count());
        ds.put("lines", data.lines());
        ds.put("pixels", data.pixels());
        info.putPOJO("classNames", data.classNames());
        info.put("normalizer", config.normalizer().id());
        info.put("pixels", data.pixels());
        return info;
    }

    /** What every run's {@code config.json} starts with: format, versions and the resolved config. */
    private static ObjectNode runInfo(TrainingConfig config) {
        ObjectNode info = JsonNodeFactory.instance.objectNode();
        info.put("format", RunFolder.FORMAT);
        info.put("libraryVersion", Provenance.libraryVersion());
        info.put("backend", BACKEND);
        try {
            info.set("config", RunFolder.JSON.readTree(config.toJson()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return info;
    }

    static ObjectNode simulatedProvenance(TrainingConfig config, TrainingData data) {
        ObjectNode info = runInfo(config);
        ObjectNode ds = info.putObject("dataset");
        ds.put("source", "simulator " + SimulatedTrainingData.simulatorConfig(config.simulation()).version()
                + " seed=" + config.simulation().seed() + ", validation seed=" + config.simulation().validSeed());
        ds.put("lines", config.simulation().lines());
        ds.put("pixels", data.pixels());
        info.putPOJO("classNames", data.classNames());
        info.put("normalizer", config.normalizer().id());
        info.put("pixels", data.pixels());
        return info;
    }

    static String fileSha256(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 20];
            while (in.read(buf) >= 0) {
                // reading feeds the digest
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new BadDataException(file + ": cannot hash: " + e.getMessage(), e);
        }
    }

    /** SHA-256 over shape, class names, labels and pixels: identifies the data whatever file it came from. */
    static String contentSha256(ScanDataset data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((data.count() + "x" + data.lines() + "x" + data.pixels() + ":" + String.join("\u0000", data.classNames()))
                    .getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int l : data.labels()) {
                if (buf.remaining() < 4) {
                    flush(md, buf);
                }
                buf.putInt(l);
            }
            for (float f : data.images()) {
                if (buf.remaining() < 4) {
                    flush(md, buf);
                }
                buf.putFloat(f);
            }
            flush(md, buf);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void flush(MessageDigest md, ByteBuffer buf) {
        buf.flip();
        md.update(buf);
        buf.clear();
    }
}
