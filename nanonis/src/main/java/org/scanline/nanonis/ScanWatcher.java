package org.scanline.nanonis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.scanline.BadConfigException;
import org.scanline.BadDataException;
import org.scanline.LineResampler;
import org.scanline.LineStream;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;

/**
 * Watches a running Nanonis scan line by line: polls the frame, pushes every newly acquired line
 * (in acquisition order, resampled to the model's width by scanline-api's {@link LineResampler})
 * into a {@link LineStream}, asks a
 * {@link BadTipPolicy} after every line and, on a bad tip, reports it, stops the scan, or stops it,
 * runs the tip shaper and starts the scan again. Every decision goes to a JSON-lines log.
 *
 * <pre>{@code
 * try (NanonisClient nanonis = NanonisClient.connect("localhost", 6501, Duration.ofSeconds(5));
 *      ScanLineClassifier model = ScanLineClassifier.open(Path.of("model.onnx"))) {
 *     BadTipPolicy policy = new BadTipPolicy(List.of(BadTipPolicy.badClass(Set.of(2, 3), model.classNames(), 0.9, 8)));
 *     ScanWatcher.Summary s = new ScanWatcher(nanonis, null, model, policy,
 *             ScanWatcher.Settings.builder().action(ScanWatcher.Action.CONDITION).build(), Path.of("watch.jsonl"),
 *             new ScanWatcher.Listener() { }).run();
 * }
 * }</pre>
 *
 * <p><b>Ending.</b> Without {@link Settings#follow()}, {@link #run()} returns once no scan is running
 * and every acquired line of the frame has been classified. {@link #requestStop()} (Ctrl-C) makes it
 * return at the next safe point and leaves the microscope as it found it: a scan it did not stop
 * keeps running, and a scan it stopped in order to condition the tip is started again (after the
 * tip shaper, if that had begun; the shaper is always run to its end, never left running).
 *
 * <p><b>Latency.</b> For every line first seen after the first poll it records the time from the
 * start of the previous poll — before which the line had not been acquired — to the decision: an
 * upper bound of "line acquired → decision" that includes the polling delay; and the time from the
 * end of the grab that showed the line to the decision (the processing alone). Lines the first poll
 * finds were acquired before watching began and count in neither.
 */
public final class ScanWatcher {

    /** What to do on a bad tip. */
    public enum Action {
        /** Log and print it only. */
        REPORT("report"),
        /** Stop the scan. */
        STOP("stop"),
        /** Stop the scan, run the tip shaper, start the scan again. */
        CONDITION("condition");

        private final String label;

        Action(String label) {
            this.label = label;
        }

        /** @return the name used on the command line and in the log */
        public String label() {
            return label;
        }
    }

