package org.scanline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scanline.Architecture;
import org.scanline.ScanDataset;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;
import org.scanline.train.TrainingSession;

class TrainingLoopTest {
    @TempDir
    Path runs;

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void lossFallsAndATinySetIsFitted(Architecture a) {
        ScanDataset data = TinyScans.make(6, 1);
        TrainingConfig config = TinyScans.config(a, runs).epochs(20).samplesPerScan(6).learningRate(5e-3).minLines(8).build();
        try (TrainedModel m = new DjlTrainingBackend().fit(config, data)) {
            List<EpochMetrics> train = m.history().stream().filter(e -> e.split().equals("train")).toList();
            assertTrue(train.get(train.size() - 1).loss() < 0.5 * train.get(0).loss(), "loss must fall: " + train);
            EpochMetrics best = m.bestValidation().orElseThrow();
            assertEquals(1.0, best.accuracy(), a + " validation: " + best);
            assertEquals(1.0, train.get(train.size() - 1).accuracy(), a + " train: " + train.get(train.size() - 1));
        }
    }

    @Test
    void trainingSessionFindsTheDjlBackend() {
        TrainingSession s = TrainingSession.create(TrainingConfig.defaults());
        assertEquals("djl", s.backendName());
    }

    @Test
    void linesTooFlatToNormaliseAreRefusedInsteadOfTrainingOnZeros() {
        // Heights in metres are scaled by the per-line Normalizer (flatness is relative to the
        // line's magnitude); what it only centres is a large offset with tiny variation.
        ScanDataset cm = TinyScans.make(4, 1);
        float[] flat = cm.images().clone();
        for (int i = 0; i < flat.length; i++) {
            flat[i] = 1000f + flat[i] * 1e-7f;
        }
        ScanDataset data = new ScanDataset("flat", flat, cm.count(), cm.lines(), cm.pixels(), cm.labels(), cm.classNames());
        org.scanline.BadDataException e = org.junit.jupiter.api.Assertions.assertThrows(org.scanline.BadDataException.class,
                () -> new DjlTrainingBackend().fit(TinyScans.config(Architecture.CAUSAL, runs).build(), data));
        assertTrue(e.getMessage().contains("only centred"), e.getMessage());
        assertTrue(!Files.exists(runs) || runs.toFile().list().length == 0, "no run folder for data that cannot be trained on");
    }
}
