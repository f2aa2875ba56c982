package org.scanline.nanonis;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The counters of one watch, kept by the loop, the feed and the recovery, read into a {@link ScanWatcher.Summary}. */
final class WatchState {
    final LatencyStats latency = new LatencyStats();
    final LatencyStats processing = new LatencyStats();
    boolean runningAtStart;
    int frames;
    long lines;
    long badTipLines;
    int reports;
    int stops;
    int conditionings;
    long linesSkipped;
    long pixelsRepaired;
    long linesLost;
    int reconnects;
    int readFaults;
    int emptyGrabs;
    int noDataNotes;
    long unactedReasons;
    String safeReason;
    ScanWatcher.Outcome outcome = ScanWatcher.Outcome.ENDED;

    ScanWatcher.Summary summary(boolean interrupted) {
        return new ScanWatcher.Summary(frames, lines, badTipLines, reports, stops, conditionings,
                outcome == ScanWatcher.Outcome.GAVE_UP, interrupted, runningAtStart, latency.quantile(0.5),
                latency.quantile(0.99), processing.quantile(0.5), processing.quantile(0.99), latency.count(), outcome,
                linesSkipped, pixelsRepaired, linesLost, reconnects, readFaults, emptyGrabs, noDataNotes, unactedReasons,
                safeReason == null ? "" : safeReason);
    }

    /** Writes a summary into an {@code end} record. */
    static void put(ObjectNode end, ScanWatcher.Summary s) {
        end.put("outcome", s.outcome().name().toLowerCase(java.util.Locale.ROOT)).put("frames", s.frames())
                .put("lines", s.lines()).put("bad_tip_lines", s.badTipLines()).put("reports", s.reports())
                .put("stops", s.stops()).put("conditionings", s.conditionings()).put("gave_up", s.gaveUp())
                .put("interrupted", s.interrupted()).put("lines_skipped", s.linesSkipped())
                .put("pixels_repaired", s.pixelsRepaired()).put("lines_lost", s.linesLost())
                .put("reconnects", s.reconnects()).put("read_faults", s.readFaults()).put("empty_grabs", s.emptyGrabs())
                .put("no_data_notes", s.noDataNotes()).put("unacted_reasons", s.unactedReasons())
                .put("latency_p50_us", s.latencyP50Nanos() / 1000).put("latency_p99_us", s.latencyP99Nanos() / 1000)
                .put("processing_p50_us", s.processingP50Nanos() / 1000)
                .put("processing_p99_us", s.processingP99Nanos() / 1000).put("latency_lines", s.latencySamples());
        if (!s.safeReason().isEmpty()) {
            end.put("safe_reason", s.safeReason());
        }
    }
}
