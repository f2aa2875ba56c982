package org.scanline.nanonis;

import java.util.Locale;
import java.util.Optional;
import org.scanline.BadConfigException;
import org.scanline.Prediction;
import org.scanline.Sampling;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanStream;

/**
 * The lines of the watched channel, as they arrive: grabs the frame (retried through the
 * {@link Connection}), checks the channel's name on every grab, follows the frame with a
 * {@link FrameTracker}, reads the frame's size and sampling from the controller when a frame starts,
 * and pushes lines into a {@link ScanStream} made for that sampling. Everything it cannot use — a
 * 0 × 0 answer, a line too broken to classify, lines the next frame overwrote before they were read,
 * a running scan that sends nothing usable — is logged and counted.
 */
final class FrameFeed implements AutoCloseable {
    /** One pushed line. */
    record Pushed(int line, int row, Optional<Prediction> prediction, float[] heights) {
    }

    private final Connection connection;
    private final ScanLineClassifier classifier;
    private final WatchSettings settings;
    private final WatchState state;
    private final Recovery.Events events;
    private final ScanWatcher.Listener listener;
    private final FrameTracker tracker;
    private int channel;
    private String channelName;
    private FrameData frame;
    private ScanStream stream;
    private Sampling sampling;
    private int streamColumns = -1;
    private boolean fallbackNoted;
    private boolean frameOpen;
    private boolean stoppedByUs;
    private double lineSeconds = Double.NaN;
    private float[] raw = new float[0];
    private long lastUseful = System.nanoTime();
    private boolean lastAllNaN;
    private long unusableSince = -1;
    private int previousRows;
    private int previousPushed;

    FrameFeed(Connection connection, ScanLineClassifier classifier, WatchSettings settings, WatchState state,
            Recovery.Events events, ScanWatcher.Listener listener) {
        this.connection = connection;
        this.classifier = classifier;
        this.settings = settings;
        this.state = state;
        this.events = events;
        this.listener = listener;
        this.tracker = new FrameTracker(settings.rowsInAcquisitionOrder());
        this.channel = settings.channel();
    }

    /**
     * Grabs the frame and follows it.
     *
     * @return the number of acquired lines not pushed yet; 0 after a 0 × 0 answer
     */
    int grab() {
        if (channel < 0) {
            resolveChannel();
        }
        FrameData f = connection.read("Scan.FrameDataGrab", c -> c.frameDataGrab(channel, settings.forward()));
        checkName(f.channel());
        if (f.rows() == 0 || f.columns() == 0) {
            state.emptyGrabs++;
            events.event(DecisionLog.record("note").put("message", "empty grab").put("count", state.emptyGrabs),
                    "the controller answered a " + f.rows() + " × " + f.columns() + " frame (" + state.emptyGrabs
                            + " so far); the frame being watched is kept");
            return 0;
        }
        lastAllNaN = f.allNaN();
        if (lastAllNaN) {
            // nothing usable: a frame whose first line is still under way, or a controller that sends no data;
            // following it would take every line seen so far for a new frame
            return 0;
        }
        frame = f;
        int fresh = tracker.update(f);
        if (tracker.newFrame()) {
            endFrame();
        }
        if (fresh > 0) {
            lastUseful = System.nanoTime();
        }
        if (fresh > 0 && !frameOpen) {
            openFrame(f);
        }
        return fresh;
    }

    /** The lines of the current frame before the new one were not all read: count and log the rest. */
    private void endFrame() {
        if (frameOpen && !stoppedByUs && streamColumns > 0) {
            int rows = previousRows;
            int unread = rows - previousPushed;
            if (unread > 0) {
                state.linesLost += unread;
                events.event(DecisionLog.record("lines-lost").put("frame", state.frames - 1).put("first_line", previousPushed)
                        .put("lines", unread), String.format(Locale.ROOT, "frame %d: lines %d–%d were not read before "
                        + "the next frame began (overwritten, or never acquired if the scan was stopped from outside)",
                        state.frames - 1, previousPushed, rows - 1));
            }
        }
        frameOpen = false;
        stoppedByUs = false;
    }

