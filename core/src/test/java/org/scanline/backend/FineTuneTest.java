package org.scanline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.ScanDataset;
import org.scanline.model.ModelFixtures;
import org.scanline.simulate.SimulatedDataset;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.SimulatorConfig;
import org.scanline.train.EpochMetrics;
import org.scanline.train.SimulationConfig;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;
import org.scanline.train.TrainingSession;

/**
 * The path from the simulator to a user's microscope, in miniature: a model pretrained on simulated
 * scans, fine-tuned on a small labelled set of another difficulty, beats the same model trained from
 * scratch on that set for the same number of steps.
 */
class FineTuneTest {
    @TempDir
    static Path runs;
    static Path pretrained;

    static final int LINES = 24;
    static final int PIXELS = 32;

    static TrainingConfig.Builder base() {
        return TrainingConfig.builder().architecture(Architecture.CAUSAL).maxLines(LINES).minLines(LINES).dModel(24)
                .numHeads(2).numLayers(1).ffnDim(32).convChannels(List.of(8, 16)).batchSize(16).learningRate(3e-3)
                .warmupEpochs(0).dropout(0).earlyStoppingPatience(0).lineStateWeight(0.5).spectrumTokens(true)
                .threads(1).device("cpu");
    }

    @BeforeAll
    static void pretrain() {
        SimulationConfig sim = new SimulationConfig(LINES, PIXELS, 0.5, 21, 22, 64, 25, true);
        TrainingConfig config = base().epochs(6).simulation(sim).runsDir(runs.resolve("pre").toString()).build();
        try (TrainedModel m = TrainingSession.create(config).fitOnSimulator()) {
            pretrained = m.runDirectory();
        }
    }

    /** A small labelled set at another difficulty, as a user's own scans would be. */
    static ScanDataset userScans() {
        SimulatedDataset d = new Simulator(SimulatorConfig.builder().lines(LINES).pixels(PIXELS).difficulty(1.5)
                .labelNoise(0).build()).generate(77, 0, 96, 1, null);
        return d.dataset();
    }

    static double bestValidationLoss(TrainedModel m) {
        return m.bestValidation().map(EpochMetrics::loss).orElseThrow();
    }

    @Test
    void fineTuningBeatsTrainingFromScratchAtTheSameNumberOfSteps() {
        ScanDataset data = userScans();
        TrainingConfig scratch = base().epochs(4).trainRatio(0.5).valRatio(0.5).runsDir(runs.resolve("scratch").toString())
                .build();
        TrainingConfig tuned = InitialWeights.adopt(scratch.toBuilder().initFrom(pretrained.toString())
                .runsDir(runs.resolve("tuned").toString()).build(), PIXELS);
        double fromScratch;
        double fineTuned;
        try (TrainedModel m = TrainingSession.create(scratch).fit(data)) {
            fromScratch = bestValidationLoss(m);
        }
        try (TrainedModel m = TrainingSession.create(tuned).fit(data)) {
            fineTuned = bestValidationLoss(m);
        }
        assertTrue(fineTuned < fromScratch, "fine-tuned " + fineTuned + " vs from scratch " + fromScratch);
    }

    @Test
    void anotherArchitectureOrPixelCountIsAClearError() {
        TrainingConfig lrcn = base().architecture(Architecture.LRCN).lineStateWeight(0).spectrumTokens(false)
                .initFrom(pretrained.toString()).build();
        BadConfigException e = assertThrows(BadConfigException.class, () -> InitialWeights.adopt(lrcn, PIXELS));
        assertTrue(e.getMessage().contains("causal") && e.getMessage().contains("lrcn"), e.getMessage());
        TrainingConfig causal = base().initFrom(pretrained.toString()).build();
        e = assertThrows(BadConfigException.class, () -> InitialWeights.adopt(causal, 64));
        assertTrue(e.getMessage().contains("32") && e.getMessage().contains("64"), e.getMessage());
    }

    /**
     * Widening: a source without line differences starts a model with them, and that model computes
     * exactly the source's outputs until training moves the new (zero) weights.
     */
    @Test
    void aModelThatAddsLineDifferencesStartsAsItsSource() {
        TrainingConfig plain = InitialWeights.adopt(base().initFrom(pretrained.toString()).build(), PIXELS);
        TrainingConfig wide = InitialWeights.adopt(base().lineDifference(true).initFrom(pretrained.toString()).build(),
                PIXELS);
        assertTrue(wide.lineDifference());
        float[] x = ModelFixtures.gaussian(2 * LINES * PIXELS, 4);
        float[][] out = new float[2][];
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            int i = 0;
            for (TrainingConfig c : List.of(plain, wide)) {
                org.scanline.model.ScanModel m = org.scanline.model.ScanModels.create(c, PIXELS, 4);
                m.initialize(manager);
                InitialWeights.load(c, m);
                out[i++] = m.forward(new ai.djl.training.ParameterStore(manager, false),
                        manager.create(x, new ai.djl.ndarray.types.Shape(2, LINES, PIXELS)), false).toFloatArray();
            }
        }
        double max = 0;
        for (int i = 0; i < out[0].length; i++) {
            max = Math.max(max, Math.abs(out[0][i] - out[1][i]));
        }
        assertTrue(max <= 1e-5, "max |source - widened| = " + max);
    }

    @Test
    void adoptTakesTheModelShapeFromTheSourceAndKeepsTheTrainingSettings() {
        TrainingConfig asked = TrainingConfig.builder().architecture(Architecture.CAUSAL).epochs(3).learningRate(1e-4)
                .initFrom(pretrained.toString()).build();
        TrainingConfig c = InitialWeights.adopt(asked, PIXELS);
        assertEquals(24, c.dModel());
        assertEquals(1, c.numLayers());
        assertEquals(LINES, c.maxLines());
        assertTrue(c.spectrumTokens());
        assertEquals(3, c.epochs());
        assertEquals(1e-4, c.learningRate());
    }
}
