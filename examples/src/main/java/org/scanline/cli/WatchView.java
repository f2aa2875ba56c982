package org.scanline.cli;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scanline.nanonis.ScanWatcher;
import org.scanline.view.ScanListener;
import org.scanline.view.ScanView;

/**
 * {@code watch --view}: passes the watcher's frames, lines and events to the printer and to a
 * {@link ScanView}. Each frame is a scan on the page; a line's latency is the watcher's upper bound of
 * line acquired → decision (unknown for the backlog a first poll finds); the policy's actions, the
 * stream's tip changes ({@code tip-change}) and the watcher's events (stop, shaper, pulse, move,
 * restart, confirm, safe: {@link #kind}) are decisions; lines skipped or lost are the
 * session's dropped lines.
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
    public void frameStarted(ScanWatcher.FrameStart f) {
        printer.frameStarted(f);
        endFrame();
        frame = f.frame();
        view.scanStarted(new ScanListener.Started(String.format(Locale.ROOT, "frame %d: %s, %s, %d × %d%s", f.frame(),
                f.channel(), f.scanUp() ? "scanning up" : "scanning down", f.rows(), f.columns(),
                f.sampling() == null ? "" : ", " + f.sampling()), f.rows(), f.columns(), unit(f.channel()), classes));
    }

    @Override
    public void line(ScanWatcher.LineResult r, float[] heights) {
        printer.line(r, heights);
        frameLines++;
        view.line(new ScanListener.Line(r.line(), heights, r.prediction(), r.latencyBoundNanos()));
        r.prediction().tipChange().ifPresent(c -> view.decision(new ScanListener.Decision(r.line(), "tip-change",
                "tip change " + c.from() + " → " + c.to() + " from line " + c.line())));
        if (!r.action().startsWith("none")) {
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
    public void stats(ScanWatcher.Summary s) {
        printer.stats(s);
        view.stats(figures(s));
    }

    @Override
    public void summary(ScanWatcher.Summary s) {
        printer.summary(s);
        endFrame();
        view.stats(figures(s));
    }

    private static ScanListener.Stats figures(ScanWatcher.Summary s) {
        return new ScanListener.Stats(s.lines(), s.linesSkipped() + s.linesLost(), s.latencyP50Nanos(), s.latencyP99Nanos(),
                "line acquired → decision (upper bound)");
    }

    private void endFrame() {
        if (frame >= 0) {
            view.scanEnded(new ScanListener.Ended("frame " + frame + ": " + frameLines + " lines classified"));
        }
        frame = -1;
        frameLines = 0;
    }

    /** @return the unit in a Nanonis channel name such as {@code Z (m)}, or "" */
    static String unit(String channel) {
        Matcher m = UNIT.matcher(channel == null ? "" : channel);
        return m.find() ? m.group(1) : "";
    }

    /**
     * The watcher tells its events in words only ({@link ScanWatcher.Listener#note}); these are the
     * kinds the page's timeline shows.
     */
    static String kind(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.startsWith("tip confirmed")) {
            return "confirm";
        }
        if (m.startsWith("tip shaper") || m.contains("the tip shaper")) {
            return "shaper";
        }
        if (m.startsWith("bias pulse")) {
            return "pulse";
        }
        if (m.startsWith("fresh area")) {
            return "move";
        }
        if (m.startsWith("stopped the scan")) {
            return "stop";
        }
        if (m.startsWith("started the scan again")) {
            return "restart";
        }
        if (m.startsWith("making the microscope safe")) {
            return "safe";
        }
        if (m.startsWith("frame ")) {
            return "frame";
        }
        return m.startsWith("watching") ? "start" : "note";
    }
}
