package org.scanline.nanonis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameTrackerTest {
    static final int ROWS = 6;
    static final int COLS = 2;

    /** A frame whose given rows hold {@code base + row}, the others NaN. */
    static FrameData frame(boolean up, float base, int... rows) {
        float[] d = new float[ROWS * COLS];
        Arrays.fill(d, Float.NaN);
        for (int r : rows) {
            d[r * COLS] = base + r;
            d[r * COLS + 1] = base + r;
        }
        return new FrameData("Z", ROWS, COLS, d, up);
    }

    static void push(FrameTracker t, FrameData f, int n) {
        float[] raw = new float[COLS];
        for (int i = 0; i < n; i++) {
            f.copyRow(t.row(t.pushed()), raw);
            t.pushed(raw);
        }
    }

    @Test
    void theOrderComesFromWhereTheAcquiredRowsAre() {
        // a down scan that fills from row 0 (rows in acquisition order) is read from row 0
        FrameTracker t = new FrameTracker(false);
        assertEquals(2, t.update(frame(false, 0, 0, 1)));
        assertTrue(t.fromFirstRow());
        push(t, frame(false, 0, 0, 1), 2);
        assertEquals(1, t.update(frame(false, 0, 0, 1, 2)));
        assertEquals(2, t.row(2));
        // an up scan stored top row first fills from the last row
        FrameTracker u = new FrameTracker(false);
        assertEquals(2, u.update(frame(true, 0, 5, 4)));
        assertFalse(u.fromFirstRow());
        assertEquals(5, u.row(0));
        assertEquals(4, u.row(1));
    }

    @Test
    void aFrameFirstSeenCompleteFollowsTheDirection() {
        int[] all = {0, 1, 2, 3, 4, 5};
        FrameTracker up = new FrameTracker(false);
        assertEquals(ROWS, up.update(frame(true, 0, all)));
        assertEquals(0, up.row(0));
        FrameTracker down = new FrameTracker(false);
        assertEquals(ROWS, down.update(frame(false, 0, all)));
        assertEquals(5, down.row(0));
        FrameTracker acquisition = new FrameTracker(true);
        acquisition.update(frame(false, 0, all));
        assertEquals(0, acquisition.row(0));
    }

    @Test
    void newFramesAreRecognised() {
        FrameTracker t = new FrameTracker(false);
        FrameData a = frame(true, 0, 0, 1, 2);
        t.update(a);
        push(t, a, 3);
        assertEquals(0, t.update(a));
        assertFalse(t.newFrame());
        // fewer lines than pushed: the buffer was cleared
        assertEquals(1, t.update(frame(true, 100, 0)));
        assertTrue(t.newFrame());
        push(t, frame(true, 100, 0), 1);
        // as many lines, but the last pushed line changed: a new frame caught up between polls
        assertEquals(2, t.update(frame(true, 200, 0, 1)));
        assertTrue(t.newFrame());
        // the same frame keeps its lines
        push(t, frame(true, 200, 0, 1), 2);
        assertEquals(1, t.update(frame(true, 200, 0, 1, 2)));
        assertFalse(t.newFrame());
    }

    @Test
    void aRowWithNaNPixelsBeforeLaterLinesIsAcquiredAndTheRunGoesOn() {
        FrameTracker t = new FrameTracker(false);
        // row 2 never arrived (NaN throughout) but rows 3 and 4 did: five lines are acquired
        assertEquals(5, t.update(frame(true, 0, 0, 1, 3, 4)));
        FrameData f = frame(true, 0, 0, 1, 2, 3);
        f.data()[2 * COLS] = Float.NaN;
        FrameTracker u = new FrameTracker(false);
        assertEquals(4, u.update(f), "one NaN pixel in row 2 does not stop rows 3 on");
        FrameData progress = frame(true, 0, 0, 1, 2);
        progress.data()[2 * COLS + 1] = Float.NaN;
        assertEquals(2, new FrameTracker(false).update(progress), "the last row with NaN pixels may be in progress");
        FrameData inf = frame(true, 0, 0, 1);
        Arrays.fill(inf.data(), COLS, 2 * COLS, Float.POSITIVE_INFINITY);
        assertEquals(2, new FrameTracker(false).update(inf), "an infinite row is acquired (and broken)");
    }
}