    private void openFrame(FrameData f) {
        frameOpen = true;
        stoppedByUs = false;
        state.frames++;
        Sampling s = readSampling(f);
        if (stream == null || f.columns() != streamColumns || !java.util.Objects.equals(s, sampling)) {
            if (stream != null) {
                stream.close();
            }
            stream = open(s, f.columns());
            sampling = s;
            streamColumns = f.columns();
            raw = new float[f.columns()];
        } else {
            stream.reset();
        }
        listener.frameStarted(new ScanWatcher.FrameStart(state.frames - 1, f.rows(), f.columns(), s, f.channel(), f.scanUp()));
        events.event(DecisionLog.record("frame").put("frame", state.frames - 1).put("rows", f.rows())
                .put("columns", f.columns()).put("sampling", s == null ? "unknown" : s.toString())
                .put("line_time_s", lineSeconds).put("direction", f.scanUp() ? "up" : "down"),
                String.format(Locale.ROOT, "frame %d: %d × %d, %s, %s", state.frames - 1, f.rows(), f.columns(),
                        s == null ? "sampling unknown" : s.toString(), Double.isNaN(lineSeconds) ? "line time unknown"
                        : String.format(Locale.ROOT, "%.3g s per line", lineSeconds)));
    }

    /** @return the frame's sampling from Scan.FrameGet and Scan.BufferGet, or null when the controller does not say */
    private Sampling readSampling(FrameData f) {
        try {
            ScanBuffer b = connection.read("Scan.BufferGet", NanonisClient::bufferGet);
            ScanFrame size = connection.read("Scan.FrameGet", NanonisClient::frameGet);
            ScanSpeed speed = connection.read("Scan.SpeedGet", NanonisClient::speedGet);
            lineSeconds = speed.lineTime();
            if (b.pixels() != f.columns() || b.lines() != f.rows()) {
                events.event(DecisionLog.record("note").put("message", "buffer size differs from the grab"),
                        "Scan.BufferGet says " + b.pixels() + " px × " + b.lines() + " lines, the grab holds "
                                + f.columns() + " × " + f.rows() + ": the grab's size is used");
            }
            return Sampling.ofFrame(size.width() * 1e9, size.height() * 1e9, f.columns(), f.rows());
        } catch (NanonisException | IllegalArgumentException e) {
            events.event(DecisionLog.record("note").put("message", "sampling unknown").put("error", e.getMessage()),
                    "the frame's size or speed is unknown (" + e.getMessage() + "): lines are resampled to the model's "
                            + "width only, polls every " + settings.poll().toMillis() + " ms");
            return null;
        }
    }

    private ScanStream open(Sampling s, int columns) {
        if (s != null) {
            try {
                return classifier.newStream(s, columns);
            } catch (UnsupportedOperationException e) {
                if (!fallbackNoted) {
                    fallbackNoted = true;
                    events.event(DecisionLog.record("note").put("message", "no sampled stream").put("error", e.getMessage()),
                            "the runtime has no sampled stream (" + e.getMessage() + "): lines are resampled to the "
                                    + "model's width only");
                }
            }
        }
        return new ResampledStream(classifier, s, columns);
    }

    /**
     * Pushes the next acquired line.
     *
     * @return the line, its row and the prediction (empty when the stream skipped it, or needs more lines)
     */
    Pushed next() {
        int line = tracker.pushed();
        int row = tracker.row(line);
        frame.copyRow(row, raw);
        int skipped = stream.linesSkipped();
        int repaired = stream.pixelsRepaired();
        Optional<Prediction> p = stream.push(raw);
        tracker.pushed(raw);
        if (stream.linesSkipped() > skipped) {
            state.linesSkipped++;
            events.event(DecisionLog.record("line-skipped").put("frame", state.frames - 1).put("line", line).put("row", row)
                    .put("non_finite", frame.nonFinite(row)), String.format(Locale.ROOT,
                    "frame %d, line %d: skipped, %d of %d pixels NaN or infinite (%d lines skipped so far)",
                    state.frames - 1, line, frame.nonFinite(row), raw.length, state.linesSkipped));
        }
        if (stream.pixelsRepaired() > repaired) {
            state.pixelsRepaired += stream.pixelsRepaired() - repaired;
        }
        previousRows = frame.rows();
        previousPushed = tracker.pushed();
        return new Pushed(line, row, p, raw);
    }

