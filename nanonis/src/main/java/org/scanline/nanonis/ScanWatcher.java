package org.scanline.nanonis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.scanline.Prediction;
import org.scanline.Sampling;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanStream;
import org.scanline.Uncertainty;

/**
 * Watches a running Nanonis scan line by line: grabs the frame, pushes every newly acquired line in
 * acquisition order into a {@link ScanStream} made for the frame's sampling (its size from
 * {@code Scan.FrameGet}, its pixels and lines from {@code Scan.BufferGet}), asks a
 * {@link BadTipPolicy} after every line and, on a bad tip, reports it, stops the scan, or climbs a
 * {@link RecoveryLadder}. Every decision and action goes to a JSON-lines log, one object a line.
 *
 * <pre>{@code
 * try (NanonisClient nanonis = NanonisClient.connect("localhost", 6501, Duration.ofSeconds(5));
 *      ScanLineClassifier model = ScanLineClassifier.open(Path.of("model.onnx"))) {
 *     BadTipPolicy policy = BadTipPolicy.validated(model.classNames());
 *     ScanWatcher.Summary s = new ScanWatcher(nanonis, () -> NanonisClient.connect("localhost", 6501, Duration.ofSeconds(5)),
 *             model, policy, WatchSettings.builder().action(WatchSettings.Action.CONDITION).build(),
 *             Path.of("watch.jsonl"), new ScanWatcher.Listener() { }).run();
 * }
 * }</pre>
 *
 * <p><b>Faults.</b> A lost connection, a read that times out, or a controller's error answer to a read
 * is retried with backoff on a fresh connection ({@link WatchSettings#reconnectBudget()}), and the
 * watch resumes the same frame where it was. Lines that could not be read before the next frame
 * overwrote them, lines too broken to classify, and repaired pixels are logged and counted; 0 × 0
 * answers are noted; a running scan that sends nothing usable is noted every
 * {@link WatchSettings#noDataTimeout()}. A failure during a recovery, the end of its budget, and a stop
 * requested mid-recovery leave the microscope safe ({@link Outcome}).
 *
 * <p><b>No action on a prediction with a reason.</b> A prediction that carries an {@link Uncertainty}
 * other than {@link Uncertainty#LOW_CONFIDENCE} (a sampling the runtime cannot bridge, an unknown
 * surface, a non-finite output) is logged with its reasons and never acted on. Low confidence of the
 * top class alone does not block: the policy's triggers are their own confidence tests (the
 * bad-class trigger sums several classes, none of which need be the top one).
 */
public final class ScanWatcher {

    /** How a watch ended. */
    public enum Outcome {
        /** The scan ended and every line was classified (or read as broken and counted). */
        ENDED,
        /** A stop was requested ({@link #requestStop()}). */
        INTERRUPTED,
        /** The recovery budget was spent: the scan stopped, the tip withdrawn when configured. */
        GAVE_UP,
        /** A recovery failed or left the tip shaper in an unknown state: the microscope was made safe. */
        RECOVERY_FAILED
    }

    /**
     * One classified line.
     *
     * @param frame frame number in this session, from 0
     * @param line line index in the frame, 0 = first acquired
     * @param row the line's row in {@code Scan.FrameDataGrab}'s array
     * @param prediction the model's prediction after the line
     * @param decision the policy's decision ({@link BadTipPolicy.Decision#OK} when not judged)
     * @param action what was done: {@code none}, the action's label, or why nothing was done
     * @param processingNanos grab received → decision
     * @param latencyBoundNanos previous poll started → decision (an upper bound of acquired → decision); −1 when unknown
     * @param decidedNanos {@link System#nanoTime()} at the decision
     */
    public record LineResult(int frame, int line, int row, Prediction prediction, BadTipPolicy.Decision decision,
            String action, long processingNanos, long latencyBoundNanos, long decidedNanos) {
    }

    /**
     * A frame as the watch starts on it.
     *
     * @param frame frame number in this session
     * @param rows lines in the frame
     * @param columns pixels per line
     * @param sampling its physical sampling, or null when the controller did not say
     * @param channel the channel's name
     * @param scanUp scan direction
     */
    public record FrameStart(int frame, int rows, int columns, Sampling sampling, String channel, boolean scanUp) {
    }

