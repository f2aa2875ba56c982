package org.scanline.view;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;
import org.scanline.Prediction;

/**
 * What a classification loop tells a view: a scan starts, each line with its prediction, each
 * decision, figures, and the end of the scan. {@link ScanView} implements it without blocking the
 * caller; every method is called from the classification thread, one scan at a time.
 *
 * <pre>{@code
 * view.scanStarted(new ScanListener.Started("frame 0", 128, 128, "m", classifier.classNames()));
 * for (int l = 0; l < lines.length; l++) {
 *     long t0 = System.nanoTime();
 *     Prediction p = stream.push(lines[l]);
 *     view.line(new ScanListener.Line(l, lines[l], p, System.nanoTime() - t0));
 * }
 * view.scanEnded(new ScanListener.Ended("scan complete"));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public interface ScanListener {

    /**
     * A scan begins.
     *
     * @param title what the page's heading says
     * @param lines lines in the full scan
     * @param pixels pixels per line as acquired
     * @param unit the unit of the heights ({@code m} for a Nanonis Z channel and the simulator)
     * @param classes the model's classes, in index order
     */
    record Started(String title, int lines, int pixels, String unit, List<String> classes) {
        /** Validates. */
        public Started {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(classes, "classes");
            classes = List.copyOf(classes);
        }
    }

    /**
     * A classified line.
     *
     * @param line index in the scan, 0 = first acquired
     * @param heights the line as acquired; read during the call only, so a caller may reuse its buffer
     * @param prediction the prediction after this line
     * @param latencyNanos what this line's classification took as the caller measures it (−1 unknown)
     */
    record Line(int line, float[] heights, Prediction prediction, long latencyNanos) {
    }

    /**
     * A decision of the policy or the stream.
     *
     * @param line the line it came after (−1 between lines)
     * @param kind {@code stop}, {@code shaper}, {@code restart}, {@code pulse}, {@code move}, {@code confirm},
     *     {@code report}, {@code note}, …
     * @param message what happened, in words
     */
    record Decision(int line, String kind, String message) {
    }

    /**
     * Figures of the session so far.
     *
     * @param lines lines classified
     * @param dropped lines the caller could not classify (not the view's own drops)
     * @param p50Nanos median latency per line
     * @param p99Nanos 99th percentile
     * @param latencyMeaning what the latency measures, in words
     */
    record Stats(long lines, long dropped, long p50Nanos, long p99Nanos, String latencyMeaning) {
    }

    /**
     * The scan is over.
     *
     * @param summary one sentence: how it ended, what was found
     */
    record Ended(String summary) {
    }

    /** @param s a scan begins */
    void scanStarted(Started s);

    /** @param l a classified line */
    void line(Line l);

    /** @param d a decision */
    void decision(Decision d);

    /** @param s figures so far */
    void stats(Stats s);

    /** @param e the scan is over */
    void scanEnded(Ended e);
}
