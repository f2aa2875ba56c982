package org.scanline.cli;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scanline.nanonis.FrameData;
import org.scanline.nanonis.ScanWatcher;
import org.scanline.view.ScanListener;
import org.scanline.view.ScanView;

/**
 * {@code watch --view}: passes the watcher's lines and events to the printer and to a {@link ScanView}.
 * Each frame is a scan on the page; a line's latency is the watcher's upper bound of line acquired →
 * decision (unknown for the backlog a first poll finds); the policy's actions, confirmed tip changes and
 * the watcher's events are decisions.
 */
final class WatchView implements ScanWatcher.Listener {
    private static final Pattern UNIT = Pattern.compile("\\(([^)]+)\\)\\s*$");
    private final ScanView view;
    private final ScanWatcher.Listener printer;
    private final List<String> classes;
    private int frame = -1;
    private int frameLines;

    /**
     * @param view the page
     * @param printer the terminal's listener, told everything first
     * @param classes the model's classes
     */
    WatchView(ScanView view, ScanWatcher.Listener printer, List<String> classes) {
        this.view = view;
        this.printer = printer;
        this.classes = classes;
    }

    @Override
    public void line(ScanWatcher.LineResult r, FrameData f, float[] heights) {
        printer.line(r, f, heights);
        if (r.frame() != frame) {
            endFrame();
            frame = r.frame();
            view.scanStarted(new ScanListener.Started(String.format(Locale.ROOT, "frame %d: %s, %s, %d × %d", frame,
                    f.channel(), f.scanUp() ? "scanning up" : "scanning down", f.rows(), f.columns()), f.rows(),
                    f.columns(), unit(f.channel()), classes));
        }
        frameLines++;
        view.line(new ScanListener.Line(r.line(), heights, r.prediction(), r.latencyBoundNanos()));
        r.prediction().tipChange().ifPresent(c -> view.decision(new ScanListener.Decision(r.line(), "confirm",
                "tip change " + c.from() + " → " + c.to() + " from line " + c.line())));
        if (!r.action().equals("none")) {
            view.decision(new ScanListener.Decision(r.line(), r.action().split(" ")[0],
                    r.decision().reason() + " → " + r.action()));
        }
    }

    @Override
    public void note(String message) {
        printer.note(message);
        view.decision(new ScanListener.Decision(-1, kind(message), message));
    }

    @Override
    public void summary(ScanWatcher.Summary s) {
        printer.summary(s);
        endFrame();
        view.stats(new ScanListener.Stats(s.lines(), 0, s.latencyP50Nanos(), s.latencyP99Nanos(),
                "line acquired → decision (upper bound)"));
    }

    private void endFrame() {
        if (frame >= 0 && frameLines > 0) {
            view.scanEnded(new ScanListener.Ended("frame " + frame + ": " + frameLines + " lines classified"));
        }
        frameLines = 0;
    }

    /** @return the unit in a Nanonis channel name such as {@code Z (m)}, or "" */
    static String unit(String channel) {
        Matcher m = UNIT.matcher(channel == null ? "" : channel);
        return m.find() ? m.group(1) : "";
    }

    /**
     * The watcher tells its events in words only ({@link ScanWatcher.Listener#note}); these are the
     * kinds the page's timeline colours.
     */
    static String kind(String message) {
        if (message.startsWith("stopped the scan")) {
            return "stop";
        }
        if (message.startsWith("tip shaper")) {
            return "shaper";
        }
        if (message.startsWith("started the scan again")) {
            return "restart";
        }
        return message.startsWith("watching") ? "start" : "note";
    }
}
