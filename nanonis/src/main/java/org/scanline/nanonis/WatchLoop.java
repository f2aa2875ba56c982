package org.scanline.nanonis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.scanline.Prediction;
import org.scanline.Uncertainty;

/** The polling loop of one {@link ScanWatcher#run()}: grab, push, judge, act, wait. */
final class WatchLoop {
    private final ScanWatcher watcher;
    private final FrameFeed feed;
    private final Recovery recovery;
    private final Connection connection;
    private final WatchState state;
    private final WatchSettings settings;
    private final BadTipPolicy policy;
    private int actedFrame = -1;

    WatchLoop(ScanWatcher watcher, FrameFeed feed, Recovery recovery, Connection connection) {
        this.watcher = watcher;
        this.feed = feed;
        this.recovery = recovery;
        this.connection = connection;
        this.state = watcher.state;
        this.settings = watcher.settings();
        this.policy = watcher.policy();
    }

    /** @return how the watch ended */
    ScanWatcher.Outcome watch() {
        long previousPoll = -1;
        while (!watcher.stopRequested()) {
            long pollStart = System.nanoTime();
            int fresh = feed.grab();
            long grabbed = System.nanoTime();
            // New lines mean a scan is running; only without them is the status worth a call.
            Boolean running = null;
            if (fresh == 0) {
                running = connection.read("Scan.StatusGet", NanonisClient::scanRunning);
                if (!running) {
                    // the last lines may have come between the grab and the status: grab once more
                    fresh = feed.grab();
                    grabbed = System.nanoTime();
                }
                feed.checkNoData(running);
            }
            WatchSettings.Action pending = null;
            boolean up = feed.scanUp();
            for (int k = 0; k < fresh; k++) {
                FrameFeed.Pushed pushed = feed.next();
                if (pushed.prediction().isEmpty()) {
                    continue;
                }
                Prediction p = pushed.prediction().get();
                String action = "none";
                BadTipPolicy.Decision d = BadTipPolicy.Decision.OK;
                Set<Uncertainty> blocking = ScanWatcher.blocking(p);
                if (!recovery.judging()) {
                    action = "none (grace line after a restart)";
                } else if (!blocking.isEmpty()) {
                    state.unactedReasons++;
                    action = "none (" + ScanWatcher.describe(blocking) + ")";
                } else {
                    d = policy.decide(p, pushed.line());
                    if (!d.badTip()) {
                        recovery.clean();
                    }
                }
                long decided = System.nanoTime();
                if (d.badTip()) {
                    state.badTipLines++;
                    if (actedFrame != state.frames && pending == null) {
                        actedFrame = state.frames;
                        if (running == null) {
                            running = connection.read("Scan.StatusGet", NanonisClient::scanRunning);
                        }
                        pending = running ? settings.action() : WatchSettings.Action.REPORT;
                        action = pending.label() + (running ? "" : " (scan not running)");
                        if (pending == WatchSettings.Action.REPORT) {
                            state.reports++;
                        }
                    }
                }
                long proc = decided - grabbed;
                long bound = previousPoll < 0 ? -1 : decided - previousPoll;
                if (bound >= 0) {
                    // lines found by the first poll were acquired before watching began: a backlog, not latency
                    state.latency.add(bound);
                    state.processing.add(proc);
                }
                state.lines++;
                logLine(pushed, p, d, action, proc, bound, blocking);
                watcher.listener().line(new ScanWatcher.LineResult(state.frames - 1, pushed.line(), pushed.row(), p, d,
                        action, proc, bound, decided), pushed.heights());
            }
            previousPoll = pollStart;
            if (pending == WatchSettings.Action.STOP) {
                connection.read("Scan.Action stop", c -> {
                    c.scanAction(NanonisClient.ScanAction.STOP, up);
                    return null;
                });
                feed.stoppedByUs();
                state.stops++;
                watcher.event(DecisionLog.record("stop-scan").put("reason", "bad tip"), "stopped the scan (bad tip)");
                previousPoll = System.nanoTime();
                continue;
            }
            if (pending == WatchSettings.Action.CONDITION) {
                feed.stoppedByUs();
                state.stops++;
                Recovery.Outcome o = recovery.recover(up);
                watcher.listener().stats(state.summary(watcher.stopRequested()));
                switch (o) {
                    case GAVE_UP -> {
                        return ScanWatcher.Outcome.GAVE_UP;
                    }
                    case FAILED -> {
                        return ScanWatcher.Outcome.RECOVERY_FAILED;
                    }
                    case INTERRUPTED -> {
                        return ScanWatcher.Outcome.INTERRUPTED;
                    }
                    default -> {
                        previousPoll = System.nanoTime();
                        continue;
                    }
                }
            }
            if (running != null && !running && feed.caughtUp() && !settings.follow()) {
                return ScanWatcher.Outcome.ENDED;
            }
            watcher.pauseNanos(feed.waitNanos(pollStart));
        }
        return ScanWatcher.Outcome.INTERRUPTED;
    }

    private void logLine(FrameFeed.Pushed pushed, Prediction p, BadTipPolicy.Decision d, String action, long proc,
            long bound, Set<Uncertainty> blocking) {
        ObjectNode r = DecisionLog.record("line");
        r.put("frame", state.frames - 1).put("line", pushed.line()).put("row", pushed.row()).put("lines_seen", p.linesSeen())
                .put("class", p.className()).put("class_index", p.classIndex()).put("confidence", p.confidence())
                .put("uncertain", p.uncertain());
        if (!p.reasons().isEmpty()) {
            p.reasons().forEach(x -> r.withArray("reasons").add(x.name()));
        }
        ObjectNode probs = r.putObject("probabilities");
        List<String> names = watcher.classifier().classNames();
        for (int i = 0; i < names.size(); i++) {
            probs.put(names.get(i), p.probability(i));
        }
        p.lineState().ifPresent(s -> {
            ObjectNode o = r.putObject("line_state");
            o.put("state", s.name()).put("confidence", s.confidence());
            ObjectNode sp = o.putObject("probabilities");
            List<String> states = watcher.classifier().info().lineStateNames();
            float[] v = s.probabilities();
            for (int i = 0; i < v.length && i < states.size(); i++) {
                sp.put(states.get(i), v[i]);
            }
        });
        p.tipChange().ifPresent(c -> r.putObject("tip_change").put("line", c.line()).put("detected_at", c.detectedAt())
                .put("from", c.from()).put("to", c.to()).put("confidence", c.confidence()));
        r.put("bad_tip", d.badTip());
        if (d.badTip()) {
            r.put("reason", d.reason());
        }
        if (!blocking.isEmpty()) {
            r.put("not_acted_on", ScanWatcher.describe(blocking));
        }
        r.put("action", action).put("processing_us", proc / 1000);
        if (bound >= 0) {
            r.put("latency_bound_us", bound / 1000);
        }
        watcher.log().write(r);
    }
}
