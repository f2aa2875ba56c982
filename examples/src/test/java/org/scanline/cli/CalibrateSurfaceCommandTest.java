package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.runtime.SurfaceCheck;

class CalibrateSurfaceCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesACheckTheRuntimeReads() throws Exception {
        Path out = dir.resolve("surface.json");
        assertEquals(0, Main.commandLine().execute("calibrate-surface", "--count", "24", "--pixels", "32",
                "--frame-nm", "2:6", "--out", out.toString()));
        SurfaceCheck check = SurfaceCheck.fromJson(Files.readString(out));
        assertTrue(check.fittedOn().contains("seed 23001") && check.fittedOn().contains("seed 23002"), check.fittedOn());
        assertTrue(Main.commandLine().execute("calibrate-surface", "--count", "5") != 0);
    }
}
