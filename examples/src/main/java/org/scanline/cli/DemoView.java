package org.scanline.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.scanline.Prediction;
import org.scanline.view.ScanListener;
import org.scanline.view.ScanView;

/**
 * The demo's scans on a {@link ScanView}: each scan announced, its lines passed on as they are
 * streamed (paced, so that a person sees the scan grow; the pause comes after the line is timed),
 * the first confident class and every confirmed tip change ({@code tip-change}) as decisions, and the scan's figures
 * and end. Without a view it does nothing.
 */
final class DemoView {
    private final ScanView view;
    private final long lineMs;
    private long[] nanos = new long[0];
    private int count;
    private int confidentAt;
    private boolean open;

    /**
     * @param view the view, or null for none
     * @param lineMs pause after each line
     */
    DemoView(ScanView view, long lineMs) {
        this.view = view;
        this.lineMs = lineMs;
    }

    /**
     * Announces a scan.
     *
     * @param title the page's heading
     * @param lines the scan's lines as acquired (heights in metres)
     * @param classes the model's classes
     * @return the hook that passes on every line streamed
     */
    StreamCommand.LineHook scan(String title, float[][] lines, List<String> classes) {
        if (view == null) {
            return (l, p, t) -> {
            };
        }
        view.scanStarted(new ScanListener.Started(title, lines.length, lines[0].length, "m", classes));
        open = true;
        nanos = new long[lines.length];
        count = 0;
        confidentAt = -1;
        return (l, p, t) -> {
            view.line(new ScanListener.Line(l, lines[l], p, t));
            if (t >= 0 && count < nanos.length) {
                nanos[count++] = t;
            }
            if (confidentAt < 0 && !p.uncertain()) {
                confidentAt = l;
                view.decision(new ScanListener.Decision(l, "confident", String.format(Locale.ROOT,
                        "%s at p %.2f after %d lines", p.className(), p.confidence(), p.linesSeen())));
            }
            p.tipChange().ifPresent(c -> view.decision(new ScanListener.Decision(l, "tip-change", "tip change "
                    + c.from() + " → " + c.to() + " from line " + c.line())));
            pause();
        };
    }

    /**
     * Ends the scan announced last, if it is still open.
     *
     * @param ps its predictions
     * @param summary one sentence on it
     */
    void end(List<Prediction> ps, String summary) {
        if (view == null || !open) {
            return;
        }
        open = false;
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        if (count > 0) {
            view.stats(new ScanListener.Stats(count, 0, sorted[count / 2],
                    sorted[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)], "push (resample + classify) per line"));
        }
        Prediction last = ps.isEmpty() ? null : ps.get(ps.size() - 1);
        view.scanEnded(new ScanListener.Ended(summary + (last == null ? "" : String.format(Locale.ROOT,
                ": %s (p %.2f) after %d lines", last.className(), last.confidence(), last.linesSeen()))));
    }

    private void pause() {
        if (lineMs <= 0) {
            return;
        }
        try {
            Thread.sleep(lineMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
