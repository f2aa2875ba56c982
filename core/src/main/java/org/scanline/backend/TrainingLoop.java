package org.scanline.backend;

import org.scanline.io.AtomicOutput;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.scanline.BadConfigException;
import org.scanline.BadDataException;
import org.scanline.ScanlineException;
import org.scanline.ScanDataset;
import org.scanline.metrics.ClassificationMetrics;
import org.scanline.model.ScanModel;
import org.scanline.model.ScanModels;
import org.scanline.run.Checkpoint;
import org.scanline.run.CheckpointFile;
import org.scanline.run.Provenance;
import org.scanline.run.RunFolder;
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
        ObjectNode info = Provenance.ofDataset(config, BACKEND, data, Provenance.contentSha256(data));
        return train(() -> RunFolder.create(config, info, LocalDateTime.now(), System.getenv()), config,
                FileTrainingData.of(config, data), extra, false);
    }

    static DjlTrainedModel resume(Path runDirectory, ScanDataset data, List<TrainingListener> extra) {
        RunFolder run = RunFolder.open(runDirectory);
        if (run.config().simulation() != null) {
            throw new BadConfigException(runDirectory + " was trained on the simulator: resume it without a dataset");
        }
        String hash = Provenance.contentSha256(data);
        if (!hash.equals(run.dataContentSha256())) {
            throw new BadDataException(data.source() + ": this is not the dataset run " + runDirectory
                    + " was trained on (content SHA-256 " + hash + ", the run recorded " + run.dataContentSha256() + ")");
        }
        AtomicOutput.deleteStrays(runDirectory);
        return train(() -> run, run.config(), FileTrainingData.of(run.config(), data), extra, true);
    }

    static DjlTrainedModel fitOnSimulator(TrainingConfig config, List<TrainingListener> extra) {
        if (config.simulation() == null) {
            throw new BadConfigException("training on the simulator needs a simulation in the config");
        }
        SimulatedTrainingData data = SimulatedTrainingData.of(config);
        ObjectNode info = Provenance.ofSimulation(config, BACKEND, data.simulatorVersion(), data.classNames());
        return train(() -> RunFolder.create(config, info, LocalDateTime.now(), System.getenv()), config, data, extra, false);
    }

    static DjlTrainedModel resumeOnSimulator(Path runDirectory, List<TrainingListener> extra) {
        RunFolder run = RunFolder.open(runDirectory);
        if (run.config().simulation() == null) {
            throw new BadConfigException(runDirectory + " was trained on a dataset, not the simulator: give the dataset "
                    + "to resume it");
        }
        AtomicOutput.deleteStrays(runDirectory);
        return train(() -> run, run.config(), SimulatedTrainingData.of(run.config()), extra, true);
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
            TrainingStep.attachGradients(model);
            optimizer = new AdamW(model.parameters(), manager);
            TrainingContext ctx = new TrainingContext(config, run, model, optimizer, new LearningRateSchedule(config));
            if (resume && CheckpointState.restoreLast(run, ctx)) {
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
        private final TrainingStep step;
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
            this.step = new TrainingStep(ctx.model(), store, ctx.optimizer, config);
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
                    NDArray states = trainStates != null && step.wantsLineStates()
                            ? Losses.lineStateTargets(bm, trainStates, train.lines(), scans, t) : null;
                    TrainingStep.Result r = step.run(input, Losses.LossTarget.of(bm, train, scans, weights), states, lr);
                    float loss = r.loss();
                    float[] p = r.lastLineProbabilities();
                    if (r.skipped()) {
                        skipped++;
                        LOG.warn("epoch {} batch {}: {} (gradient norm {}); the step was skipped", epoch, b + 1,
                                Float.isFinite(loss) ? "loss " + loss : "non-finite loss", r.gradientNorm());
                        if (skipped >= MAX_SKIPPED_STEPS) {
                            throw new ScanlineException("training diverged: " + skipped + " consecutive steps with a "
                                    + "non-finite loss or gradient (epoch " + epoch + ", batch " + (b + 1) + "); lower "
                                    + "the learning rate or resume from the last checkpoint");
                        }
                        b++;
                        continue;
                    }
                    skipped = 0;
                    lossSum += (double) loss * r.weight();
                    weightSum += r.weight();
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
                    Losses.LossTarget target = Losses.LossTarget.of(bm, valid, scans, weights);
                    NDArray logits = ctx.model().forward(store, input, false);
                    float loss = Losses.weightedLoss(logits, target).getFloat();
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
}
