package org.scanline.backend;

import org.scanline.run.Checkpoint;
import org.scanline.run.LoadedModel;
import org.scanline.run.RunSplits;
import org.scanline.run.RunFolder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.Normalizer;
import org.scanline.simulate.SimulatedDataset;
import org.scanline.simulate.Simulator;
import org.scanline.train.EpochMetrics;
import org.scanline.train.SimulationConfig;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;
import org.scanline.train.TrainingSession;

class SimulatedTrainingTest {
    @TempDir
    Path runs;

    static final SimulationConfig SIM = new SimulationConfig(24, 32, 1.0, 11, 12, 8, 3, true);

    static TrainingConfig config(Path dir, int epochs) {
        return TrainingConfig.builder().architecture(Architecture.CAUSAL).maxLines(24).minLines(24).dModel(16)
                .numHeads(2).numLayers(1).ffnDim(16).convChannels(List.of(4, 8)).batchSize(4).epochs(epochs)
                .learningRate(3e-3).warmupEpochs(0).threads(1).simulation(SIM).lineStateWeight(0.5)
                .spectrumTokens(true).runsDir(dir.toString()).build();
    }

    @Test
    void everyEpochHoldsFreshScansThatReplayExactly() {
        SimulatedTrainingData data = SimulatedTrainingData.of(config(runs, 2));
        TrainingData.Epoch one = data.epoch(1);
        TrainingData.Epoch two = data.epoch(2);
        assertEquals(SIM.stepsPerEpoch() * 4, one.scans().count());
        assertFalse(java.util.Arrays.equals(one.scans().images(), two.scans().images()), "epochs must not repeat scans");
        assertArrayEquals(two.scans().images(), data.epoch(2).scans().images(), "an epoch replays exactly");
        // Epoch 2 starts where epoch 1 ended in the training seed's sequence, with true labels.
        SimulatedDataset raw = new Simulator(RunSplits.simulatorConfig(SIM)).generate(SIM.seed(), 12, 12, 1, null);
        assertArrayEquals(raw.labelsTrue(), two.scans().labels());
        assertArrayEquals(raw.lineStates(), two.lineStates());
        SimulatedDataset valid = new Simulator(RunSplits.simulatorConfig(SIM)).generate(SIM.validSeed(), 0, 8, 1, null);
        assertArrayEquals(valid.lineStates(), data.validLineStates());
        float[] normalised = valid.dataset().images().clone();
        Normalizer.PER_LINE.normalizeScans(normalised, 8L * 24, 32);
        assertArrayEquals(normalised, data.valid().images());
    }

    @Test
    void trainingOnTheSimulatorWritesARunWithTheTipStateHeadAndResumesExactly() throws IOException {
        List<EpochMetrics> full;
        try (TrainedModel m = TrainingSession.create(config(runs.resolve("a"), 2)).fitOnSimulator()) {
            full = m.history();
            assertEquals(4, full.size());
            assertTrue(full.stream().allMatch(e -> Double.isFinite(e.loss())), full.toString());
            try (LoadedModel loaded = RunFolder.open(m.runDirectory()).loadModel(Checkpoint.BEST)) {
                assertTrue(loaded.model().parameters().containsKey("line_head.weight"));
                assertTrue(loaded.model().parameters().containsKey("tokenizer.spectrum.weight"));
                assertEquals(4, loaded.model().lineStates());
            }
        }
        TrainingListener crashAfter1 = new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext ctx, EpochMetrics train, EpochMetrics valid) {
                if (ctx.epoch() == 1) {
                    throw new ResumeTest.Crash();
                }
            }
        };
        assertThrows(ResumeTest.Crash.class,
                () -> new DjlTrainingBackend(List.of(crashAfter1)).fitOnSimulator(config(runs.resolve("b"), 2)));
        Path dir;
        try (Stream<Path> s = Files.list(runs.resolve("b"))) {
            dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        try (TrainedModel m = new DjlTrainingBackend().resumeOnSimulator(dir)) {
            assertEquals(withoutTime(full), withoutTime(m.history()));
        }
    }

    @Test
    void aDatasetRunCannotResumeOnTheSimulatorNorTheOtherWayRound() throws IOException {
        Path dir;
        try (TrainedModel m = TrainingSession.create(config(runs, 1)).fitOnSimulator()) {
            dir = m.runDirectory();
        }
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> new DjlTrainingBackend().resume(dir, TinyScans.make(2, 1)));
        assertTrue(e.getMessage().contains("simulator"), e.getMessage());
    }

    @Test
    void validationScansMustComeFromAnotherSeed() {
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> new SimulationConfig(24, 32, 1.0, 5, 5, 8, 3, true));
        assertTrue(e.getMessage().contains("validSeed"), e.getMessage());
    }

    private static List<EpochMetrics> withoutTime(List<EpochMetrics> h) {
        return h.stream().map(m -> new EpochMetrics(m.epoch(), m.split(), m.loss(), m.accuracy(), m.balancedAccuracy(),
                m.auroc(), m.lr(), 0)).toList();
    }
}
