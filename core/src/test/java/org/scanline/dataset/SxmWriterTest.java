package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.BadDataException;
import org.scanline.sxm.SxmChannel;
import org.scanline.sxm.SxmScan;
import org.scanline.sxm.TraceDirection;

class SxmWriterTest {
    @TempDir
    Path dir;

    @Test
    void whatIsWrittenIsReadBackWithItsHeader() {
        int pixels = 5;
        int lines = 3;
        float[] fwd = new float[pixels * lines];
        float[] bwd = new float[pixels * lines];
        for (int i = 0; i < fwd.length; i++) {
            fwd[i] = i * 1e-10f;
            bwd[i] = -i * 1e-10f;
        }
        Path f = SxmWriter.of(pixels, lines).rangeMeters(12.5e-9, 25e-9).direction("up").biasVolts(-2.0)
                .channel("Z", "m", fwd, bwd).write(dir.resolve("a.sxm"));
        SxmScan s = SxmScan.read(f);
        assertEquals(pixels, s.pixels());
        assertEquals(lines, s.lines());
        assertArrayEquals(new double[] {12.5e-9, 25e-9}, s.rangeMeters(), 1e-20);
        assertEquals("up", s.scanDirection());
        assertEquals(-2.0, s.biasVolts(), 1e-12);
        assertEquals(List.of("Z"), s.channels().stream().map(SxmChannel::name).toList());
        assertArrayEquals(fwd, s.traceFlat("Z", TraceDirection.FORWARD));
        assertArrayEquals(bwd, s.traceFlat("Z", TraceDirection.BACKWARD));
    }

    @Test
    void bytesLikeARealFileBackwardStoredRightToLeft() throws Exception {
        float[] fwd = {1, 2, 3, 4};
        float[] bwd = {5, 6, 7, 8};
        byte[] b = SxmWriter.of(2, 2).rangeMeters(5e-8, 5e-8).channel("Z", "m", fwd, bwd).toBytes();
        String text = new String(b, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith(":NANONIS_VERSION:\n2\n:SCANIT_TYPE:\n              FLOAT            MSBFIRST\n"));
        assertTrue(text.contains(":SCAN_RANGE:\n           5.000000E-8           5.000000E-8\n"), text);
        int end = text.indexOf(":SCANIT_END:\n\n\n\u001a\u0004");
        assertTrue(end > 0);
        java.nio.ByteBuffer data = java.nio.ByteBuffer.wrap(b, end + 17, 32);
        float[] stored = new float[8];
        for (int i = 0; i < 8; i++) {
            stored[i] = data.getFloat();
        }
        // The tip moves right to left on the backward trace: the file holds each backward line reversed.
        assertArrayEquals(new float[] {1, 2, 3, 4, 6, 5, 8, 7}, stored);
        assertEquals(b.length, end + 17 + 32);
    }

    @Test
    void refusesWhatNoInstrumentWrites() throws Exception {
        assertThrows(BadDataException.class, () -> SxmWriter.of(2, 2).channel("Z", "m", new float[3], null));
        assertThrows(BadDataException.class, () -> SxmWriter.of(2, 2).direction("left"));
        assertThrows(BadDataException.class, () -> SxmWriter.of(2, 2).rangeMeters(0, 1e-9));
        assertThrows(BadDataException.class, () -> SxmWriter.of(2, 2).toBytes());
        assertTrue(Files.notExists(dir.resolve("none.sxm")));
    }
}
