package org.scanline.nanonis;

import java.util.Objects;

/**
 * One answer of {@code Scan.FrameDataGrab}: the channel's name, the scan frame as a row-major
 * {@code rows × columns} float32 array (lines not acquired yet are NaN), and the scan direction.
 * The array is owned by the record; callers must not modify it.
 *
 * @param channel the channel's name, e.g. {@code Z (m)}
 * @param rows rows of the frame (scan lines)
 * @param columns columns (pixels per line)
 * @param data {@code rows × columns} values, row-major
 * @param scanUp true when the scan runs up (direction 1), false when down (0)
 */
public record FrameData(String channel, int rows, int columns, float[] data, boolean scanUp) {

    /** Checks the array matches the shape. */
    public FrameData {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(data, "data");
        if (rows < 0 || columns < 0 || (long) rows * columns != data.length) {
            throw new IllegalArgumentException(rows + " × " + columns + " frame with " + data.length + " values");
        }
    }

    /**
     * @param row row index
     * @return true when no pixel of the row is NaN: the line has been acquired (infinite pixels are
     *     data, broken ones)
     */
    public boolean complete(int row) {
        int base = row * columns;
        for (int c = 0; c < columns; c++) {
            if (Float.isNaN(data[base + c])) {
                return false;
            }
        }
        return columns > 0;
    }

    /** @return true when no pixel of the frame is other than NaN (nothing usable) */
    public boolean allNaN() {
        for (float v : data) {
            if (!Float.isNaN(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param row row index
     * @return true when any pixel of the row is not NaN: the scan has reached the line (an infinite
     *     pixel counts as data, a broken one)
     */
    public boolean holdsData(int row) {
        int base = row * columns;
        for (int c = 0; c < columns; c++) {
            if (!Float.isNaN(data[base + c])) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param row row index
     * @return how many of the row's pixels are NaN or infinite
     */
    public int nonFinite(int row) {
        int base = row * columns;
        int n = 0;
        for (int c = 0; c < columns; c++) {
            if (!Float.isFinite(data[base + c])) {
                n++;
            }
        }
        return n;
    }

    /**
     * @param row row index
     * @param dst receives the row's {@link #columns()} values
     */
    public void copyRow(int row, float[] dst) {
        System.arraycopy(data, row * columns, dst, 0, columns);
    }

    /**
     * @param row row index
     * @param other values to compare with, {@link #columns()} long
     * @return true when the row holds exactly these values
     */
    public boolean rowEquals(int row, float[] other) {
        return java.util.Arrays.equals(data, row * columns, (row + 1) * columns, other, 0, columns);
    }

    @Override
    public String toString() {
        return "FrameData[" + channel + ", " + rows + " × " + columns + ", " + (scanUp ? "up" : "down") + "]";
    }
}