    /**
     * How to watch.
     *
     * @param channel {@code Scan.FrameDataGrab} channel index
     * @param forward forward trace (else backward)
     * @param poll time between polls; well below the line time
     * @param action what to do on a bad tip
     * @param shaperWait how long the tip shaper may take
     * @param follow keep watching the next scans instead of returning when the scan ends
     * @param maxConditioning tip-shaper runs allowed in a session; past them a bad tip stops the scan
     * @param rowsInAcquisitionOrder for a frame first seen complete: row 0 is the first line whatever the direction
     */
    public record Settings(int channel, boolean forward, Duration poll, Action action, Duration shaperWait, boolean follow,
            int maxConditioning, boolean rowsInAcquisitionOrder) {

        /** Validates. */
        public Settings {
            Objects.requireNonNull(action, "action");
            if (poll == null || poll.isNegative() || poll.isZero()) {
                throw new BadConfigException("watch: the poll interval must be positive, found " + poll);
            }
            if (shaperWait == null || shaperWait.isNegative() || shaperWait.toMillis() > Integer.MAX_VALUE) {
                throw new BadConfigException("watch: the tip shaper wait must be 0 to 24 days, found " + shaperWait);
            }
            if (channel < 0 || maxConditioning < 0) {
                throw new BadConfigException("watch: channel and the conditioning limit must be ≥ 0");
            }
        }

        /** @return a builder: channel 14 forward, 100 ms polls, report only, 60 s shaper wait, 10 conditionings */
        public static Builder builder() {
            return new Builder();
        }

        /** Builder; every setter returns this. */
        public static final class Builder {
            private int channel = 14;
            private boolean forward = true;
            private Duration poll = Duration.ofMillis(100);
            private Action action = Action.REPORT;
            private Duration shaperWait = Duration.ofSeconds(60);
            private boolean follow;
            private int maxConditioning = 10;
            private boolean rowsInAcquisitionOrder;

            private Builder() {
            }

            /** @param v channel index @return this */
            public Builder channel(int v) {
                channel = v;
                return this;
            }

            /** @param v forward trace @return this */
            public Builder forward(boolean v) {
                forward = v;
                return this;
            }

            /** @param v poll interval @return this */
            public Builder poll(Duration v) {
                poll = v;
                return this;
            }

            /** @param v action on a bad tip @return this */
            public Builder action(Action v) {
                action = v;
                return this;
            }

            /** @param v tip shaper wait @return this */
            public Builder shaperWait(Duration v) {
                shaperWait = v;
                return this;
            }

            /** @param v follow the next scans @return this */
            public Builder follow(boolean v) {
                follow = v;
                return this;
            }

            /** @param v tip shaper runs allowed @return this */
            public Builder maxConditioning(int v) {
                maxConditioning = v;
                return this;
            }

            /** @param v rows in acquisition order @return this */
            public Builder rowsInAcquisitionOrder(boolean v) {
                rowsInAcquisitionOrder = v;
                return this;
            }

            /** @return the settings */
            public Settings build() {
                return new Settings(channel, forward, poll, action, shaperWait, follow, maxConditioning, rowsInAcquisitionOrder);
            }
        }
    }

    /**
     * One classified line.
     *
     * @param frame frame number in this session, from 0
     * @param line line index in the frame, 0 = first acquired
     * @param row the line's row in {@code Scan.FrameDataGrab}'s array
     * @param prediction the model's prediction after the line (with the line's tip state and any tip
     *     change, for models with a tip-state head)
     * @param decision the policy's decision
     * @param action what was done: {@code none}, or the action's label (once per frame)
     * @param processingNanos grab received → decision
     * @param latencyBoundNanos previous poll started → decision (an upper bound of acquired → decision); −1 when unknown
     * @param decidedNanos {@link System#nanoTime()} at the decision
     */
    public record LineResult(int frame, int line, int row, Prediction prediction, BadTipPolicy.Decision decision, String action, long processingNanos, long latencyBoundNanos, long decidedNanos) {
    }

    /**
     * The session in numbers.
     *
     * @param frames frames seen
     * @param lines lines classified
     * @param badTipLines lines after which the policy judged the tip bad
     * @param reports bad tips reported (once per frame)
     * @param stops scans stopped
     * @param conditionings tip shaper runs
     * @param gaveUp the conditioning limit was reached and the scan stopped
     * @param interrupted ended by {@link #requestStop()}
     * @param scanRunningAtStart whether a scan was running when watching began
     * @param latencyP50Nanos median upper bound of acquired → decision
     * @param latencyP99Nanos 99th percentile of it
     * @param processingP50Nanos median grab → decision
     * @param processingP99Nanos 99th percentile of it
     * @param latencySamples lines behind the latency figures
     */
    public record Summary(int frames, long lines, long badTipLines, int reports, int stops, int conditionings, boolean gaveUp,
            boolean interrupted, boolean scanRunningAtStart, long latencyP50Nanos, long latencyP99Nanos,
            long processingP50Nanos, long processingP99Nanos, int latencySamples) {
    }

    /** Receives what happens, on the watching thread. */
    public interface Listener {
        /** @param r a classified line */
        default void line(LineResult r) {
        }

        /**
         * @param r a classified line; by default passed to {@link #line(LineResult)}
         * @param frame the grab it came from
         * @param heights the line as acquired: the watcher's buffer, valid during the call only
         */
        default void line(LineResult r, FrameData frame, float[] heights) {
            line(r);
        }

        /** @param message an event: a scan stopped, the tip shaper run, a warning */
        default void note(String message) {
        }

        /** @param s the session's summary, given before {@link #run()} returns (also when interrupted) */
        default void summary(Summary s) {
        }
    }

