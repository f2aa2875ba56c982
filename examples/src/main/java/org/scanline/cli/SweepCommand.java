package org.scanline.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.scanline.BadConfigException;
import org.scanline.ScanDataset;
import org.scanline.analysis.RunAnalysis;
import org.scanline.analysis.RunComparison;
import org.scanline.analysis.RunResults;
import org.scanline.analysis.Sweep;
import org.scanline.analysis.SweepSpec;
import org.scanline.dataset.Datasets;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;
import org.scanline.train.TrainingSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scanline sweep}: ablation sweeps over {@link TrainingConfig} keys, run locally one after
 * another, written as a SLURM array script, run as one array task, or summarised afterwards.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run an ablation sweep (a grid or list of training configs from YAML).",
            "  --grid FILE [--out DIR]   train every config here, one after another",
            "  --grid FILE --slurm ...   write (not submit) an sbatch array script",
            "  --task DIR [--index N]    run the config of this SLURM array task",
            "  --collect DIR             summary table of the finished runs under DIR"})
public final class SweepCommand implements Callable<Integer> {

    /** Exactly one mode. */
    static final class Mode {
        @Option(names = "--grid", paramLabel = "FILE", required = true, description = "Sweep YAML: base + grid or configs (one of --grid, --task, --collect is required).")
        Path grid;
        @Option(names = "--task", paramLabel = "DIR", required = true,
                description = "Run one config of a sweep folder: the one of $${SLURM_ARRAY_TASK_ID} (or --index) (one of --grid, --task, --collect is required).")
        Path task;
        @Option(names = "--collect", paramLabel = "DIR", required = true, description = "Summarise the runs under DIR (one of --grid, --task, --collect is required).")
        Path collect;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    @Option(names = "--out", paramLabel = "DIR", description = "Sweep folder (default: sweeps/<name>_<date>_<time>).")
    Path out;

    @Option(names = "--data", paramLabel = "FILE", description = "Dataset for every config, overriding 'data:' in the YAML (default: the YAML's).")
    Path data;

    @Option(names = "--slurm", description = "Write an sbatch array script (one task per config) instead of training (default: ${DEFAULT-VALUE}).")
    boolean slurm;

    @Option(names = "--partition", description = "SLURM partition (default: the cluster's).")
    String partition;

    @Option(names = "--time", defaultValue = "08:00:00", description = "Wall-time limit per task (default: ${DEFAULT-VALUE}).")
    String time;

    @Option(names = "--cpus", defaultValue = "8", description = "CPUs per task (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--mem", defaultValue = "32G", description = "Memory per task (default: ${DEFAULT-VALUE}).")
    String mem;

    @Option(names = "--gpus", defaultValue = "1", description = "GPUs per task, 0 for none (default: ${DEFAULT-VALUE}).")
    int gpus;

    @Option(names = "--max-parallel", defaultValue = "0", description = "Most tasks running at once, 0 for no limit (default: ${DEFAULT-VALUE}).")
    int maxParallel;

    @Option(names = "--launcher", paramLabel = "CMD",
            description = "Command that runs scanline on the cluster (default: this checkout's ./scanline).")
    String launcher;

    @Option(names = "--index", paramLabel = "N", description = "With --task: run config N instead of $${SLURM_ARRAY_TASK_ID} (default: that variable).")
    Integer index;

    @Option(names = "--json", description = "Print the summary table as JSON (default: ${DEFAULT-VALUE}).")
    boolean json;

    @Option(names = "--csv", description = "Print the summary table as CSV (default: ${DEFAULT-VALUE}).")
    boolean csv;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write the summary's figures here (default: none).")
    Path plots;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The environment; a field so tests can hand a task its SLURM variables. */
    Map<String, String> env = System.getenv();

    /** Opens a training session; a field so tests can train with a fake backend. */
    java.util.function.Function<TrainingConfig, TrainingSession> sessions = TrainingSession::create;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (mode.collect != null) {
            summarise(Sweep.collect(mode.collect), w);
            return 0;
        }
        if (mode.task != null) {
            int i = index != null ? index : Sweep.taskIndex(env);
            TrainingConfig c = withData(Sweep.taskConfig(mode.task, i));
            w.println("sweep task " + i + ": training " + mode.task.resolve("configs") + " config " + i);
            w.flush();
            Path run = train(c, new HashMap<>());
            w.println("run folder: " + run);
            w.print(RunAnalysis.of(RunResults.read(run)).report());
            w.flush();
            return 0;
        }
        SweepSpec s = SweepSpec.read(mode.grid);
        Path dir = out != null ? out
                : Path.of("sweeps", s.name().replaceAll("[^A-Za-z0-9_.-]", "_") + "_"
                        + DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").format(LocalDateTime.now()));
        // a task runs in the sweep folder, so a relative dataset path must not stay relative
        s = new SweepSpec(s.name(), s.configs().stream().map(this::withData).map(SweepCommand::absoluteData).toList(),
                s.varied());
        if (slurm) {
            Sweep.Slurm resources = new Sweep.Slurm(partition, time, cpus, mem, gpus, maxParallel);
            Path script = Sweep.writeSlurm(s, dir, resources, launcher != null ? launcher : defaultLauncher());
            w.println("wrote " + script + " (" + s.configs().size() + " array tasks; configs in " + dir.resolve("configs") + ")");
            w.println("submit with:   sbatch " + script);
            w.println("summarise with: scanline sweep --collect " + dir);
            w.flush();
            return 0;
        }
        Map<Path, ScanDataset> cache = new HashMap<>();
        Sweep.Result r = Sweep.runLocal(s, dir, c -> train(withData(c), cache));
        r.failures().forEach(f -> w.println("failed: " + f));
        if (!r.runs().isEmpty()) {
            summarise(Sweep.collect(dir), w);
        }
        w.flush();
        return r.failures().isEmpty() ? 0 : 1;
    }

    private TrainingConfig withData(TrainingConfig c) {
        if (data != null) {
            return c.toBuilder().dataPath(data.toString()).build();
        }
        return c;
    }

    private static TrainingConfig absoluteData(TrainingConfig c) {
        if (c.dataPath() == null || c.dataPath().isBlank()) {
            return c;
        }
        return c.toBuilder().dataPath(Path.of(c.dataPath()).toAbsolutePath().normalize().toString()).build();
    }

    private Path train(TrainingConfig c, Map<Path, ScanDataset> cache) {
        if (c.dataPath() == null || c.dataPath().isBlank()) {
            throw new BadConfigException("no dataset for the sweep: give --data FILE or 'data:' in the sweep YAML");
        }
        ScanDataset ds = cache.computeIfAbsent(Path.of(c.dataPath()), Datasets::read);
        try (TrainedModel m = sessions.apply(c).fit(ds)) {
            return m.runDirectory();
        }
    }

    private void summarise(List<RunResults> runs, PrintWriter w) {
        RunComparison c = RunComparison.of(runs);
        w.print(json ? c.toJson() + "\n" : csv ? c.toCsv() : c.table());
        if (plots != null) {
            AnalyzeCommand.writePlots(runs, plots, w);
        }
        w.flush();
    }

    private static String defaultLauncher() {
        Path here = Path.of("scanline").toAbsolutePath();
        return Files.isExecutable(here) ? here.toString() : "scanline";
    }
}