    /**
     * @return whether every acquired line of the frame has been pushed, as far as a usable grab shows;
     *     after the no-data timeout without a usable grab, the frame's unread lines are counted as lost
     *     and the answer is yes
     */
    boolean caughtUp() {
        if (!lastAllNaN) {
            unusableSince = -1;
            return tracker.acquired() == tracker.pushed();
        }
        long now = System.nanoTime();
        if (unusableSince < 0) {
            unusableSince = now;
        }
        if (now - unusableSince < settings.noDataTimeout().toNanos()) {
            return false;
        }
        if (frameOpen && frame != null && tracker.pushed() < frame.rows()) {
            int unread = frame.rows() - tracker.pushed();
            state.linesLost += unread;
            events.event(DecisionLog.record("lines-lost").put("frame", state.frames - 1).put("first_line", tracker.pushed())
                    .put("lines", unread), String.format(Locale.ROOT, "frame %d: the scan ended while the controller sent "
                    + "nothing usable; lines %d–%d were never read", state.frames - 1, tracker.pushed(), frame.rows() - 1));
            frameOpen = false;
        }
        return true;
    }

    /** @return the current frame's scan direction */
    boolean scanUp() {
        return frame == null || frame.scanUp();
    }

    /** The watch stopped the scan: the frame's unread lines are not lost, they were never acquired. */
    void stoppedByUs() {
        stoppedByUs = true;
    }

    /**
     * Says when a running scan has sent nothing usable for the no-data timeout, once per timeout.
     *
     * @param running whether the scan runs
     */
    void checkNoData(boolean running) {
        long now = System.nanoTime();
        if (!running) {
            lastUseful = now;
            return;
        }
        if (now - lastUseful >= settings.noDataTimeout().toNanos()) {
            state.noDataNotes++;
            lastUseful = now;
            events.event(DecisionLog.record("no-data").put("seconds", settings.noDataTimeout().toMillis() / 1000.0)
                    .put("channel", channelName), String.format(Locale.ROOT, "the scan runs but channel %d (%s) has sent "
                    + "nothing usable for %.1f s (no new line; %s)", channel, channelName,
                    settings.noDataTimeout().toMillis() / 1000.0, lastAllNaN ? "every pixel NaN" : "no line completed"));
        }
    }

    /**
     * @param pollStart when the poll began
     * @return how long to wait before the next poll: the poll interval, or half a line when lines are faster
     */
    long waitNanos(long pollStart) {
        long interval = settings.poll().toNanos();
        if (!Double.isNaN(lineSeconds)) {
            interval = Math.min(interval, Math.max(200_000L, (long) (lineSeconds * 0.5e9)));
        }
        return pollStart + interval - System.nanoTime();
    }

    private void resolveChannel() {
        ScanBuffer b = connection.read("Scan.BufferGet", NanonisClient::bufferGet);
        StringBuilder seen = new StringBuilder();
        for (int c : b.channels()) {
            FrameData f = connection.read("Scan.FrameDataGrab", x -> x.frameDataGrab(c, settings.forward()));
            seen.append(seen.length() == 0 ? "" : ", ").append(c).append(" '").append(f.channel()).append("'");
            if (matches(f.channel())) {
                channel = c;
                channelName = f.channel();
                events.event(DecisionLog.record("channel").put("index", c).put("name", f.channel()),
                        "channel '" + settings.channelName() + "' is " + c + " (" + f.channel() + ") among the buffer's " + seen);
                return;
            }
        }
        throw new BadConfigException("watch: no channel named '" + settings.channelName() + "' among the scan buffer's "
                + "channels (Scan.BufferGet): " + seen + "; record it, or pass --channel-name");
    }

    private void checkName(String name) {
        if (!matches(name)) {
            throw new NanonisException(NanonisException.Kind.PROTOCOL, "Scan.FrameDataGrab", "channel " + channel + " now holds '"
                    + name + "', not '" + settings.channelName() + "'" + (channelName == null ? "" : " (it held '"
                    + channelName + "')") + ": the scan buffer changed; the watch stops rather than classify another signal");
        }
        if (channelName == null) {
            channelName = name;
        }
    }

    private boolean matches(String name) {
        String want = settings.channelName().strip().toLowerCase(Locale.ROOT);
        String have = name.strip().toLowerCase(Locale.ROOT);
        return have.equals(want) || have.startsWith(want + " ") || have.startsWith(want + "(");
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }
}
