package org.scanline.analysis;

import org.scanline.io.AtomicOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.BadDataException;
import org.scanline.run.MetricsCsv;
import org.scanline.train.TrainingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link SweepSpec}: locally one config after another, or as a SLURM array job whose task
 * {@code i} trains config {@code i}. Either way the sweep folder holds {@code configs/NNN.json}
 * (the resolved configs, {@code runsDir} pointing at the sweep's {@code runs/}) and the run
 * folders under {@code runs/}; {@link #collect} reads every finished run back for the summary.
 *
 * <pre>{@code
 * SweepSpec spec = SweepSpec.read(Path.of("sweep.yaml"));
 * Path script = Sweep.writeSlurm(spec, Path.of("sweeps/lr"), Sweep.Slurm.defaults().withPartition("gpu"), "/opt/scanline/scanline");
 * // on the cluster: sbatch sweeps/lr/sweep.sbatch; each task runs `scanline sweep --task sweeps/lr`
 * RunComparison summary = RunComparison.of(Sweep.collect(Path.of("sweeps/lr")));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Sweep {
    /** The environment variable SLURM sets to the array index of a task. */
    public static final String TASK_VARIABLE = "SLURM_ARRAY_TASK_ID";
    /** File name of the generated batch script. */
    public static final String SCRIPT = "sweep.sbatch";

    private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);

    private Sweep() {
    }

    /**
     * Resources of each array task, written as {@code #SBATCH} lines.
     *
     * @param partition partition, or null to use the cluster's default
     * @param time wall-time limit ({@code HH:MM:SS} or {@code D-HH:MM:SS})
     * @param cpus CPUs per task
     * @param mem memory per task (e.g. {@code 32G})
     * @param gpus GPUs per task (0: none requested)
     * @param maxParallel most tasks running at once (0: no limit)
     */
    public record Slurm(String partition, String time, int cpus, String mem, int gpus, int maxParallel) {
        /** Validates the values. */
        public Slurm {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(mem, "mem");
            if (!time.matches("(\\d+-)?\\d{1,3}(:\\d{2}){0,2}")) {
                throw new BadConfigException("--time must look like HH:MM:SS or D-HH:MM:SS, found '" + time + "'");
            }
            if (!mem.matches("\\d+[KMGT]?")) {
                throw new BadConfigException("--mem must look like 32G or 16000M, found '" + mem + "'");
            }
            if (cpus <= 0 || gpus < 0 || maxParallel < 0) {
                throw new BadConfigException("--cpus must be positive and --gpus, --max-parallel not negative, found "
                        + cpus + ", " + gpus + ", " + maxParallel);
            }
            if (partition != null && !partition.matches("[A-Za-z0-9_.,-]+")) {
                throw new BadConfigException("--partition has characters SLURM does not accept: '" + partition + "'");
            }
        }

        /** @return 8 hours, 8 CPUs, 32G, one GPU, default partition, no parallel limit */
        public static Slurm defaults() {
            return new Slurm(null, "08:00:00", 8, "32G", 1, 0);
        }
    }

    /**
     * A finished local sweep.
     *
     * @param runs the run folders written, in config order (failed configs have none)
     * @param failures one line per config that failed
     */
    public record Result(List<Path> runs, List<String> failures) {
    }

    /**
     * Writes {@code configs/000.json}… with {@code runsDir} set to the sweep's {@code runs/} folder.
     *
     * @param spec the sweep
     * @param dir the sweep folder
     * @return the config files, in order
     */
    public static List<Path> writeConfigs(SweepSpec spec, Path dir) {
        Path runs = dir.toAbsolutePath().normalize().resolve("runs");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < spec.configs().size(); i++) {
            TrainingConfig c = spec.configs().get(i).toBuilder().runsDir(runs.toString()).build();
            Path f = configFile(dir, i);
            AtomicOutput.writeText(f, w -> w.write(c.toJson()));
            files.add(f);
        }
        return files;
    }

    private static Path configFile(Path dir, int i) {
        return dir.resolve("configs").resolve(String.format(Locale.ROOT, "%03d.json", i));
    }

    /**
     * Trains every config, one after another. A config that fails is logged and skipped so the
     * others still run.
     *
     * @param spec the sweep
     * @param dir the sweep folder
     * @param trainer trains one config and returns its run folder (the CLI wraps {@code TrainingSession})
     * @return the run folders and failures
     */
    public static Result runLocal(SweepSpec spec, Path dir, Function<TrainingConfig, Path> trainer) {
        List<Path> files = writeConfigs(spec, dir);
        List<Path> runs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            TrainingConfig c = readConfig(files.get(i));
            LOG.info("sweep config {}/{}: {}", i + 1, files.size(), spec.label(i));
            try {
                runs.add(trainer.apply(c));
            } catch (RuntimeException e) {
                String msg = "config " + i + " (" + spec.label(i) + "): " + e.getMessage();
                LOG.error("sweep {}", msg);
                LOG.debug("sweep failure", e);
                failures.add(msg);
            }
        }
        return new Result(List.copyOf(runs), List.copyOf(failures));
    }

    /**
     * Writes the configs and an sbatch array script (one task per config) without submitting it.
     *
     * @param spec the sweep
     * @param dir the sweep folder
     * @param slurm resources per task
     * @param launcher the command that runs scanline on the cluster (e.g. the absolute path of {@code ./scanline})
     * @return the script's path
     */
    public static Path writeSlurm(SweepSpec spec, Path dir, Slurm slurm, String launcher) {
        writeConfigs(spec, dir);
        Path abs = dir.toAbsolutePath().normalize();
        int n = spec.configs().size();
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("# Generated by `scanline sweep --slurm`: ").append(n).append(" configs in configs/000.json..")
                .append(String.format(Locale.ROOT, "%03d", n - 1)).append(".json, one array task each.\n");
        s.append("# Submit with: sbatch ").append(abs.resolve(SCRIPT)).append('\n');
        s.append("# Summarise with: scanline sweep --collect ").append(abs).append('\n');
        for (int i = 0; i < n; i++) {
            s.append("#   task ").append(i).append(": ").append(spec.label(i)).append('\n');
        }
        s.append("#SBATCH --job-name=scanline-").append(spec.name().replaceAll("[^A-Za-z0-9_.-]", "_")).append('\n');
        s.append("#SBATCH --array=0-").append(n - 1).append(slurm.maxParallel() > 0 ? "%" + slurm.maxParallel() : "").append('\n');
        s.append("#SBATCH --output=").append(abs.resolve("logs")).append("/%A_%a.out\n");
        if (slurm.partition() != null) {
            s.append("#SBATCH --partition=").append(slurm.partition()).append('\n');
        }
        s.append("#SBATCH --time=").append(slurm.time()).append('\n');
        s.append("#SBATCH --cpus-per-task=").append(slurm.cpus()).append('\n');
        s.append("#SBATCH --mem=").append(slurm.mem()).append('\n');
        if (slurm.gpus() > 0) {
            s.append("#SBATCH --gpus=").append(slurm.gpus()).append('\n');
        }
        s.append("set -euo pipefail\n");
        s.append("mkdir -p ").append(quote(abs.resolve("logs").toString())).append('\n');
        s.append("cd ").append(quote(abs.toString())).append('\n');
        s.append("# The run folder is named runs/<date>_<time>_j${SLURM_JOB_ID}_${SLURM_ARRAY_TASK_ID}.\n");
        s.append("exec ").append(launcher).append(" sweep --task ").append(quote(abs.toString())).append('\n');
        try {
            // SLURM opens --output before the script runs and does not create its folder
            Files.createDirectories(abs.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + abs.resolve("logs") + ": " + e.getMessage(), e);
        }
        Path script = abs.resolve(SCRIPT);
        AtomicOutput.writeText(script, w -> w.write(s.toString()));
        try {
            script.toFile().setExecutable(true);
        } catch (SecurityException ignored) {
            // sbatch does not need the executable bit; it only helps people run it by hand
        }
        return script;
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * @param env the environment
     * @return the array index SLURM gave this task
     * @throws BadConfigException if {@value #TASK_VARIABLE} is unset or not a non-negative integer
     */
    public static int taskIndex(Map<String, String> env) {
        String v = env.get(TASK_VARIABLE);
        if (v == null || v.isBlank()) {
            throw new BadConfigException(TASK_VARIABLE + " is not set: `sweep --task DIR` runs inside a SLURM array "
                    + "task; give the index explicitly with --index N to run one config by hand");
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < 0) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new BadConfigException(TASK_VARIABLE + " must be a non-negative integer, found '" + v + "'");
        }
    }

    /**
     * @param dir a sweep folder written by {@link #writeConfigs} or {@link #writeSlurm}
     * @param index the task index
     * @return that task's config
     * @throws BadConfigException if there is no such config
     */
    public static TrainingConfig taskConfig(Path dir, int index) {
        Path f = configFile(dir, index);
        if (!Files.isRegularFile(f)) {
            long count = countConfigs(dir);
            throw new BadConfigException(f + ": no config for task " + index + " (the sweep in " + dir + " has "
                    + count + " configs, tasks 0.." + (count - 1) + ")");
        }
        return readConfig(f);
    }

    private static long countConfigs(Path dir) {
        try (Stream<Path> s = Files.list(dir.resolve("configs"))) {
            return s.filter(p -> p.getFileName().toString().matches("\\d{3,}\\.json")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static TrainingConfig readConfig(Path f) {
        try {
            return TrainingConfig.fromJson(Files.readString(f));
        } catch (NoSuchFileException e) {
            throw new BadConfigException(f + ": no such config");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        } catch (BadConfigException e) {
            throw new BadConfigException(f + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every run folder (a folder holding {@code metrics.csv}) under {@code dir}, at any depth, in
     * name order; folders without a finished epoch are skipped.
     *
     * @param dir a sweep folder or any folder of runs
     * @return the runs
     * @throws BadDataException if none is found
     */
    public static List<RunResults> collect(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadDataException(dir + ": no such folder");
        }
        List<RunResults> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir, 6)) {
            for (Path csv : s.filter(p -> p.getFileName().toString().equals(MetricsCsv.FILE_NAME)).sorted().toList()) {
                RunResults r = RunResults.read(csv.getParent());
                if (!r.split("valid").isEmpty()) {
                    out.add(r);
                } else {
                    LOG.warn("{}: no validation epoch yet, left out", csv.getParent());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new BadDataException(dir + ": no finished runs (no metrics.csv with a valid row) found");
        }
        return out;
    }
}
