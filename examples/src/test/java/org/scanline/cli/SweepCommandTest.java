package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.ScanDataset;
import org.scanline.dataset.Datasets;
import org.scanline.train.TrainingSession;

class SweepCommandTest {
    @TempDir
    Path tmp;

    private Path data;
    private Path yaml;

    @BeforeEach
    void setUp() throws Exception {
        FakeTrainingBackend.SEEN.clear();
        FakeTrainingBackend.DATA_SIZES.clear();
        int n = 8;
        ScanDataset ds = new ScanDataset("tiny", new float[n * 4 * 3], n, 4, 3, new int[] {0, 1, 2, 3, 0, 1, 2, 3},
                List.of("a", "b", "c", "d"));
        data = tmp.resolve("tiny.npz");
        Datasets.writeNpz(ds, data, false);
        yaml = tmp.resolve("sweep.yaml");
        Files.writeString(yaml, "name: depth\nbase: {epochs: 6}\ngrid:\n  numLayers: [4, 6, 8]\n");
    }

    /** The real command line with the sweep command training on the fake backend. */
    private static CliRunner run(Map<String, String> env, String... args) {
        return CliRunner.run(cl -> {
            SweepCommand sweep = (SweepCommand) cl.getSubcommands().get("sweep").getCommand();
            sweep.sessions = c -> TrainingSession.create(c, new FakeTrainingBackend());
            if (env != null) {
                sweep.env = env;
            }
        }, args);
    }

    @Test
    void localSweepTrainsEveryConfigAndPrintsTheSummary() {
        Path out = tmp.resolve("sw");
        CliRunner r = run(null, "sweep", "--grid", yaml.toString(), "--data", data.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(4, 6, 8), FakeTrainingBackend.SEEN.stream().map(c -> c.numLayers()).toList());
        assertEquals(List.of(8, 8, 8), FakeTrainingBackend.DATA_SIZES);
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("run +numLayers +epochs.*"), r.out());
        assertTrue(lines[2].startsWith("fake_L8"), r.out());
        CliRunner collected = CliRunner.run("sweep", "--collect", out.toString(), "--json");
        assertTrue(collected.out().contains("\"run\" : \"fake_L8\""), collected.out());
    }

    @Test
    void slurmWritesTheScriptAndATaskTrainsTheConfigOfItsArrayIndex() throws Exception {
        Path out = tmp.resolve("sl");
        CliRunner w = run(null, "sweep", "--grid", yaml.toString(), "--data", data.toString(), "--out", out.toString(),
                "--slurm", "--partition", "gpu", "--time", "01:00:00", "--cpus", "4", "--mem", "16G", "--gpus", "1",
                "--launcher", "/opt/scanline");
        assertEquals(0, w.code(), w.err());
        assertTrue(FakeTrainingBackend.SEEN.isEmpty(), "--slurm trains nothing");
        String script = Files.readString(out.resolve("sweep.sbatch"));
        assertTrue(script.contains("#SBATCH --array=0-2\n") && script.contains("#SBATCH --partition=gpu\n"), script);
        assertTrue(script.contains("exec /opt/scanline sweep --task " + out.toAbsolutePath().normalize()), script);

        CliRunner task = run(Map.of("SLURM_ARRAY_TASK_ID", "1", "SLURM_JOB_ID", "4242"), "sweep", "--task", out.toString());
        assertEquals(0, task.code(), task.err());
        assertEquals(1, FakeTrainingBackend.SEEN.size());
        assertEquals(6, FakeTrainingBackend.SEEN.get(0).numLayers(), "task 1 is the second grid point");
        assertEquals(data.toAbsolutePath().normalize().toString(), FakeTrainingBackend.SEEN.get(0).dataPath());
        assertTrue(task.out().contains("Total epochs: 6"), task.out());

        CliRunner missing = run(Map.of(), "sweep", "--task", out.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("SLURM_ARRAY_TASK_ID is not set"), missing.err());
    }

    @Test
    void unknownKeyInTheSweepFileIsAnError() throws Exception {
        Files.writeString(yaml, "grid:\n  layers: [4, 6]\n");
        CliRunner r = CliRunner.run("sweep", "--grid", yaml.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown config key 'layers'"), r.err());
    }
}
