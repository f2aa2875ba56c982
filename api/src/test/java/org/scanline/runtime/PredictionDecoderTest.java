package org.scanline.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.scanline.Architecture;
import org.scanline.LineState;
import org.scanline.ModelInfo;
import org.scanline.Normalizer;
import org.scanline.Prediction;
import org.scanline.Uncertainty;

/** Logits → {@link Prediction}: the one softmax, and non-finite outputs that never become a class (issue 27). */
class PredictionDecoderTest {
    static final ModelInfo INFO = new ModelInfo(4, Architecture.CAUSAL, List.of("atoms", "rows", "dimers", "defects"),
            16, 12, Normalizer.NONE, 2.0, "r", "v", "{}", "{}", List.of("sharp", "blunt", "double", "unstable"));
    static final PredictionDecoder DECODER = new PredictionDecoder(INFO, 0.6);

    @Test
    void probabilitiesAreTheSoftmaxOfTheLogitsOverTheTemperature() {
        Prediction p = DECODER.decode(new float[] {8, 0, 0, 0}, 3);
        double e = Math.exp(4);
        assertEquals(e / (e + 3), p.confidence(), 1e-6);
        assertEquals(0, p.classIndex());
        assertTrue(p.reasons().isEmpty());
        assertEquals(Math.log(1 / (e + 3)), PredictionDecoder.logProbability(new float[] {8, 0, 0, 0}, 1, 2), 1e-9);
    }

    @Test
    void nonFiniteLogitsGiveUniformProbabilitiesAndSayWhyNeverAConfidentClass() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Prediction p = DECODER.decode(new float[] {bad, 1, 2, 3}, 5);
            assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, p.probabilities());
            assertTrue(p.uncertain() && p.reasons().contains(Uncertainty.NON_FINITE_OUTPUT), p.toString());
        }
        Prediction allNaN = DECODER.decode(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}, 1);
        assertTrue(allNaN.reasons().contains(Uncertainty.NON_FINITE_OUTPUT));
        LineState s = DECODER.lineState(new float[] {Float.NaN, 0, 0, 0});
        assertEquals(0.25f, s.confidence(), 1e-7);
    }

    @Test
    void aLowConfidenceKeepsTheTipChangeButAnotherReasonDropsIt() {
        org.scanline.TipChange change = new org.scanline.TipChange(4, 6, "sharp", "blunt", 0.9f);
        Prediction low = DECODER.fromProbabilities(new float[] {0.4f, 0.3f, 0.2f, 0.1f}, 7, Optional.empty(),
                Optional.of(change), java.util.Set.of());
        assertEquals(java.util.Set.of(Uncertainty.LOW_CONFIDENCE), low.reasons());
        assertTrue(low.tipChange().isPresent());
        Prediction sampling = DECODER.fromProbabilities(new float[] {0.9f, 0.05f, 0.03f, 0.02f}, 7, Optional.empty(),
                Optional.of(change), java.util.Set.of(Uncertainty.SAMPLING));
        assertTrue(sampling.uncertain() && sampling.tipChange().isEmpty());
    }
}
