package org.scanline.nanonis;

import java.util.Arrays;

/**
 * The scan buffer of {@code Scan.BufferGet}: which channels are recorded and the frame's size in
 * pixels. The channel indexes are those {@code Scan.FrameDataGrab} takes.
 *
 * @param channels indexes of the recorded channels (a copy is kept)
 * @param pixels pixels per line
 * @param lines lines per frame
 */
public record ScanBuffer(int[] channels, int pixels, int lines) {

    /** Copies the channels. */
    public ScanBuffer {
        channels = channels.clone();
    }

    @Override
    public int[] channels() {
        return channels.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScanBuffer b && Arrays.equals(b.channels, channels) && b.pixels == pixels && b.lines == lines;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(channels) + pixels) + lines;
    }

    @Override
    public String toString() {
        return "ScanBuffer[channels " + Arrays.toString(channels) + ", " + pixels + " px × " + lines + " lines]";
    }
}
