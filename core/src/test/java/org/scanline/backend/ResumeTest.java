package org.scanline.backend;

import org.scanline.run.CheckpointFile;
import org.scanline.run.Checkpoint;
import org.scanline.run.RunFolder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.BadDataException;
import org.scanline.BadModelException;
import org.scanline.ScanDataset;
import org.scanline.io.AtomicOutput;
import org.scanline.model.Weight;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;

class ResumeTest {
    @TempDir
    Path runs;

    /** Augmentation, dropout and the plateau schedule all on, so that every random stream matters. */
    private TrainingConfig config(Path dir, long seed) {
        return TinyScans.config(Architecture.CAUSAL, dir).epochs(5).dropout(0.1).flipProbability(0.5).noiseStd(0.1)
                .lineDropout(0.1).samplesPerScan(2).warmupEpochs(1).plateauPatience(0).seed(seed).build();
    }

    /** A crash right after the checkpoints of an epoch were written. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("simulated kill");
        }
    }

    private static List<EpochMetrics> withoutTime(List<EpochMetrics> h) {
        return h.stream().map(m -> new EpochMetrics(m.epoch(), m.split(), m.loss(), m.accuracy(), m.balancedAccuracy(),
                m.auroc(), m.lr(), 0)).toList();
    }

    private static Path runIn(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void resumeAfterAnInterruptionEndsLikeAnUninterruptedRun() throws IOException {
        ScanDataset data = TinyScans.make(6, 2);
        List<EpochMetrics> full;
        Path fullDir;
        try (TrainedModel m = new DjlTrainingBackend().fit(config(runs.resolve("a"), 5), data)) {
            full = m.history();
            fullDir = m.runDirectory();
        }
        TrainingListener killAfter2 = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext ctx, EpochMetrics train, EpochMetrics valid) {
                if (ctx.epoch() == 2) {
                    throw new Crash();
                }
            }
        };
        assertThrows(Crash.class, () -> new DjlTrainingBackend(List.of(killAfter2)).fit(config(runs.resolve("b"), 5), data));
        Path dir = runIn(runs.resolve("b"));
        // What a SIGKILL in epoch 3 can leave: a half-written temporary checkpoint and a metrics row of an epoch
        // that never reached its last checkpoint.
        Files.writeString(dir.resolve("checkpoints").resolve(".last.ckpt" + AtomicOutput.TEMP_MARK + "1-2"), "half");
        Files.writeString(dir.resolve("metrics.csv"), "3,train,1,1,1,1,1,1\n", StandardOpenOption.APPEND);
        assertThrows(BadDataException.class, () -> new DjlTrainingBackend().resume(dir, TinyScans.make(6, 3)));
        try (TrainedModel m = new DjlTrainingBackend().resume(dir, data)) {
            assertEquals(withoutTime(full), withoutTime(m.history()));
        }
        assertEquals(withoutTime(full), withoutTime(RunFolder.open(dir).readMetrics()));
        for (Checkpoint c : Checkpoint.values()) {
            Map<String, Weight> a = CheckpointFile.read(RunFolder.open(fullDir).checkpoint(c)).tensors();
            Map<String, Weight> b = CheckpointFile.read(RunFolder.open(dir).checkpoint(c)).tensors();
            assertEquals(a.keySet(), b.keySet());
            a.forEach((k, w) -> assertArrayEquals(w.data(), b.get(k).data(), 0f, c + " " + k));
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(AtomicOutput.TEMP_MARK)), "stray temp files removed");
        }
    }

    @Test
    void theSameSeedGivesIdenticalMetricsTwiceAndAnotherSeedDoesNot() {
        ScanDataset data = TinyScans.make(4, 4);
        List<List<EpochMetrics>> runsBySeed = new java.util.ArrayList<>();
        for (long seed : new long[] {9, 9, 10}) {
            try (TrainedModel m = new DjlTrainingBackend().fit(config(runs, seed).toBuilder().epochs(2).build(), data)) {
                runsBySeed.add(withoutTime(m.history()));
            }
        }
        assertEquals(runsBySeed.get(0), runsBySeed.get(1));
        assertNotEquals(runsBySeed.get(0), runsBySeed.get(2));
    }

    @Test
    void aDamagedCheckpointIsRefusedNamingTheFile() throws IOException {
        ScanDataset data = TinyScans.make(3, 5);
        Path dir;
        try (TrainedModel m = new DjlTrainingBackend().fit(config(runs, 1).toBuilder().epochs(1).build(), data)) {
            dir = m.runDirectory();
        }
        Path best = RunFolder.open(dir).checkpoint(Checkpoint.BEST);
        byte[] bytes = Files.readAllBytes(best);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(best, bytes);
        BadModelException e = assertThrows(BadModelException.class, () -> RunFolder.open(dir).loadModel(Checkpoint.BEST));
        assertTrue(e.getMessage().contains(best.toString()), e.getMessage());
        Files.write(best, java.util.Arrays.copyOf(bytes, 100));
        assertThrows(BadModelException.class, () -> RunFolder.open(dir).loadModel(Checkpoint.BEST));
        Files.writeString(dir.resolve("config.json"), "{}", StandardCharsets.UTF_8);
        assertThrows(BadModelException.class, () -> RunFolder.open(dir));
    }
}