    /**
     * The session in numbers.
     *
     * @param frames frames seen
     * @param lines lines classified
     * @param badTipLines lines after which the policy judged the tip bad
     * @param reports bad tips reported (once per frame)
     * @param stops scans stopped
     * @param conditionings recovery steps taken
     * @param gaveUp the recovery budget was spent
     * @param interrupted ended by {@link #requestStop()}
     * @param scanRunningAtStart whether a scan was running when watching began
     * @param latencyP50Nanos median upper bound of acquired → decision
     * @param latencyP99Nanos 99th percentile of it
     * @param processingP50Nanos median grab → decision
     * @param processingP99Nanos 99th percentile of it
     * @param latencySamples lines behind the latency figures
     * @param outcome how the watch ended
     * @param linesSkipped lines read but too broken to classify (non-finite pixels)
     * @param pixelsRepaired isolated non-finite pixels repaired
     * @param linesLost lines never read: the next frame overwrote them first
     * @param reconnects fresh connections opened after a failure
     * @param readFaults reads that failed and were retried
     * @param emptyGrabs 0 × 0 answers to a grab
     * @param noDataNotes times a running scan had sent nothing usable for the no-data timeout
     * @param unactedReasons lines whose prediction carried a reason that blocks action
     * @param safeReason why the microscope was made safe; empty when it was not
     */
    public record Summary(int frames, long lines, long badTipLines, int reports, int stops, int conditionings, boolean gaveUp,
            boolean interrupted, boolean scanRunningAtStart, long latencyP50Nanos, long latencyP99Nanos,
            long processingP50Nanos, long processingP99Nanos, int latencySamples, Outcome outcome, long linesSkipped,
            long pixelsRepaired, long linesLost, int reconnects, int readFaults, int emptyGrabs, int noDataNotes,
            long unactedReasons, String safeReason) {
    }

    /** Receives what happens, on the watching thread. */
    public interface Listener {
        /** @param f a frame the watch starts on, with its size and sampling */
        default void frameStarted(FrameStart f) {
        }

        /** @param r a classified line with its prediction, decision and action */
        default void line(LineResult r) {
        }

        /**
         * @param r a classified line; by default passed to {@link #line(LineResult)}
         * @param heights the line as acquired: the watcher's buffer, valid during the call only
         */
        default void line(LineResult r, float[] heights) {
            line(r);
        }

        /** @param message an event: a scan stopped, a recovery step, a fault, a warning */
        default void note(String message) {
        }

        /** @param s the session so far, after every frame */
        default void stats(Summary s) {
        }

        /** @param s the session's summary, given before {@link #run()} returns (also on failure) */
        default void summary(Summary s) {
        }
    }

    private final NanonisClient client;
    private final Supplier<NanonisClient> reconnect;
    private final ScanLineClassifier classifier;
    private final BadTipPolicy policy;
    private final WatchSettings settings;
    private final Path logFile;
    private final Listener listener;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Object sleep = new Object();
    private volatile boolean stopRequested;
    final WatchState state = new WatchState();
    private DecisionLog log;

