package org.scanline.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.Normalizer;
import org.scanline.train.TrainingConfig;

class SweepTest {
    @TempDir
    Path tmp;

    private static final String GRID = """
            name: lr x depth
            data: /data/processed.npz
            base:
              epochs: 3
              architecture: lrcn
            grid:
              learningRate: [1.0e-5, 1e-4, 0.001]
              numLayers: [4, 6]
            """;

    @Test
    void gridIsTheCartesianProductWithTheLastKeyFastest() {
        SweepSpec s = SweepSpec.parse(GRID, "sweep.yaml");
        assertEquals(6, s.configs().size());
        assertEquals("lr x depth", s.name());
        List<String> seen = new ArrayList<>();
        for (TrainingConfig c : s.configs()) {
            assertEquals(3, c.epochs());
            assertEquals(Architecture.LRCN, c.architecture());
            assertEquals("/data/processed.npz", c.dataPath());
            seen.add(c.learningRate() + "/" + c.numLayers());
        }
        assertEquals(List.of("1.0E-5/4", "1.0E-5/6", "1.0E-4/4", "1.0E-4/6", "0.001/4", "0.001/6"), seen);
        assertEquals("learningRate=1.0E-4 numLayers=6", s.label(3));
    }

    @Test
    void explicitListCoversTheSeedsAblations() {
        SweepSpec s = SweepSpec.parse("""
                configs:
                  - {classWeights: false}
                  - {normalizer: none}
                  - {dModel: 512, numHeads: 8}
                  - {windowLines: 40, architecture: lrcn}
                  - {dropout: 0.2, weightDecay: 0.01}
                """, "list.yaml");
        assertEquals(5, s.configs().size());
        assertEquals(false, s.configs().get(0).classWeights());
        assertEquals(Normalizer.NONE, s.configs().get(1).normalizer());
        assertEquals(512, s.configs().get(2).dModel());
        assertEquals(40, s.configs().get(3).windowLines());
        assertEquals(0.01, s.configs().get(4).weightDecay());
        assertEquals(TrainingConfig.defaults().learningRate(), s.configs().get(4).learningRate(), "defaults fill the rest");
    }

    @Test
    void theDocumentedSweepFilesParse() {
        Path docs = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (docs != null && !Files.isDirectory(docs.resolve("docs/sweeps"))) {
            docs = docs.getParent();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(docs != null, "docs/sweeps not found above the working directory");
        SweepSpec ablations = SweepSpec.read(docs.resolve("docs/sweeps/seed-ablations.yaml"));
        assertEquals(16, ablations.configs().size());
        assertEquals(TrainingConfig.builder().epochs(100).build(), ablations.configs().get(0));
        assertEquals(40, ablations.configs().get(15).windowLines());
        assertEquals(16, SweepSpec.read(docs.resolve("docs/sweeps/lr-depth-grid.yaml")).configs().size());
    }

    @Test
    void unknownKeysAndBadValuesAreErrorsNamingThem() {
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> SweepSpec.parse("grid:\n  learningrate: [1e-4]\n", "s.yaml"));
        assertTrue(e.getMessage().contains("unknown config key 'learningrate' in grid"), e.getMessage());
        e = assertThrows(BadConfigException.class, () -> SweepSpec.parse("base: {lr: 1}\ngrid: {epochs: [1]}\n", "s.yaml"));
        assertTrue(e.getMessage().contains("'lr' in base"), e.getMessage());
        e = assertThrows(BadConfigException.class, () -> SweepSpec.parse("configs:\n  - {foo: 1}\n", "s.yaml"));
        assertTrue(e.getMessage().contains("'foo' in configs[0]"), e.getMessage());
        e = assertThrows(BadConfigException.class, () -> SweepSpec.parse("grids: {epochs: [1]}\n", "s.yaml"));
        assertTrue(e.getMessage().contains("unknown top-level key 'grids'"), e.getMessage());
        e = assertThrows(BadConfigException.class, () -> SweepSpec.parse("name: x\n", "s.yaml"));
        assertTrue(e.getMessage().contains("neither"), e.getMessage());
        e = assertThrows(BadConfigException.class, () -> SweepSpec.parse("grid: {dModel: [128, 100]}\n", "s.yaml"));
        assertTrue(e.getMessage().contains("config 1 {dModel=100}") && e.getMessage().contains("divisible"), e.getMessage());
        e = assertThrows(BadConfigException.class, () -> SweepSpec.parse("grid: {epochs: 3}\n", "s.yaml"));
        assertTrue(e.getMessage().contains("non-empty list"), e.getMessage());
        e = assertThrows(BadConfigException.class,
                () -> SweepSpec.parse("base: {epochs: 3}\ngrid: {dModel: [64]}\nbase: {epochs: 30}\n", "s.yaml"));
        assertTrue(e.getMessage().contains("s.yaml") && e.getMessage().contains("base"), e.getMessage());
        e = assertThrows(BadConfigException.class, () -> SweepSpec.parse("grid: {dModel: [64, 32.5]}\n", "s.yaml"));
        assertTrue(e.getMessage().contains("config 1 {dModel=32.5}") && e.getMessage().contains("dModel"), e.getMessage());
    }

