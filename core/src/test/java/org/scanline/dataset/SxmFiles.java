package org.scanline.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small synthetic Nanonis files (through {@link SxmWriter}) with values that tell their position in the file. */
public final class SxmFiles {
    private SxmFiles() {
    }

    /** The value stored at trace t, file row l, file column p. */
    public static float stored(int t, int l, int p) {
        return t * 1000 + l * 10 + p;
    }

    /**
     * @param file destination
     * @param pixels pixels per line
     * @param lines lines
     * @param dir {@code up} or {@code down}
     * @param withMarker write the \x1A\x04 marker
     * @param traces traces to write (2 for one channel Z 'both', 4 for Z and Current)
     * @param nanFromLine file rows from this one on are NaN (a stopped scan); {@code lines} for none
     * @return the file
     */
    public static Path write(Path file, int pixels, int lines, String dir, boolean withMarker, int traces,
            int nanFromLine) throws IOException {
        SxmWriter w = SxmWriter.of(pixels, lines).rangeMeters(1e-8, 2e-8).direction(dir).biasVolts(0.5);
        w.channel("Z", "m", trace(0, pixels, lines, nanFromLine, false), trace(1, pixels, lines, nanFromLine, true));
        if (traces > 2) {
            w.channel("Current", "A", trace(2, pixels, lines, nanFromLine, false), trace(3, pixels, lines, nanFromLine, true));
        }
        byte[] bytes = w.toBytes();
        if (!withMarker) {
            int at = markerAt(bytes);
            byte[] cut = new byte[bytes.length - 2];
            System.arraycopy(bytes, 0, cut, 0, at);
            System.arraycopy(bytes, at + 2, cut, at, bytes.length - at - 2);
            bytes = cut;
        }
        Files.write(file, bytes);
        return file;
    }

    /** Trace t in the writer's order: a backward trace is given left to right, so stored(t, l, p) lands at file column p. */
    private static float[] trace(int t, int pixels, int lines, int nanFromLine, boolean backward) {
        float[] v = new float[lines * pixels];
        for (int l = 0; l < lines; l++) {
            for (int p = 0; p < pixels; p++) {
                v[l * pixels + p] = l >= nanFromLine ? Float.NaN : stored(t, l, backward ? pixels - 1 - p : p);
            }
        }
        return v;
    }

    private static int markerAt(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == 0x1a && b[i + 1] == 0x04) {
                return i;
            }
        }
        throw new IllegalStateException("the writer wrote no marker");
    }
}
