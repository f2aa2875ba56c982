package org.scanline.dataset;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small synthetic Nanonis files with values that tell their position in the file. */
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
        String header = ":NANONIS_VERSION:\n2\n:SCANIT_TYPE:\n              FLOAT            MSBFIRST\n"
                + ":SCAN_PIXELS:\n       " + pixels + "       " + lines + "\n"
                + ":SCAN_RANGE:\n           1.000000E-8           2.000000E-8\n"
                + ":SCAN_DIR:\n" + dir + "\n:BIAS:\n            5.000E-1\n"
                + ":DATA_INFO:\n\tChannel\tName\tUnit\tDirection\tCalibration\tOffset\n"
                + "\t14\tZ\tm\tboth\t3.000E-8\t0.000E+0\n"
                + (traces > 2 ? "\t0\tCurrent\tA\tboth\t1.000E-8\t0.000E+0\n" : "")
                + "\n:SCANIT_END:\n\n\n";
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.write(header.getBytes(StandardCharsets.ISO_8859_1));
        if (withMarker) {
            buf.write(new byte[] {0x1a, 0x04});
        }
        DataOutputStream out = new DataOutputStream(buf);
        for (int t = 0; t < traces; t++) {
            for (int l = 0; l < lines; l++) {
                for (int p = 0; p < pixels; p++) {
                    out.writeFloat(l >= nanFromLine ? Float.NaN : stored(t, l, p));
                }
            }
        }
        out.flush();
        Files.write(file, buf.toByteArray());
        return file;
    }
}