    @Test
    void slurmScriptHasOneArrayTaskPerConfigAndTheResources() throws Exception {
        SweepSpec s = SweepSpec.parse(GRID, "sweep.yaml");
        Path dir = tmp.resolve("sw");
        Path script = Sweep.writeSlurm(s, dir, new Sweep.Slurm("gpu", "02:30:00", 6, "24G", 1, 3), "/opt/scanline/scanline");
        String text = Files.readString(script);
        Path abs = dir.toAbsolutePath().normalize();
        assertTrue(text.startsWith("#!/bin/bash\n"), text);
        assertTrue(text.contains("#SBATCH --array=0-5%3\n"), text);
        assertTrue(text.contains("#SBATCH --job-name=scanline-lr_x_depth\n"), text);
        assertTrue(text.contains("#SBATCH --partition=gpu\n#SBATCH --time=02:30:00\n#SBATCH --cpus-per-task=6\n"
                + "#SBATCH --mem=24G\n#SBATCH --gpus=1\n"), text);
        assertTrue(text.contains("#SBATCH --output=" + abs.resolve("logs") + "/%A_%a.out\n"), text);
        assertTrue(text.contains("#   task 3: learningRate=1.0E-4 numLayers=6\n"), text);
        assertTrue(text.endsWith("exec /opt/scanline/scanline sweep --task " + abs + "\n"), text);
        assertTrue(Files.isDirectory(abs.resolve("logs")), "the --output folder exists before sbatch needs it");
        int firstCommand = text.indexOf("\nset -euo");
        assertTrue(text.lastIndexOf("#SBATCH") < firstCommand, "sbatch reads directives only before the first command");
        for (int i = 0; i < 6; i++) {
            TrainingConfig c = Sweep.taskConfig(dir, i);
            assertEquals(s.configs().get(i).toBuilder().runsDir(abs.resolve("runs").toString()).build(), c);
        }
        String cpuOnly = Files.readString(Sweep.writeSlurm(s, tmp.resolve("cpu"), new Sweep.Slurm(null, "1-00:00:00", 2, "8G", 0, 0), "scanline"));
        assertTrue(!cpuOnly.contains("--gpus") && !cpuOnly.contains("--partition") && cpuOnly.contains("--array=0-5\n"), cpuOnly);
        assertThrows(BadConfigException.class, () -> new Sweep.Slurm(null, "soon", 2, "8G", 0, 0));
        assertThrows(BadConfigException.class, () -> new Sweep.Slurm("gpu; rm -rf /", "01:00:00", 2, "8G", 0, 0));
    }

    @Test
    void aTaskPicksTheConfigOfItsArrayIndex() {
        SweepSpec s = SweepSpec.parse(GRID, "sweep.yaml");
        Path dir = tmp.resolve("sw");
        Sweep.writeConfigs(s, dir);
        int i = Sweep.taskIndex(Map.of(Sweep.TASK_VARIABLE, "4", "SLURM_JOB_ID", "77"));
        TrainingConfig c = Sweep.taskConfig(dir, i);
        assertEquals(0.001, c.learningRate());
        assertEquals(4, c.numLayers());
        assertThrows(BadConfigException.class, () -> Sweep.taskIndex(Map.of()));
        assertThrows(BadConfigException.class, () -> Sweep.taskIndex(Map.of(Sweep.TASK_VARIABLE, "x")));
        BadConfigException e = assertThrows(BadConfigException.class, () -> Sweep.taskConfig(dir, 6));
        assertTrue(e.getMessage().contains("has 6 configs, tasks 0..5"), e.getMessage());
    }

    @Test
    void localSweepTrainsEachConfigAndCollectsTheRunsIntoOneTable() throws Exception {
        SweepSpec s = SweepSpec.parse("configs:\n  - {numLayers: 4}\n  - {numLayers: 6}\n  - {numLayers: 99, dModel: 8, numHeads: 8}\n", "s.yaml");
        Path dir = tmp.resolve("local");
        List<TrainingConfig> trained = new ArrayList<>();
        Sweep.Result r = Sweep.runLocal(s, dir, c -> {
            trained.add(c);
            if (c.numLayers() == 99) {
                throw new BadConfigException("too deep");
            }
            try {
                // a fake trainer: deeper is better here
                return SyntheticRuns.write(Path.of(c.runsDir()).resolve("run_" + c.numLayers()), c, 5, 3, 0.1 * c.numLayers());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(3, trained.size());
        assertTrue(trained.stream().allMatch(c -> c.runsDir().equals(dir.toAbsolutePath().normalize().resolve("runs").toString())));
        assertEquals(2, r.runs().size());
        assertEquals(1, r.failures().size());
        assertTrue(r.failures().get(0).contains("config 2") && r.failures().get(0).contains("too deep"), r.failures().toString());
        RunComparison table = RunComparison.of(Sweep.collect(dir));
        assertEquals(List.of("run_6", "run_4"), table.rows().stream().map(RunComparison.Row::run).toList());
        assertEquals(List.of("numLayers"), table.differingKeys());
    }
}