    /**
     * @param client the connection to the controller
     * @param reconnect opens a fresh connection after a failure; null for none (failures then end the watch)
     * @param classifier the model
     * @param policy when a tip is bad
     * @param settings how to watch
     * @param logFile the JSON-lines log (appended to); null for none
     * @param listener receives frames, lines and events
     */
    public ScanWatcher(NanonisClient client, Supplier<NanonisClient> reconnect, ScanLineClassifier classifier,
            BadTipPolicy policy, WatchSettings settings, Path logFile, Listener listener) {
        this.client = Objects.requireNonNull(client, "client");
        this.reconnect = reconnect;
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.logFile = logFile;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Asks {@link #run()} to return at its next safe point. Any thread. */
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
     * Watches until the scan ends (or forever with {@link WatchSettings#follow()}), a stop is
     * requested, or a recovery ends the watch.
     *
     * @return the session's summary; {@link Summary#outcome()} says how it ended
     * @throws NanonisException when the controller cannot be reached within the reconnect budget,
     *     or sends what the watch cannot follow (another channel than asked)
     */
    public Summary run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a ScanWatcher runs once");
        }
        try (DecisionLog opened = DecisionLog.open(logFile);
             Connection connection = new Connection(client, reconnect, settings.reconnectBudget(), connectionEvents(),
                     this::pause)) {
            log = opened;
            Recovery recovery = new Recovery(connection, settings.ladder(), this::event, () -> stopRequested);
            FrameFeed feed = new FrameFeed(connection, classifier, settings, state, this::event, listener);
            String error = null;
            try {
                state.runningAtStart = connection.read("Scan.StatusGet", NanonisClient::scanRunning);
                start(connection);
                state.outcome = new WatchLoop(this, feed, recovery, connection).watch();
            } catch (RuntimeException e) {
                error = e.getMessage();
                throw e;
            } finally {
                // A scan restarted after a recovery and never confirmed runs on a tip that may still be
                // bad: a watch that ends then (Ctrl-C, a lost controller, no data) leaves it safe.
                if (recovery.confirming() && recovery.safeReason() == null) {
                    try {
                        recovery.makeSafe("the watch ended before the recovered tip was confirmed", true, feed.scanUp());
                    } catch (RuntimeException e) {
                        error = error == null ? e.getMessage() : error;
                    }
                }
                feed.close();
                state.conditionings = recovery.conditionings();
                state.safeReason = recovery.safeReason();
                if (stopRequested && state.outcome == Outcome.ENDED) {
                    state.outcome = Outcome.INTERRUPTED;
                }
                Summary s = state.summary(stopRequested);
                ObjectNode end = DecisionLog.record("end");
                WatchState.put(end, s);
                if (error != null) {
                    end.put("error", error);
                }
                log.write(end);
                listener.summary(s);
            }
            return state.summary(stopRequested);
        } finally {
            finished.countDown();
        }
    }

    private Connection.Events connectionEvents() {
        return new Connection.Events() {
            @Override
            public void retrying(String what, NanonisException e, int attempt, long waitMillis) {
                state.readFaults++;
                event(DecisionLog.record("fault").put("call", what).put("kind", e.kind().name())
                        .put("error", String.valueOf(e.getMessage())).put("retry", attempt).put("backoff_ms", waitMillis),
                        what + " failed (" + e.kind() + "): " + e.getMessage() + "; retry " + attempt + " in "
                                + waitMillis + " ms");
            }

            @Override
            public void reconnected(String address) {
                state.reconnects++;
                event(DecisionLog.record("reconnect").put("nanonis", address), "connected again to " + address);
            }
        };
    }

    private void start(Connection connection) {
        ObjectNode r = DecisionLog.record("start");
        r.put("nanonis", connection.client().address()).put("scan_running", state.runningAtStart)
                .put("channel", settings.channel()).put("channel_name", settings.channelName())
                .put("trace", settings.forward() ? "forward" : "backward").put("poll_ms", settings.poll().toMillis())
                .put("action", settings.action().label()).put("policy", policy.describe()).put("follow", settings.follow())
                .put("recovery", settings.ladder().describe()).put("model_pixels", classifier.pixels())
                .put("model_max_lines", classifier.info().maxLines());
        classifier.classNames().forEach(r.putArray("classes")::add);
        log.write(r);
        listener.note("watching " + connection.client().address() + (state.runningAtStart ? " (a scan is running)"
                : " (no scan running)") + "; bad tip: " + policy.describe() + "; action: " + settings.action().label()
                + (settings.action() == WatchSettings.Action.CONDITION ? " (" + settings.ladder().describe() + ")" : ""));
    }

    BadTipPolicy policy() {
        return policy;
    }

    WatchSettings settings() {
        return settings;
    }

    Listener listener() {
        return listener;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    DecisionLog log() {
        return log;
    }

    ScanLineClassifier classifier() {
        return classifier;
    }

    /** @return the reasons that block action on a prediction (every one but low confidence) */
    static Set<Uncertainty> blocking(Prediction p) {
        EnumSet<Uncertainty> r = p.reasons().isEmpty() ? EnumSet.noneOf(Uncertainty.class) : EnumSet.copyOf(p.reasons());
        r.remove(Uncertainty.LOW_CONFIDENCE);
        return r;
    }

    static String describe(Set<Uncertainty> reasons) {
        return reasons.stream().map(Uncertainty::description).collect(Collectors.joining(", "));
    }

    /**
     * Sleeps up to {@code millis} unless a stop is requested.
     *
     * @return false when a stop was requested
     */
    boolean pause(long millis) {
        return pauseNanos(millis * 1_000_000L);
    }

    boolean pauseNanos(long nanos) {
        synchronized (sleep) {
            if (stopRequested) {
                return false;
            }
            if (nanos > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(sleep, nanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopRequested = true;
                }
            }
            return !stopRequested;
        }
    }

    void event(ObjectNode record, String message) {
        log.write(record);
        listener.note(message);
    }
}
