package org.scanline.nanonis;

/**
 * Follows one frame across polls: which rows hold the lines acquired so far, in which order, how
 * many of them have been pushed, and when the frame in the buffer is a new one.
 *
 * <p><b>Which lines are acquired.</b> Lines not acquired yet are NaN throughout. A row without NaN is
 * acquired; so is any row, even one with NaN pixels or NaN throughout, that lies before a row holding
 * data, since the scan has moved past it. Only the last row holding data, while it still has NaN
 * pixels, may be a line in progress and waits for the next grab. So one NaN pixel never stops the
 * lines that follow it: the row goes to the stream, which repairs or skips it and counts it.
 *
 * <p>The protocol document does not say in which order {@code Scan.FrameDataGrab} returns rows. The
 * tracker reads it off the frame: while a frame fills, its rows holding data sit at one end — at row 0 (row 0 is the first line) or at the last row (the last row
 * is). That order is kept for the rest of the frame. Only a frame first seen complete, or empty at
 * both ends, falls back to the scan direction: an up scan starts at row 0 and a down scan at the last
 * row (the bottom row stored first, as the simulated server does), or at row 0 whatever the
 * direction when {@code rowsInAcquisitionOrder}.
 *
 * <p>A new frame is recognised when the frame's shape changes, when fewer lines are acquired than
 * were pushed, or when the last pushed line no longer holds what was pushed.
 */
final class FrameTracker {
    private final boolean rowsInAcquisitionOrder;
    private int rows = -1;
    private int columns = -1;
    private Boolean fromFirstRow;
    private boolean currentOrder = true;
    private int pushed;
    private float[] lastPushed = new float[0];
    private boolean newFrame;
    private int acquired;

    FrameTracker(boolean rowsInAcquisitionOrder) {
        this.rowsInAcquisitionOrder = rowsInAcquisitionOrder;
    }

    /**
     * Takes a new grab of the frame.
     *
     * @param f the frame
     * @return the number of acquired lines not pushed yet
     */
    int update(FrameData f) {
        newFrame = false;
        if (f.rows() != rows || f.columns() != columns) {
            newFrame = rows >= 0;
            rows = f.rows();
            columns = f.columns();
            lastPushed = new float[columns];
            forget();
        }
        if (rows == 0 || columns == 0) {
            acquired = 0;
            return 0;
        }
        boolean first = f.holdsData(0);
        boolean last = f.holdsData(rows - 1);
        boolean evidence = first != last;
        if (fromFirstRow != null && evidence && first != fromFirstRow) {
            startOver();
        }
        boolean order = fromFirstRow != null ? fromFirstRow : evidence ? first : rowsInAcquisitionOrder || f.scanUp();
        acquired = run(f, order);
        if (pushed > 0 && (acquired < pushed || !f.rowEquals(row(pushed - 1, order), lastPushed))) {
            startOver();
            order = evidence ? first : rowsInAcquisitionOrder || f.scanUp();
            acquired = run(f, order);
        }
        if (fromFirstRow == null && evidence) {
            fromFirstRow = first;
        }
        currentOrder = order;
        return acquired - pushed;
    }

    private void startOver() {
        newFrame = true;
        forget();
    }

    private void forget() {
        fromFirstRow = null;
        pushed = 0;
    }

    /** @return the lines acquired: every line up to the last one holding data, that one only when complete */
    private int run(FrameData f, boolean fromFirst) {
        for (int n = rows - 1; n >= 0; n--) {
            int r = row(n, fromFirst);
            if (f.holdsData(r)) {
                return f.complete(r) ? n + 1 : n;
            }
        }
        return 0;
    }

    private int row(int line, boolean fromFirst) {
        return fromFirst ? line : rows - 1 - line;
    }

    /** @return true when the last {@link #update} found a different frame than before */
    boolean newFrame() {
        return newFrame;
    }

    /** @return the number of lines pushed for the current frame */
    int pushed() {
        return pushed;
    }

    /** @return acquired lines in the current frame (a run from its first row) */
    int acquired() {
        return acquired;
    }

    /** @return rows per frame */
    int rows() {
        return rows;
    }

    /** @return true when the first line is row 0 */
    boolean fromFirstRow() {
        return currentOrder;
    }

    /**
     * @param line line index (0 = first acquired)
     * @return its row in the frame
     */
    int row(int line) {
        return row(line, currentOrder);
    }

    /**
     * Records that the next line was pushed.
     *
     * @param raw the line as grabbed, before resampling
     */
    void pushed(float[] raw) {
        System.arraycopy(raw, 0, lastPushed, 0, columns);
        pushed++;
    }
}
