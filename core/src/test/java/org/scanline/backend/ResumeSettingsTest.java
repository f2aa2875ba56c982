package org.scanline.backend;

import org.scanline.run.Provenance;
import org.scanline.run.RunFolder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.train.TrainingConfig;

/**
 * {@link ConfigResolver#resolveForResume}: {@code --resume} used to drop every other flag, environment
 * variable and config file without a word. Now a setting that differs from the run's is refused,
 * naming the setting, both values and the source; raising {@code epochs} extends the run.
 */
class ResumeSettingsTest {
    static final Path RUN = Path.of("runs/20261201_120000");
    static final TrainingConfig STORED = TrainingConfig.builder().architecture(Architecture.CAUSAL).epochs(10)
            .learningRate(1e-3).batchSize(32).dModel(32).numHeads(2).seed(7).threads(1).device("cpu")
            .dataPath("data/train.npz").runsDir("runs").build();

    @TempDir
    Path dir;

    static ConfigResolver.Resume resume(Path file, Map<String, String> env, Map<String, String> flags) {
        return ConfigResolver.resolveForResume(RUN, STORED, file, env, flags);
    }

    @Test
    void nothingGivenOrTheSameValuesResumeAsStored() {
        ConfigResolver.Resume r = resume(null, Map.of("SEED", "7"), Map.of("dModel", "32", "learningRate", "0.001",
                "architecture", "causal"));
        assertEquals(STORED, r.config());
        assertEquals(Map.of(), r.changes());
        assertEquals(Optional.empty(), r.dataPath());
    }

    @Test
    void everyConflictIsNamedWithBothValuesAndItsSource() throws IOException {
        Path file = Files.writeString(dir.resolve("c.yaml"), "numHeads: 4\nseed: 7\n");
        BadConfigException e = assertThrows(BadConfigException.class, () -> resume(file, Map.of("BATCH_SIZE", "64"),
                Map.of("learningRate", "0.002", "epochs", "5", "runsDir", "elsewhere")));
        String m = e.getMessage();
        assertTrue(m.startsWith(RUN + ": "), m);
        assertTrue(m.contains("learningRate: the run has 0.001, the command line asks for 0.002"), m);
        assertTrue(m.contains("batchSize: the run has 32, environment variable BATCH_SIZE asks for 64"), m);
        assertTrue(m.contains("numHeads: the run has 2, config file " + file + " asks for 4"), m);
        assertTrue(m.contains("epochs: the run has 10, the command line asks for 5 (epochs can only be raised"), m);
        assertTrue(m.contains("runsDir: the run has \"runs\", the command line asks for \"elsewhere\""), m);
        assertFalse(m.contains("seed"), m);
    }

    @Test
    void laterSourcesWinAsInANewRun() {
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> resume(null, Map.of("LEARNING_RATE", "0.002"), Map.of("learningRate", "0.003")));
        assertTrue(e.getMessage().contains("the command line asks for 0.003"), e.getMessage());
        assertEquals(STORED, resume(null, Map.of("LEARNING_RATE", "0.002"), Map.of("learningRate", "0.001")).config());
    }

    @Test
    void raisingEpochsExtendsTheRunAndThreadsDeviceAndDataMayChange() {
        ConfigResolver.Resume r = resume(null, Map.of("NUM_EPOCHS", "20"),
                Map.of("threads", "2", "dataPath", "/mnt/copy/train.npz"));
        assertEquals(20, r.config().epochs());
        assertEquals(2, r.config().threads());
        assertEquals(STORED.toBuilder().epochs(20).threads(2).build(), r.config());
        assertEquals(Map.of("epochs", List.of(10L, 20L), "threads", List.of(1, 2)), r.changes());
        assertEquals(Optional.of("/mnt/copy/train.npz"), r.dataPath());
        assertEquals("data/train.npz", r.config().dataPath(), "the run keeps the path it recorded");
    }

    @Test
    void aBadValueNamesItsSource() {
        BadConfigException e = assertThrows(BadConfigException.class, () -> resume(null, Map.of(),
                Map.of("epochs", "many")));
        assertTrue(e.getMessage().contains("flag epochs") && e.getMessage().contains("many"), e.getMessage());
    }

    @Test
    void amendingARunRecordsTheChangeInConfigJson() throws IOException {
        Path runs = dir.resolve("runs");
        RunFolder run = RunFolder.create(STORED.toBuilder().runsDir(runs.toString()).build(),
                Provenance.ofDataset(STORED, TrainingLoop.BACKEND, TinyScans.make(2, 1), "hash"), LocalDateTime.of(2026, 12, 1, 12, 0),
                Map.of());
        ConfigResolver.Resume r = ConfigResolver.resolveForResume(run.directory(), run.config(), null, Map.of(),
                Map.of("epochs", "12"));
        RunFolder amended = run.amend(r.config(), r.changes(), LocalDateTime.of(2026, 12, 2, 8, 30));
        assertEquals(12, amended.config().epochs());
        RunFolder reopened = RunFolder.open(run.directory());
        assertEquals(12, reopened.config().epochs());
        assertEquals("{\"at\":\"2026-12-02T08:30\",\"changes\":{\"epochs\":[10,12]}}",
                reopened.info().get("amendments").get(0).toString());
    }
}
