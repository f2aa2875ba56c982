package org.scanline.runtime;

import java.util.function.Supplier;
import org.scanline.LineStream;
import org.scanline.Prediction;

/**
 * Follows a frame of any length through a model that reads at most {@code M = max_lines} lines, by
 * overlapping restarts: up to line {@code M} one stream, exactly as a {@link LineStream}; when it is
 * full, a second stream is given the latest {@code M/2} lines again (one burst of {@code M/2} pushes,
 * once per frame) and from then on both take every line, each restarted when it reaches {@code M}, so
 * that one of them always holds between {@code M/2} and {@code M} lines of context. The prediction
 * reported is the one of the stream with more context. A tip change late in a long frame is then judged
 * from at least {@code M/2} lines, never from a cold start.
 *
 * <p>Cost: one push per line up to {@code M}, two from then on. Lines are kept in a ring of
 * {@code M/2} copies for the one replay; nothing is allocated per line.
 */
final class RollingLineStream implements AutoCloseable {
    private final Supplier<LineStream> factory;
    private final int maxLines;
    private final int half;
    private final float[][] ring;
    private LineStream first;
    private LineStream second;
    private int pushed;

    RollingLineStream(Supplier<LineStream> factory, int maxLines, int pixels) {
        this.factory = factory;
        this.maxLines = maxLines;
        this.half = Math.max(1, maxLines / 2);
        this.ring = new float[half][pixels];
        this.first = factory.get();
    }

    /**
     * @param line a model line, finite, the model's width
     * @return the prediction of the stream with the most context
     */
    Prediction push(float[] line) {
        Prediction reported;
        if (second == null && first.linesSeen() < maxLines) {
            reported = first.push(line);
        } else {
            if (second == null) {
                second = factory.get();
                for (int k = pushed - half; k < pushed; k++) {
                    second.push(ring[k % half]);
                }
            }
            LineStream full = first.linesSeen() >= maxLines ? first : second.linesSeen() >= maxLines ? second : null;
            if (full != null) {
                full.reset();
            }
            Prediction a = first.push(line);
            Prediction b = second.push(line);
            reported = first.linesSeen() >= second.linesSeen() ? a : b;
        }
        System.arraycopy(line, 0, ring[pushed % half], 0, line.length);
        pushed++;
        return reported;
    }

    /** @return model lines pushed since creation or the last reset */
    int pushed() {
        return pushed;
    }

    void reset() {
        first.reset();
        if (second != null) {
            second.close();
            second = null;
        }
        pushed = 0;
    }

    @Override
    public void close() {
        first.close();
        if (second != null) {
            second.close();
        }
    }
}
