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
import org.scanline.train.SimulationConfig;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;
import org.scanline.train.TrainingInterruptedException;
import org.scanline.train.TrainingSession;
import org.scanline.backend.ConfigResolver;
import org.scanline.backend.GracefulStop;
import org.scanline.backend.InitialWeights;
import org.scanline.run.RunFolder;
import org.scanline.backend.TrainingBenchmark;
import org.scanline.backend.TrainingEstimate;
import org.scanline.backend.TrainingSize;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code scanline train}: trains a model and writes a run folder, or continues one with
 * {@code --resume}. Config precedence: defaults &lt; {@code --size} preset &lt; {@code --config}
 * file &lt; environment ({@code LEARNING_RATE}, {@code BATCH_SIZE}, …) &lt; flags. Before it
 * starts it measures a few steps and prints how long the run will take. A resume refuses any
 * setting that differs from the run's, except a raised {@code --epochs}, {@code --data},
 * {@code --threads} and {@code --device}. Ctrl-C (SIGINT) or SIGTERM stops after the current batch,
 * keeps the last complete epoch, prints the resume command and exits 130.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = TrainCommand.ConfigFlags.class,
        description = {"Train a model on a labelled dataset and write a run folder (runs/YYYYMMDD_HHMMSS/). Prints "
                + "the chosen size and a measured time estimate before it starts.",
            "Precedence: defaults < --size preset < --config file < environment (ENVIRONMENT_VARIABLES) < flags. Defaults "
                + "below are the reference recipe's; 'small:' gives the small preset's value. Every config key can "
                + "be set with --set KEY=VALUE; these have no flag of their own: SET_ONLY_KEYS (docs/training.md).",
            "Ctrl-C (SIGINT) or SIGTERM stops after the current batch, keeps the last complete epoch, prints the "
                    + "resume command and exits 130."})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", description = "Dataset (.npz, .mat, folder of labelled .sxm) "
            + "(default: DATA_PATH or the config's dataPath).")
    Path data;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "auto",
            description = "Model size: small (minutes on a CPU), reference (the published recipe: hours per epoch on a "
                    + "CPU) or auto: small on a CPU, reference on a GPU or with --config (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--estimate-only", description = "Print the size and the time estimate, then stop "
            + "(default: ${DEFAULT-VALUE}).")
    boolean estimateOnly;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (JSON, or YAML by .yaml/.yml); unknown keys are errors (default: none).")
    Path configFile;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue an interrupted run from its last complete "
            + "epoch with its own settings: any other setting given must match them, except a larger --epochs (extends "
            + "the run), --data (the same data elsewhere), --threads and --device (default: none).")
    Path resume;

    @Option(names = "--init", paramLabel = "DIR", description = "Fine-tune: start from the best weights of a run folder "
            + "or a shipped model folder (e.g. models/hsi100-causal-v4); the architecture and sizes come from it, and a size "
            + "setting that differs from them is refused (default: none).")
    Path init;

    @Option(names = "--simulate", description = "Train on fresh simulated scans drawn at every step instead of a dataset; "
            + "validation uses a fixed held-out simulated set; the simulation.* keys (--sim-lines, ...) apply "
            + "(default: off).")
    boolean simulate;
    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any config key, e.g. --set noiseStd=0.05 (repeatable; default: none).")
    Map<String, String> set = new LinkedHashMap<>();

    /** Exit code of a run stopped by SIGINT or SIGTERM, as a shell reports a process ended by SIGINT. */
    static final int INTERRUPTED = 130;

    @Override
    public Integer call() {
        System.setProperty("ai.djl.offline", "true");
        if (resume != null) {
            return resume();
        }
        Map<String, String> flags = withoutSimulation(flags());
        TrainingConfig resolved = ConfigResolver.resolve(configFile, System.getenv(), flags);
        Map<String, ConfigResolver.Given> given = ConfigResolver.given(configFile, System.getenv(), flags);
        if (resolved.initFrom() != null && TrainingSize.parse(size) != null) {
            throw new BadConfigException("--size " + size + " and --init " + resolved.initFrom() + " both set the "
                    + "model's size: fine-tuning keeps the size of the initial weights; drop --size");
        }
        if (simulate) {
            if (resolved.dataPath() != null) {
                throw new BadConfigException("--simulate trains on simulated scans: drop --data (or DATA_PATH, dataPath)");
            }
            // Validated before the estimate, so that --estimate-only never passes settings training would refuse.
            SimulationConfig simulation = simulation();
            TrainingConfig config;
            String what;
            if (resolved.initFrom() != null) {
                config = InitialWeights.adoptForSimulation(resolved, simulation, given);
                what = "from --init " + resolved.initFrom();
            } else {
                // The same size choice as from a file: without it a CPU would train the reference size for hours.
                SizeChoice chosen = chooseSize(resolved);
                config = ConfigResolver.resolve(chosen.size().preset(simulation.lines()), configFile, System.getenv(),
                        flags).toBuilder().simulation(simulation).build();
                what = chosen.size().name().toLowerCase(Locale.ROOT) + " (" + chosen.why() + ")";
            }
            printSize(what, config, simulation.stepsPerEpoch());
            System.out.println("estimate: " + TrainingEstimate.measureSimulated(config).describe());
            if (estimateOnly) {
                return 0;
            }
            TrainingConfig chosenConfig = config;
            return train(() -> TrainingSession.create(chosenConfig).fitOnSimulator());
        }
        if (resolved.dataPath() == null) {
            throw new BadConfigException("no dataset: pass --data FILE (or set DATA_PATH, or dataPath in the config file)");
        }
        ScanDataset ds = Datasets.read(Path.of(resolved.dataPath()));
        TrainingConfig config;
        if (resolved.initFrom() != null) {
            // Fine-tuning: the model's size is the source's, so no size preset applies.
            config = InitialWeights.adopt(resolved, ds.pixels(), given);
            printSize("from --init " + resolved.initFrom(), config, 0);
            System.out.println("estimate: " + TrainingEstimate.measure(config, ds).describe());
        } else {
            SizeChoice chosen = chooseSize(resolved);
            config = ConfigResolver.resolve(chosen.size().preset(ds), configFile, System.getenv(), flags);
            estimate(chosen.size(), chosen.why(), config, ds);
        }
        if (estimateOnly) {
            return 0;
        }
        TrainingConfig chosenConfig = config;
        return train(() -> TrainingSession.create(chosenConfig).fit(ds));
    }

    /**
     * The simulation of {@code --simulate}, validated; an error names the flag as well as the key
     * ({@code --sim-pixels (simulation.pixels) must be at least 16}), since the flag is what was typed.
     */
    private SimulationConfig simulation() {
        try {
            return ConfigResolver.simulation(flags());
        } catch (BadConfigException e) {
            String message = e.getMessage();
            for (TrainingConfig.Setting s : TrainingConfig.settings()) {
                if (s.name().startsWith(TrainingConfig.SIMULATION_PREFIX) && !s.flag().isEmpty()) {
                    message = message.replaceAll("(?<![\\w.-])" + java.util.regex.Pattern.quote(s.name()) + "(?![\\w])",
                            java.util.regex.Matcher.quoteReplacement(s.flag() + " (" + s.name() + ")"));
                }
            }
            throw new BadConfigException(message, e);
        }
    }

    private static void printSize(String what, TrainingConfig config, int simulatedSteps) {
        System.out.printf(Locale.ROOT, "size %s: %s%s%n", what, TrainingSize.summary(config), simulatedSteps == 0 ? ""
                : String.format(Locale.ROOT, "; %d steps of %d fresh simulated scans per epoch", simulatedSteps,
                        config.batchSize()));
        System.out.flush();
    }

    /**
     * Continues a run with its stored config. Every setting given now (flags, environment, config
     * file) must agree with it, except a raised {@code --epochs}, another {@code --data} path to the
     * same data, and {@code --threads}/{@code --device}; changes are recorded in config.json.
     */
    private int resume() {
        RunFolder run = RunFolder.open(resume);
        ConfigResolver.Resume r = ConfigResolver.resolveForResume(resume, run.config(), configFile, System.getenv(),
                withoutSimulation(flags()));
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

    /** A model size and why it was chosen, as the first line of a run prints it. */
    record SizeChoice(TrainingSize size, String why) {
    }

    /** {@code --size}, or for auto: small on a CPU, the reference on a GPU or with a config file. */
    private SizeChoice chooseSize(TrainingConfig resolved) {
        TrainingSize chosen = TrainingSize.parse(size);
        if (chosen != null) {
            return new SizeChoice(chosen, "--size " + size);
        }
        if (TrainingEstimate.usesGpu(resolved)) {
            return new SizeChoice(TrainingSize.REFERENCE, "chosen for the GPU");
        }
        return configFile != null ? new SizeChoice(TrainingSize.REFERENCE, "the config file's recipe")
                : new SizeChoice(TrainingSize.SMALL, "chosen for the CPU");
    }

    private static void estimate(TrainingSize size, String why, TrainingConfig config, ScanDataset ds) {
        printSize(size.name().toLowerCase(Locale.ROOT) + " (" + why + ")", config, 0);
        TrainingEstimate e = TrainingEstimate.measure(config, ds);
        System.out.println("estimate: " + e.describe());
        if (size == TrainingSize.SMALL) {
            TrainingConfig ref = TrainingConfig.defaults().toBuilder().architecture(config.architecture())
                    .maxLines(config.maxLines()).minLines(Math.min(config.maxLines(), TrainingConfig.defaults().minLines()))
                    .windowLines(Math.min(config.maxLines(), TrainingConfig.defaults().windowLines())).build();
            int lines = e.meanLines();
            double ratio = TrainingBenchmark.forwardFlops(ref, ds.pixels(), ds.classCount(), lines) * ref.epochs()
                    / (TrainingBenchmark.forwardFlops(config, ds.pixels(), ds.classCount(), lines) * config.epochs());
            System.out.printf(Locale.ROOT, "the reference size (--size reference: %s) needs ≈ %.0f× the compute of this "
                    + "run; it prints its own measured estimate%n", TrainingSize.summary(ref), ratio);
        }
        System.out.flush();
    }

    Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>(set);
        put(f, "dataPath", data == null ? null : data.toString());
        for (TrainingConfig.Setting k : TrainingConfig.settings()) {
            if (!k.flag().isEmpty()) {
                put(f, k.name(), spec.findOption(k.flag()).getValue());
            }
        }
        put(f, "initFrom", init == null ? null : init.toString());
        return f;
    }

    /**
     * The simulation's keys apply to {@code --simulate} alone ({@link ConfigResolver#simulation}); a run
     * from a dataset, or a resume (which keeps the run's simulation), takes no notice of them.
     */
    private static Map<String, String> withoutSimulation(Map<String, String> flags) {
        Map<String, String> out = new LinkedHashMap<>(flags);
        out.keySet().removeIf(k -> k.startsWith(TrainingConfig.SIMULATION_PREFIX));
        return out;
    }

    /**
     * Adds a flag for every config key that has one ({@link TrainingConfig#settings()}), described with
     * its reference default and the small preset's value, and names the environment variables in the
     * usage text: the keys are defined once, in the config's builder.
     */
    public static final class ConfigFlags implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            Map<String, String> small = TrainingSize.SMALL.hints();
            java.util.List<String> env = new java.util.ArrayList<>();
            java.util.List<String> setOnly = new java.util.ArrayList<>();
            for (TrainingConfig.Setting k : TrainingConfig.settings()) {
                if (!k.environment().isEmpty()) {
                    env.add(k.environment());
                }
                if (k.flag().isEmpty()) {
                    setOnly.add(k.name());
                    continue;
                }
                String smallValue = small.get(k.name());
                spec.addOption(OptionSpec.builder(k.flag()).paramLabel(k.label()).type(String.class)
                        .description(k.description() + " (default: " + k.defaultValue()
                                + (smallValue == null ? "" : "; small: " + smallValue) + ").")
                        .build());
            }
            String[] text = spec.usageMessage().description();
            for (int i = 0; i < text.length; i++) {
                text[i] = text[i].replace("ENVIRONMENT_VARIABLES", String.join(", ", env))
                        .replace("SET_ONLY_KEYS", String.join(", ", setOnly));
            }
            spec.usageMessage().description(text);
            return spec;
        }
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
