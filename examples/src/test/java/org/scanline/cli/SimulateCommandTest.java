package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.dataset.NpyArray;
import org.scanline.dataset.NpzReader;

class SimulateCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheSameDataWhateverTheThreadCount() {
        Path a = dir.resolve("a.npz");
        Path b = dir.resolve("b.npz");
        assertEquals(0, Main.commandLine().execute("simulate", "--count", "40", "--seed", "3", "--lines", "32",
                "--pixels", "32", "--threads", "1", "--out", a.toString()));
        assertEquals(0, Main.commandLine().execute("simulate", "--count", "40", "--seed", "3", "--lines", "32",
                "--pixels", "32", "--threads", "2", "--out", b.toString()));
        Map<String, NpyArray> x = NpzReader.readAll(a);
        Map<String, NpyArray> y = NpzReader.readAll(b);
        assertEquals(x.keySet(), y.keySet());
        for (String k : x.keySet()) {
            assertEquals(x.get(k), y.get(k), k);
        }
        assertArrayEquals(new long[] {40, 32, 32}, x.get("images").shape());
    }

    @Test
    void refusesBadOptionsWithExitCodeNotZero() {
        assertTrue(Main.commandLine().execute("simulate", "--lines", "5", "--out", dir.resolve("c.npz").toString()) != 0);
        assertTrue(Main.commandLine().execute("simulate") != 0);
    }

    @Test
    void sxmSetsCarryTheirFrameAndTruth() throws Exception {
        Path out = dir.resolve("sxm");
        assertEquals(0, Main.commandLine().execute("simulate", "--count", "3", "--seed", "9", "--lines", "24",
                "--pixels", "64", "--frame-nm", "40:40", "--filled-share", "1", "--scan-dir", "up", "--sxm", out.toString()));
        assertEquals(4, Files.readAllLines(out.resolve("truth.csv")).size());
        org.scanline.sxm.SxmScan s = org.scanline.sxm.SxmScan.read(out.resolve("scan_000002.sxm"));
        assertArrayEquals(new double[] {40e-9, 40e-9}, s.rangeMeters(), 1e-15);
        assertEquals("up", s.scanDirection());
        assertTrue(s.biasVolts() < 0);
        assertTrue(Main.commandLine().execute("simulate", "--frame-nm", "8-25", "--sxm", out.toString()) != 0);
        assertTrue(Main.commandLine().execute("simulate", "--as-gordon", "--sxm", out.toString()) != 0);
    }

    @Test
    void montageIsAGridOfSixScansPerClass() throws Exception {
        Path png = dir.resolve("m.png");
        assertEquals(0, Main.commandLine().execute("simulate", "--montage", png.toString(), "--seed", "1"));
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 6 * 128 && img.getHeight() > 4 * 128, img.getWidth() + " × " + img.getHeight());
        // written through AtomicOutput: no owner-only temp-file permissions, no temporary left
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Path plain = Files.createFile(dir.resolve("plain"));
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(png));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".")).toList());
        }
    }
}
