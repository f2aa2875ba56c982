package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.BadDataException;
import org.scanline.sxm.SxmChannel;
import org.scanline.sxm.SxmScan;
import org.scanline.sxm.TraceDirection;

class SxmScanTest {
    @TempDir
    Path dir;

    private static Path real(String name) {
        var p = TestFiles.sxm(name);
        Assumptions.assumeTrue(p.isPresent(), "shared/data/sxm/" + name + " is not beside this checkout");
        return p.get();
    }

    /** Reads the big-endian float at a byte offset the way a hex editor would. */
    private static float rawFloat(Path file, long offset) throws IOException {
        try (InputStream in = Files.newInputStream(file); DataInputStream d = new DataInputStream(in)) {
            d.skipNBytes(offset);
            return d.readFloat();
        }
    }

    private static long markerEnd(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == 0x1a && b[i + 1] == 0x04) {
                return i + 2;
            }
        }
        throw new AssertionError("no marker");
    }

    @Test
    void realScanHeader() {
        SxmScan s = SxmScan.read(real("Si_7x7_028.sxm"));
        assertEquals(256, s.lines());
        assertEquals(256, s.pixels());
        assertArrayEquals(new double[] {5e-8, 5e-8}, s.rangeMeters(), 1e-20);
        assertEquals("down", s.scanDirection());
        assertEquals(-0.4, s.biasVolts(), 1e-12);
        assertEquals(List.of("Z", "Current"), s.channels().stream().map(SxmChannel::name).toList());
        assertEquals(List.of("both", "both"), s.channels().stream().map(SxmChannel::direction).toList());
        assertEquals("m", s.channels().get(0).unit());
    }

    @Test
    void realScanValuesMatchTheRawBytes() throws IOException {
        for (String name : List.of("Si_7x7_028.sxm", "Si_7x7_032.sxm")) {
            Path f = real(name);
            SxmScan s = SxmScan.read(f);
            long base = markerEnd(f);
            assertEquals(base, s.dataOffset());
            long image = 256L * 256 * 4;
            int[][] probes = {{0, 0}, {0, 255}, {17, 3}, {128, 200}, {255, 0}, {255, 255}};
            float[][] zf = s.trace("Z", TraceDirection.FORWARD);
            float[][] zb = s.trace("z", TraceDirection.BACKWARD);
            float[][] cf = s.trace("Current", TraceDirection.FORWARD);
            float[][] cb = s.trace("Current", TraceDirection.BACKWARD);
            for (int[] lp : probes) {
                int l = lp[0];
                int p = lp[1];
                long fwd = (l * 256L + p) * 4;
                long mirrored = (l * 256L + (255 - p)) * 4;
                assertEquals(rawFloat(f, base + fwd), zf[l][p], 0f);
                assertEquals(rawFloat(f, base + image + mirrored), zb[l][p], 0f);
                assertEquals(rawFloat(f, base + 2 * image + fwd), cf[l][p], 0f);
                assertEquals(rawFloat(f, base + 3 * image + mirrored), cb[l][p], 0f);
            }
            assertEquals(256, s.acquiredLines("Z", TraceDirection.FORWARD));
        }
    }

    @Test
    void mirroredBackwardTraceLinesUpWithForward() {
        SxmScan s = SxmScan.read(real("Si_7x7_028.sxm"));
        float[][] f = s.trace("Z", TraceDirection.FORWARD);
        float[][] b = s.trace("Z", TraceDirection.BACKWARD);
        double aligned = 0;
        double reversed = 0;
        for (int l = 0; l < 256; l++) {
            float[] rev = new float[256];
            for (int p = 0; p < 256; p++) {
                rev[p] = b[l][255 - p];
            }
            aligned += correlation(f[l], b[l]);
            reversed += correlation(f[l], rev);
        }
        assertTrue(aligned / 256 > reversed / 256 + 0.1,
                "mean correlation mirrored=" + aligned / 256 + " vs as stored=" + reversed / 256);
    }

    private static double correlation(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void synthetic_lineZeroIsTheFirstRowWrittenForBothDirections() throws IOException {
        for (String direction : List.of("up", "down")) {
            SxmScan s = SxmScan.read(SxmFiles.write(dir.resolve(direction + ".sxm"), 3, 2, direction, true, 4, 2));
            assertEquals(3, s.pixels());
            assertEquals(2, s.lines());
            for (int l = 0; l < 2; l++) {
                for (int p = 0; p < 3; p++) {
                    assertEquals(SxmFiles.stored(0, l, p), s.trace("Z", TraceDirection.FORWARD)[l][p]);
                    assertEquals(SxmFiles.stored(1, l, 2 - p), s.trace("Z", TraceDirection.BACKWARD)[l][p]);
                    assertEquals(SxmFiles.stored(2, l, p), s.trace("Current", TraceDirection.FORWARD)[l][p]);
                    assertEquals(SxmFiles.stored(3, l, 2 - p), s.trace("Current", TraceDirection.BACKWARD)[l][p]);
                }
            }
            float[][] display = s.topDown("Z", TraceDirection.FORWARD);
            int top = direction.equals("up") ? 1 : 0;
            assertEquals(SxmFiles.stored(0, top, 0), display[0][0]);
        }
    }

    @Test
    void nanPixelsOfAStoppedScanAreReturnedAndCounted() throws IOException {
        Path f = SxmFiles.write(dir.resolve("stopped.sxm"), 4, 5, "down", true, 2, 3);
        SxmScan s = SxmScan.read(f);
        assertEquals(3, s.acquiredLines("Z", TraceDirection.FORWARD));
        assertTrue(Float.isNaN(s.trace("Z", TraceDirection.FORWARD)[4][0]));
        ScanArrays a = Datasets.load(f);
        assertEquals(8, a.nonFiniteCount());
        BadDataException e = assertThrows(BadDataException.class, a::toDataset);
        assertTrue(e.getMessage().contains("no labels"), e.getMessage());
    }

    @Test
    void missingMarkerIsRejected() throws IOException {
        Path f = SxmFiles.write(dir.resolve("nomarker.sxm"), 3, 2, "down", false, 2, 2);
        BadDataException e = assertThrows(BadDataException.class, () -> SxmScan.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("marker"), e.getMessage());
    }

    @Test
    void truncatedDataIsRejected() throws IOException {
        Path f = SxmFiles.write(dir.resolve("cut.sxm"), 3, 2, "down", true, 2, 2);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 5));
        BadDataException e = assertThrows(BadDataException.class, () -> SxmScan.read(f));
        assertTrue(e.getMessage().contains("need 48 bytes"), e.getMessage());
    }

    @Test
    void absurdOrNegativeSizesAreRejectedBeforeAllocating() throws IOException {
        for (String size : List.of("1000000       1000000", "-3       2", "2.5       2")) {
            Path f = SxmFiles.write(dir.resolve("odd.sxm"), 3, 2, "down", true, 2, 2);
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
                    .replace("3       2\n", size + "\n");
            Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
            BadDataException e = assertThrows(BadDataException.class, () -> SxmScan.read(f));
            assertTrue(e.getMessage().contains("SCAN_PIXELS"), e.getMessage());
        }
    }

    @Test
    void notAnSxmFileAndUnknownChannel() throws IOException {
        Path f = dir.resolve("x.sxm");
        Files.writeString(f, "hello");
        assertThrows(BadDataException.class, () -> SxmScan.read(f));
        SxmScan s = SxmScan.read(SxmFiles.write(dir.resolve("ok.sxm"), 3, 2, "down", true, 2, 2));
        BadDataException e = assertThrows(BadDataException.class, () -> s.trace("Phase", TraceDirection.FORWARD));
        assertTrue(e.getMessage().contains("[Z]"), e.getMessage());
    }
}
