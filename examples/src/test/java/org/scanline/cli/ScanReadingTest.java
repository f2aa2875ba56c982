package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.scanline.Prediction;
import org.scanline.TipChange;

/** The closing lines of a streamed scan say what the model concluded, how sure it was, and what was true. */
class ScanReadingTest {
    static final List<String> NAMES = List.of("individual atoms", "asymmetries/dimers", "rows", "generic defects");

    /** One prediction per character: a digit is a confident class, a letter a-d the same class uncertain. */
    static List<Prediction> stream(String lines) {
        List<Prediction> ps = new ArrayList<>();
        for (int l = 0; l < lines.length(); l++) {
            char c = lines.charAt(l);
            boolean uncertain = Character.isLetter(c);
            int k = uncertain ? c - 'a' : c - '0';
            float[] p = {0.1f, 0.1f, 0.1f, 0.1f};
            p[k] = uncertain ? 0.4f : 0.7f;
            ps.add(new Prediction(k, NAMES.get(k), p, l + 1, uncertain));
        }
        return ps;
    }

    @Test
    void confidenceSaysWhenItHeldAndWhenItWaveredInsteadOfTheFirstConfidentLineAlone() {
        assertEquals("never confident (threshold 0.60)", ScanReading.confidence(stream("aabb"), 0.6));
        assertEquals("confident from line 0 to the end", ScanReading.confidence(stream("2222"), 0.6));
        assertEquals("confident from line 2 to the end", ScanReading.confidence(stream("ab22"), 0.6));
        // Confident after line 0, and uncertain lines follow: that is no longer "first confident after line 0".
        assertEquals("first confident after line 0 (generic defects), then uncertain or another class on 3 of the "
                + "later lines; confident from line 4 to the end", ScanReading.confidence(stream("3a1c22"), 0.6));
        assertEquals("first confident after line 1 (rows), then uncertain or another class on 2 of the later lines; "
                + "not confident at the last line", ScanReading.confidence(stream("a22bc"), 0.6));
    }

    @Test
    void theFinalPredictionIsTheModelsAndTheTruthIsSaidAsTruth() {
        assertEquals("final prediction after line 3: rows, p 0.70", ScanReading.finalPrediction(stream("aa22")));
        assertEquals("final prediction after line 1: rows, p 0.40 (uncertain: low confidence)",
                ScanReading.finalPrediction(stream("2c")));
        assertEquals("true class (the file's label): rows; the final prediction agrees",
                ScanReading.truth(stream("a2"), "rows", "the file's label"));
        assertEquals("true class (the file's label): individual atoms; the final prediction differs, but is uncertain",
                ScanReading.truth(stream("2c"), "individual atoms", "the file's label"));
    }

    @Test
    void aMissedTipChangeIsRemarkedOnAndAReportedOneIsPlacedAgainstTheTruth() {
        List<Prediction> quiet = stream("0000000000");
        assertEquals("missed: the simulator's tip change at line 5 (rows -> individual atoms) was not reported",
                ScanReading.tipChange(quiet, 5, "rows", "individual atoms"));
        assertEquals("", ScanReading.tipChange(quiet, -1, "", ""));
        assertEquals("the simulator's tip change at line 40 (rows -> individual atoms) lies beyond the 10 lines streamed",
                ScanReading.tipChange(quiet, 40, "rows", "individual atoms"));

        List<Prediction> seen = new ArrayList<>(quiet);
        Prediction p = seen.get(7);
        seen.set(7, new Prediction(p.classIndex(), p.className(), p.probabilities(), p.linesSeen(), false,
                Optional.empty(), Optional.of(new TipChange(6, 7, "rows", "individual atoms", 0.9f))));
        assertEquals("the simulator's tip change at line 5 (rows -> individual atoms): reported after line 7 (as from "
                + "line 6)", ScanReading.tipChange(seen, 5, "rows", "individual atoms"));
        assertEquals("not a tip change of the simulator's: its tip did not change in this scan",
                ScanReading.tipChange(seen, -1, "", ""));
    }
}
