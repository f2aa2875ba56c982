package org.scanline.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.scanline.BadConfigException;
import org.scanline.ScanDataset;
import org.scanline.dataset.Datasets;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;
import org.scanline.train.TrainingInterruptedException;
import org.scanline.train.TrainingSession;
import org.scanline.training.ConfigResolver;
import org.scanline.train.SimulationConfig;
import org.scanline.training.GracefulStop;
import org.scanline.training.InitialWeights;
import org.scanline.training.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scanline train}: trains a model and writes a run folder, or continues one with
 * {@code --resume}. Config precedence: defaults &lt; {@code --config} file &lt; environment
 * ({@code LEARNING_RATE}, {@code BATCH_SIZE}, …) &lt; flags. A resume refuses any setting that
 * differs from the run's, except a raised {@code --epochs} (to extend it), {@code --data},
 * {@code --threads} and {@code --device}. Ctrl-C (SIGINT) or SIGTERM stops after the current batch,
 * keeps the last complete epoch, prints the resume command and exits 130.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model on a labelled dataset and write a run folder (runs/YYYYMMDD_HHMMSS/).",
            "Precedence: defaults < --config file < environment (LEARNING_RATE, BATCH_SIZE, NUM_EPOCHS, SEED, "
                    + "WEIGHT_DECAY, EARLY_STOPPING_PATIENCE, D_MODEL, NUM_HEADS, NUM_LAYERS, DROPOUT, DATA_PATH, "
                    + "TRAIN_RATIO, VAL_RATIO, CHECKPOINT_BASE_DIR) < flags.",
            "Ctrl-C (SIGINT) or SIGTERM stops after the current batch, keeps the last complete epoch, prints the "
                    + "resume command and exits 130."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "FILE", description = "Dataset (.npz, .mat, folder of labelled .sxm); "
            + "default: DATA_PATH or the config's dataPath.")
    Path data;

    @Option(names = "--config", paramLabel = "FILE", description = "Config file (JSON, or YAML by .yaml/.yml); unknown keys are errors.")
    Path configFile;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue an interrupted run from its last complete "
            + "epoch with its own settings: any other setting given must match them, except a larger --epochs (extends "
            + "the run), --data (the same data elsewhere), --threads and --device.")
    Path resume;

    @Option(names = "--arch", description = "vit, causal or lrcn.") String arch;
    @Option(names = "--epochs") String epochs;
    @Option(names = "--lr", description = "Peak learning rate.") String lr;
    @Option(names = "--batch-size") String batchSize;
    @Option(names = "--seed") String seed;
    @Option(names = "--weight-decay") String weightDecay;
    @Option(names = "--patience", description = "Early-stopping patience in epochs (0: off).") String patience;
    @Option(names = "--d-model") String dModel;
    @Option(names = "--heads") String heads;
    @Option(names = "--layers") String layers;
    @Option(names = "--ffn") String ffn;
    @Option(names = "--dropout") String dropout;
    @Option(names = "--max-lines") String maxLines;
    @Option(names = "--min-lines") String minLines;
    @Option(names = "--window-lines", description = "LRCN window W.") String windowLines;
    @Option(names = "--lstm-hidden") String lstmHidden;
    @Option(names = "--schedule", description = "plateau, cosine or constant.") String schedule;
    @Option(names = "--warmup-epochs") String warmupEpochs;
    @Option(names = "--samples-per-scan") String samplesPerScan;
    @Option(names = "--train-ratio") String trainRatio;
    @Option(names = "--val-ratio") String valRatio;
    @Option(names = "--threads", description = "Intra-op threads (0: engine default).") String threads;
    @Option(names = "--device", description = "auto, cpu or gpu.") String device;
    @Option(names = "--runs-dir", description = "Folder of run folders (default runs).") String runsDir;

    @Option(names = "--line-state-weight", description = "Weight of the per-line tip-state loss (causal); above 0 "
            + "the model gets a tip-state head.") String lineStateWeight;
    @Option(names = "--spectrum-tokens", paramLabel = "BOOL", description = "Add each line's log power spectrum to its "
            + "token (causal).") String spectrumTokens;
    @Option(names = "--init", paramLabel = "DIR", description = "Fine-tune: start from the best weights of a run folder "
            + "or a shipped model folder (e.g. models/hsi100-causal-v1); the architecture and sizes come from it.")
    Path init;

    @Option(names = "--simulate", description = "Train on fresh simulated scans drawn at every step instead of a dataset; "
            + "validation uses a fixed held-out simulated set.")
    boolean simulate;
    @Option(names = "--sim-pixels", description = "Simulated pixels per line (default: ${DEFAULT-VALUE}).",
            defaultValue = "128") int simPixels;
    @Option(names = "--sim-lines", description = "Simulated lines per scan (default: ${DEFAULT-VALUE}).",
            defaultValue = "128") int simLines;
    @Option(names = "--sim-difficulty", description = "Simulator difficulty, 0-3 (default: ${DEFAULT-VALUE}).",
            defaultValue = "1.0") double simDifficulty;
    @Option(names = "--sim-seed", description = "Seed of the simulated training scans (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000") long simSeed;
    @Option(names = "--valid-seed", description = "Seed of the simulated validation scans (default: ${DEFAULT-VALUE}).",
            defaultValue = "2000") long validSeed;
    @Option(names = "--valid-scans", description = "Simulated validation scans (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000") int validScans;
    @Option(names = "--steps-per-epoch", description = "Optimiser steps per epoch when simulating (default: "
            + "${DEFAULT-VALUE}).", defaultValue = "250") int stepsPerEpoch;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any config key, e.g. --set noiseStd=0.05 (repeatable).")
    Map<String, String> set = new LinkedHashMap<>();

    /** Exit code of a run stopped by SIGINT or SIGTERM, as a shell reports a process ended by SIGINT. */
    static final int INTERRUPTED = 130;

    @Override
    public Integer call() {
        System.setProperty("ai.djl.offline", "true");
        if (resume != null) {
            return resume();
        }
        Map<String, String> flags = flags();
        TrainingConfig resolved = ConfigResolver.resolve(configFile, System.getenv(), flags);
        if (simulate) {
            if (resolved.dataPath() != null) {
                throw new BadConfigException("--simulate trains on simulated scans: drop --data (or DATA_PATH, dataPath)");
            }
            TrainingConfig sim = resolved.toBuilder().simulation(new SimulationConfig(simLines, simPixels, simDifficulty,
                    simSeed, validSeed, validScans, stepsPerEpoch, true)).build();
            TrainingConfig config = sim.initFrom() != null ? InitialWeights.adopt(sim, simPixels) : sim;
            return train(() -> TrainingSession.create(config).fitOnSimulator());
        }
        if (resolved.dataPath() == null) {
            throw new BadConfigException("no dataset: pass --data FILE (or set DATA_PATH, or dataPath in the config file)");
        }
        ScanDataset ds = Datasets.read(Path.of(resolved.dataPath()));
        TrainingConfig config = resolved.initFrom() != null ? InitialWeights.adopt(resolved, ds.pixels()) : resolved;
        return train(() -> TrainingSession.create(config).fit(ds));
    }

    /**
     * Continues a run with its stored config. Every setting given now (flags, environment, config
     * file) must agree with it, except a raised {@code --epochs}, another {@code --data} path to the
     * same data, and {@code --threads}/{@code --device}; changes are recorded in config.json.
     */
    private int resume() {
        RunFolder run = RunFolder.open(resume);
        ConfigResolver.Resume r = ConfigResolver.resolveForResume(resume, run.config(), configFile, System.getenv(),
                flags());
        TrainingConfig stored = run.config();
        if (r.changes().containsKey("epochs")) {
            run.stopReason().ifPresent(why -> {
                throw new BadConfigException(resume + ": the run stopped before its " + stored.epochs() + " epochs ("
                        + why + "), so raising epochs to " + r.config().epochs() + " would not train it further;"
                        + " start a new run instead");
            });
            if (stored.schedule() == TrainingConfig.Schedule.COSINE) {
                System.err.println("note: the cosine schedule is recomputed over " + r.config().epochs()
                        + " epochs, so the added epochs restart from a higher learning rate than epoch "
                        + stored.epochs() + " had");
            }
        }
        if (stored.simulation() != null) {
            RunFolder amendedSim = run.amend(r.config(), r.changes(), java.time.LocalDateTime.now());
            return train(() -> TrainingSession.create(amendedSim.config()).resumeOnSimulator(resume));
        }
        String path = r.dataPath().orElse(stored.dataPath());
        if (path == null) {
            throw new BadConfigException(resume + ": the run recorded no dataPath; pass --data FILE");
        }
        ScanDataset ds = Datasets.read(Path.of(path));
        RunFolder amended = run.amend(r.config(), r.changes(), java.time.LocalDateTime.now());
        r.changes().forEach((key, values) -> System.err.println("resuming with " + key + " " + values.get(1)
                + " (was " + values.get(0) + ")"));
        return train(() -> TrainingSession.create(amended.config()).resume(resume, ds));
    }

    /**
     * Trains with SIGINT and SIGTERM turned into a stop at the next batch boundary (never a JVM exit
     * in the middle of a native backward pass), then reports, or says how to resume and exits 130.
     */
    private static int train(java.util.function.Supplier<TrainedModel> training) {
        try (GracefulStop.Handlers signals = GracefulStop.onSignals(System.err);
             TrainedModel model = training.get()) {
            report(model);
            return 0;
        } catch (TrainingInterruptedException e) {
            System.err.println(e.getMessage());
            e.runDirectory().ifPresent(run -> System.err.println("resume with: scanline train --resume "
                    + quoted(run.toString())));
            return INTERRUPTED;
        }
    }

    private static String quoted(String path) {
        return path.matches("[A-Za-z0-9_./:@%+=,-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }

    Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>(set);
        put(f, "dataPath", data == null ? null : data.toString());
        put(f, "architecture", arch);
        put(f, "epochs", epochs);
        put(f, "learningRate", lr);
        put(f, "batchSize", batchSize);
        put(f, "seed", seed);
        put(f, "weightDecay", weightDecay);
        put(f, "earlyStoppingPatience", patience);
        put(f, "dModel", dModel);
        put(f, "numHeads", heads);
        put(f, "numLayers", layers);
        put(f, "ffnDim", ffn);
        put(f, "dropout", dropout);
        put(f, "maxLines", maxLines);
        put(f, "minLines", minLines);
        put(f, "windowLines", windowLines);
        put(f, "lstmHidden", lstmHidden);
        put(f, "schedule", schedule);
        put(f, "warmupEpochs", warmupEpochs);
        put(f, "samplesPerScan", samplesPerScan);
        put(f, "trainRatio", trainRatio);
        put(f, "valRatio", valRatio);
        put(f, "threads", threads);
        put(f, "device", device);
        put(f, "runsDir", runsDir);
        put(f, "lineStateWeight", lineStateWeight);
        put(f, "spectrumTokens", spectrumTokens);
        put(f, "initFrom", init == null ? null : init.toString());
        return f;
    }

    private static void put(Map<String, String> f, String key, String value) {
        if (value != null) {
            f.put(key, value);
        }
    }

    private static void report(TrainedModel model) {
        System.out.println("run folder: " + model.runDirectory());
        model.bestValidation().ifPresent((EpochMetrics m) -> System.out.println(String.format(Locale.ROOT,
                "best validation (epoch %d): loss %.4f accuracy %.4f balanced accuracy %.4f AUROC %.4f",
                m.epoch(), m.loss(), m.accuracy(), m.balancedAccuracy(), m.auroc())));
    }
}
