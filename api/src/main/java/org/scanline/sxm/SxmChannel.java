package org.scanline.sxm;

import org.apiguardian.api.API;

/**
 * One row of an {@code .sxm} {@code :DATA_INFO:} table.
 *
 * @param index the instrument's channel number
 * @param name channel name, e.g. {@code Z} or {@code Current}
 * @param unit physical unit, e.g. {@code m} or {@code A}
 * @param direction {@code both}, {@code forward} or {@code backward}: which traces the file holds
 * @param calibration the instrument's calibration factor
 * @param offset the instrument's offset
 */
@API(status = API.Status.EXPERIMENTAL)
public record SxmChannel(int index, String name, String unit, String direction, double calibration, double offset) {

    /** @return true if the file holds this channel's forward trace */
    public boolean hasForward() {
        return !"backward".equals(direction);
    }

    /** @return true if the file holds this channel's backward trace */
    public boolean hasBackward() {
        return !"forward".equals(direction);
    }

    /** @return number of traces stored (2 for {@code both}, else 1) */
    public int traceCount() {
        return "both".equals(direction) ? 2 : 1;
    }
}
