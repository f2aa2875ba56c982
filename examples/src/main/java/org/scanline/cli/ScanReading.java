package org.scanline.cli;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.scanline.Prediction;
import org.scanline.TipChange;
import org.scanline.Uncertainty;

/**
 * How a streamed scan ends in {@code stream} and {@code demo}: the model's final prediction, said
 * as the model's; how its confidence went over the lines; the true class, said as the truth and set
 * against the prediction; and, where the simulator knows the tip changed, whether the stream saw it.
 * The demo used to end each scan with {@code label: X}, which read like the verdict, and with "first
 * confident prediction after line 0" when uncertain lines followed.
 */
final class ScanReading {
    private ScanReading() {
    }

    /** @return {@code final prediction after line 127: rows, p 0.83}, with why it is uncertain if it is */
    static String finalPrediction(List<Prediction> ps) {
        Prediction last = ps.get(ps.size() - 1);
        String why = last.reasons().stream().map(Uncertainty::description).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "final prediction after line %d: %s, p %.2f%s", ps.size() - 1,
                last.className(), last.confidence(), last.uncertain() ? " (uncertain: " + why + ")" : "");
    }

    /**
     * How confidence went: never; confident from a line to the end on the final class; or confident
     * once, then uncertain or another class again, and whether and where it settled.
     *
     * @param threshold the confidence threshold, to say what "never confident" means
     */
    static String confidence(List<Prediction> ps, double threshold) {
        int first = 0;
        while (first < ps.size() && ps.get(first).uncertain()) {
            first++;
        }
        if (first == ps.size()) {
            first = -1;
        }
        if (first < 0) {
            return String.format(Locale.ROOT, "never confident (threshold %.2f)", threshold);
        }
        Prediction last = ps.get(ps.size() - 1);
        // The settled line: from it to the end every prediction is confident and the final class.
        int settled = ps.size();
        while (settled > 0 && !ps.get(settled - 1).uncertain() && ps.get(settled - 1).classIndex() == last.classIndex()) {
            settled--;
        }
        if (settled == first) {
            return "confident from line " + first + " to the end";
        }
        int wavering = 0;
        for (int l = first + 1; l < settled; l++) {
            Prediction p = ps.get(l);
            wavering += p.uncertain() || p.classIndex() != last.classIndex() ? 1 : 0;
        }
        String start = String.format(Locale.ROOT, "first confident after line %d (%s), then uncertain or another class "
                + "on %d of the later lines", first, ps.get(first).className(), wavering);
        return settled == ps.size() ? start + "; not confident at the last line"
                : start + "; confident from line " + settled + " to the end";
    }

    /**
     * @param trueClass the scan's true class
     * @param whose where the truth comes from, e.g. {@code the file's label} or {@code simulator truth}
     * @return {@code true class (the file's label): rows; the final prediction agrees} (or differs, and
     *     {@code , but is uncertain} when it is)
     */
    static String truth(List<Prediction> ps, String trueClass, String whose) {
        Prediction last = ps.get(ps.size() - 1);
        return "true class (" + whose + "): " + trueClass + "; the final prediction "
                + (last.className().equals(trueClass) ? "agrees" : "differs") + (last.uncertain() ? ", but is uncertain" : "");
    }

    /**
     * Sets the tip changes the stream reported against the one the simulator made.
     *
     * @param trueLine the line where the tip changed, or -1 for none
     * @param from the tip state before it (ignored without a change)
     * @param to the tip state from {@code trueLine} on
     * @return a remark, or empty when nothing was to be reported and nothing was
     */
    static String tipChange(List<Prediction> ps, int trueLine, String from, String to) {
        List<TipChange> seen = ps.stream().flatMap(p -> p.tipChange().stream()).toList();
        if (trueLine < 0) {
            return seen.isEmpty() ? "" : "not a tip change of the simulator's: its tip did not change in this scan";
        }
        String truth = "the simulator's tip change at line " + trueLine + " (" + from + " -> " + to + ")";
        if (trueLine >= ps.size()) {
            return truth + " lies beyond the " + ps.size() + " lines streamed";
        }
        if (seen.isEmpty()) {
            return "missed: " + truth + " was not reported";
        }
        TipChange nearest = seen.get(0);
        for (TipChange e : seen) {
            nearest = Math.abs(e.line() - trueLine) < Math.abs(nearest.line() - trueLine) ? e : nearest;
        }
        return String.format(Locale.ROOT, "%s: reported after line %d (as from line %d)", truth, nearest.detectedAt(),
                nearest.line());
    }
}