    private final NanonisClient client;
    private final Supplier<NanonisClient> reconnect;
    private final ScanLineClassifier classifier;
    private final BadTipPolicy policy;
    private final Settings settings;
    private final Path logFile;
    private final Listener listener;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Object sleep = new Object();
    private volatile boolean stopRequested;

    private DecisionLog log;
    private final LatencyStats latency = new LatencyStats();
    private final LatencyStats processing = new LatencyStats();
    private int frames;
    private long lines;
    private long badTipLines;
    private int reports;
    private int stops;
    private int conditionings;
    private boolean gaveUp;
    private Boolean stoppedUp;

    /**
     * @param client the connection to the controller
     * @param reconnect opens a fresh connection, used only to restore the microscope when {@code client}
     *     has failed; null for none
     * @param classifier the model
     * @param policy when a tip is bad
     * @param settings how to watch
     * @param logFile the JSON-lines log (appended to); null for none
     * @param listener receives lines and events
     */
    public ScanWatcher(NanonisClient client, Supplier<NanonisClient> reconnect, ScanLineClassifier classifier,
            BadTipPolicy policy, Settings settings, Path logFile, Listener listener) {
        this.client = Objects.requireNonNull(client, "client");
        this.reconnect = reconnect;
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.logFile = logFile;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Asks {@link #run()} to return at its next safe point, restoring the microscope. Any thread. */
    public void requestStop() {
        stopRequested = true;
        synchronized (sleep) {
            sleep.notifyAll();
        }
    }

    /**
     * @param timeout longest wait
     * @return true when {@link #run()} has returned (or was never started and will not be)
     */
    public boolean awaitFinished(Duration timeout) {
        if (!started.get()) {
            return true;
        }
        try {
            return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Watches until the scan ends (or forever with {@link Settings#follow()}) or {@link #requestStop()}.
     *
     * @return the session's summary
     * @throws NanonisException when the controller fails; a scan watch had stopped is restarted first
     */
    public Summary run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a ScanWatcher runs once");
        }
        try (DecisionLog opened = DecisionLog.open(logFile); LineStream stream = classifier.newStream()) {
            log = opened;
            boolean runningAtStart = false;
            String error = null;
            try {
                runningAtStart = client.scanRunning();
                start(runningAtStart);
                watch(stream);
            } catch (RuntimeException e) {
                error = e.getMessage();
                throw e;
            } finally {
                restoreIfNeeded();
                Summary s = summary(runningAtStart);
                ObjectNode end = DecisionLog.record("end");
                end.put("frames", s.frames()).put("lines", s.lines()).put("bad_tip_lines", s.badTipLines())
                        .put("reports", s.reports()).put("stops", s.stops()).put("conditionings", s.conditionings())
                        .put("gave_up", s.gaveUp()).put("interrupted", s.interrupted())
                        .put("latency_p50_us", s.latencyP50Nanos() / 1000).put("latency_p99_us", s.latencyP99Nanos() / 1000)
                        .put("processing_p50_us", s.processingP50Nanos() / 1000)
                        .put("processing_p99_us", s.processingP99Nanos() / 1000).put("latency_lines", s.latencySamples());
                if (error != null) {
                    end.put("error", error);
                }
                log.write(end);
                listener.summary(s);
            }
            return summary(runningAtStart);
        } finally {
            finished.countDown();
        }
    }

    private void start(boolean running) {
        ObjectNode r = DecisionLog.record("start");
        r.put("nanonis", client.address()).put("scan_running", running).put("channel", settings.channel())
                .put("trace", settings.forward() ? "forward" : "backward").put("poll_ms", settings.poll().toMillis())
                .put("action", settings.action().label()).put("policy", policy.describe()).put("follow", settings.follow())
                .put("model_pixels", classifier.pixels()).put("model_max_lines", classifier.info().maxLines());
        ArrayNode classes = r.putArray("classes");
        classifier.classNames().forEach(classes::add);
        log.write(r);
        listener.note("watching " + client.address() + (running ? " (a scan is running)" : " (no scan running)")
                + "; bad tip: " + policy.describe() + "; action: " + settings.action().label());
    }

    private void watch(LineStream stream) {
        FrameTracker tracker = new FrameTracker(settings.rowsInAcquisitionOrder());
        int pixels = classifier.pixels();
        int maxLines = classifier.info().maxLines();
        float[] modelLine = new float[pixels];
        float[] raw = new float[0];
        LineResampler resampler = null;
        long previousPoll = -1;
        boolean actedThisFrame = false;
        boolean frameOpen = false;
        int strandedNoted = -1;
        while (!stopRequested) {
            long pollStart = System.nanoTime();
            FrameData f = client.frameDataGrab(settings.channel(), settings.forward());
            long grabbed = System.nanoTime();
            int fresh = tracker.update(f);
            boolean newFrame = tracker.newFrame();
            // New lines mean a scan is running; only without them is the status worth a call.
            Boolean running = null;
            if (fresh == 0) {
                running = client.scanRunning();
                if (!running) {
                    // the last lines may have come between the grab and the status
                    f = client.frameDataGrab(settings.channel(), settings.forward());
                    grabbed = System.nanoTime();
                    fresh = tracker.update(f);
                    newFrame |= tracker.newFrame();
                }
            }
            if (newFrame) {
                frameOpen = false;
            }
            if (fresh > 0 && !frameOpen) {
                frameOpen = true;
                frames++;
                stream.reset();
                actedThisFrame = false;
            }
            if (resampler == null || resampler.sourcePixels() != f.columns()) {
                resampler = LineResampler.of(Math.max(1, f.columns()), pixels);
                raw = new float[f.columns()];
            }
            Action pending = null;
            boolean up = f.scanUp();
            for (int k = 0; k < fresh; k++) {
                int line = tracker.pushed();
                int row = tracker.row(line);
                f.copyRow(row, raw);
                resampler.resample(raw, 0, modelLine, 0);
                if (stream.linesSeen() >= maxLines) {
                    stream.reset();
                    note("frame " + (frames - 1) + ": the model's maximum of " + maxLines
                            + " lines reached; its stream starts again at line " + line);
                }
                Prediction p;
                try {
                    p = stream.push(modelLine);
                } catch (BadDataException e) {
                    throw new BadDataException("frame " + (frames - 1) + ", line " + line + " (row " + row + "): "
                            + e.getMessage(), e);
                }
                tracker.pushed(raw);
                BadTipPolicy.Decision d = policy.decide(p, line);
                long decided = System.nanoTime();
                String action = "none";
                if (d.badTip()) {
                    badTipLines++;
                    if (!actedThisFrame) {
                        actedThisFrame = true;
                        if (running == null) {
                            running = client.scanRunning();
                        }
                        pending = running ? settings.action() : Action.REPORT;
                        if (pending == Action.CONDITION && conditionings >= settings.maxConditioning()) {
                            pending = Action.STOP;
                            gaveUp = true;
                        }
                        action = pending.label() + (running ? "" : " (scan not running)")
                                + (gaveUp && pending == Action.STOP ? " (conditioning limit reached)" : "");
                        if (pending == Action.REPORT) {
                            reports++;
                        }
                    }
                }
                long proc = decided - grabbed;
                long bound = previousPoll < 0 ? -1 : decided - previousPoll;
                if (bound >= 0) {
                    // lines found by the first poll were acquired before watching began: a backlog, not latency
                    latency.add(bound);
                    processing.add(proc);
                }
                lines++;
                logLine(frames - 1, line, row, p, d, action, proc, bound);
                listener.line(new LineResult(frames - 1, line, row, p, d, action, proc, bound, decided), f, raw);
            }
            if (tracker.strandedRows() > 0 && strandedNoted != frames) {
                strandedNoted = frames;
                note("frame " + (frames - 1) + ": " + tracker.strandedRows() + " complete rows lie beyond a row with "
                        + "non-finite pixels at line " + tracker.acquired() + "; they are not classified");
            }
            previousPoll = pollStart;
            if (pending == Action.STOP) {
                stopScan(up, "bad tip");
                previousPoll = System.nanoTime();
                continue;
            }
            if (pending == Action.CONDITION) {
                condition(up);
                previousPoll = System.nanoTime();
                continue;
            }
            if (running != null && !running && tracker.acquired() == tracker.pushed() && !settings.follow()) {
                return;
            }
            pause(pollStart + settings.poll().toNanos() - System.nanoTime());
        }
    }

    private void stopScan(boolean up, String why) {
        client.scanAction(NanonisClient.ScanAction.STOP, up);
        stops++;
        event(DecisionLog.record("stop-scan").put("reason", why), "stopped the scan (" + why + ")");
    }

    private void condition(boolean up) {
        client.scanAction(NanonisClient.ScanAction.STOP, up);
        stoppedUp = up;
        stops++;
        event(DecisionLog.record("stop-scan").put("reason", "conditioning the tip"), "stopped the scan to condition the tip");
        if (stopRequested) {
            return;
        }
        long t0 = System.nanoTime();
        client.tipShaperStart(true, settings.shaperWait());
        conditionings++;
        event(DecisionLog.record("tip-shaper").put("seconds", (System.nanoTime() - t0) / 1e9),
                String.format(java.util.Locale.ROOT, "tip shaper done in %.1f s", (System.nanoTime() - t0) / 1e9));
        client.scanAction(NanonisClient.ScanAction.START, up);
        stoppedUp = null;
        event(DecisionLog.record("restart-scan").put("direction", up ? "up" : "down"),
                "started the scan again (" + (up ? "up" : "down") + ")");
    }

    /** Starts the scan again if watch stopped it in order to condition the tip and did not restart it. */
    private void restoreIfNeeded() {
        if (stoppedUp == null) {
            return;
        }
        boolean up = stoppedUp;
        try {
            try {
                client.scanAction(NanonisClient.ScanAction.START, up);
            } catch (NanonisException e) {
                if (reconnect == null || e.kind() == NanonisException.Kind.SERVER_ERROR) {
                    throw e;
                }
                try (NanonisClient fresh = reconnect.get()) {
                    fresh.scanAction(NanonisClient.ScanAction.START, up);
                }
            }
            stoppedUp = null;
            event(DecisionLog.record("restore").put("direction", up ? "up" : "down"),
                    "started the scan again that watch had stopped, as it was found (" + (up ? "up" : "down") + ")");
        } catch (RuntimeException e) {
            event(DecisionLog.record("restore").put("error", String.valueOf(e.getMessage())),
                    "could not start again the scan that watch stopped: " + e.getMessage()
                            + " — the microscope is left with the scan stopped");
        }
    }

    private void pause(long nanos) {
        if (nanos <= 0) {
            return;
        }
        synchronized (sleep) {
            if (stopRequested) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(sleep, nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopRequested = true;
            }
        }
    }

    private void note(String message) {
        event(DecisionLog.record("note").put("message", message), message);
    }

    private void event(ObjectNode record, String message) {
        log.write(record);
        listener.note(message);
    }

    private void logLine(int frame, int line, int row, Prediction p, BadTipPolicy.Decision d, String action, long proc,
            long bound) {
        ObjectNode r = DecisionLog.record("line");
        r.put("frame", frame).put("line", line).put("row", row).put("lines_seen", p.linesSeen())
                .put("class", p.className()).put("class_index", p.classIndex()).put("confidence", p.confidence())
                .put("uncertain", p.uncertain());
        ObjectNode probs = r.putObject("probabilities");
        List<String> names = classifier.classNames();
        for (int i = 0; i < names.size(); i++) {
            probs.put(names.get(i), p.probability(i));
        }
        p.lineState().ifPresent(state -> {
            ObjectNode s = r.putObject("line_state");
            s.put("state", state.name()).put("confidence", state.confidence());
            ObjectNode sp = s.putObject("probabilities");
            List<String> states = classifier.info().lineStateNames();
            float[] v = state.probabilities();
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
        r.put("action", action).put("processing_us", proc / 1000);
        if (bound >= 0) {
            r.put("latency_bound_us", bound / 1000);
        }
        log.write(r);
    }

    private Summary summary(boolean runningAtStart) {
        return new Summary(frames, lines, badTipLines, reports, stops, conditionings, gaveUp, stopRequested, runningAtStart,
                latency.quantile(0.5), latency.quantile(0.99), processing.quantile(0.5), processing.quantile(0.99),
                latency.count());
    }
}
