package org.scanline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scanline.train.TrainingConfig;

class LearningRateScheduleTest {

    @Test
    void warmUpRisesLinearlyFromTheStartRateToThePeak() {
        TrainingConfig c = TrainingConfig.builder().learningRate(1e-3).warmupStartLr(1e-6).warmupEpochs(4).build();
        LearningRateSchedule s = new LearningRateSchedule(c);
        double step = (1e-3 - 1e-6) / 4;
        double[] expected = {1e-6, 1e-6 + step, 1e-6 + 2 * step, 1e-6 + 3 * step, 1e-3, 1e-3};
        for (int e = 1; e <= expected.length; e++) {
            assertEquals(expected[e - 1], s.lrForEpoch(e), 1e-15, "epoch " + e);
            s.observe(e, 1.0 / e);
        }
    }

    @Test
    void plateauHalvesAfterPatienceIsExceededAndStopsAtTheFloor() {
        TrainingConfig c = TrainingConfig.builder().learningRate(1e-3).warmupEpochs(1).warmupStartLr(1e-5)
                .schedule(TrainingConfig.Schedule.PLATEAU).plateauFactor(0.5).plateauPatience(2).minLr(2e-4).build();
        LearningRateSchedule s = new LearningRateSchedule(c);
        // Epoch 1 is warm-up (its loss is not watched); 0.89995 is not a 0.01 % improvement on 0.9.
        double[] losses = {5.0, 1.0, 0.9, 0.9, 0.89995, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95};
        double[] expected = {1e-5, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 5e-4, 2.5e-4, 2.5e-4, 2.5e-4, 2e-4};
        for (int e = 1; e <= losses.length; e++) {
            assertEquals(expected[e - 1], s.lrForEpoch(e), 1e-15, "epoch " + e);
            s.observe(e, losses[e - 1]);
        }
    }

    @Test
    void cosineDecaysFromThePeakToTheFloor() {
        TrainingConfig c = TrainingConfig.builder().learningRate(1e-3).warmupEpochs(2).minLr(1e-5).epochs(6)
                .schedule(TrainingConfig.Schedule.COSINE).build();
        LearningRateSchedule s = new LearningRateSchedule(c);
        assertEquals(1e-3, s.lrForEpoch(3), 1e-15);
        assertEquals(1e-5 + (1e-3 - 1e-5) * (1 + Math.cos(Math.PI * 3 / 4)) / 2, s.lrForEpoch(6), 1e-15);
        for (int e = 3; e < 6; e++) {
            assertTrue(s.lrForEpoch(e + 1) < s.lrForEpoch(e));
        }
    }

    @Test
    void restoredStateContinuesTheSameSequence() {
        TrainingConfig c = TrainingConfig.builder().learningRate(1e-3).warmupEpochs(0).plateauPatience(0).build();
        LearningRateSchedule a = new LearningRateSchedule(c);
        a.observe(1, 1.0);
        a.observe(2, 1.0);
        LearningRateSchedule b = new LearningRateSchedule(c);
        b.restore(a.state());
        assertEquals(5e-4, b.lrForEpoch(3), 1e-15);
        a.observe(3, 1.0);
        b.observe(3, 1.0);
        assertEquals(a.lrForEpoch(4), b.lrForEpoch(4));
    }
}
