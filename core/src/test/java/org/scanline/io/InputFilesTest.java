package org.scanline.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.BadDataException;

public class InputFilesTest {
    @TempDir
    Path dir;

    /** Makes a named pipe with the system's mkfifo; skips (visibly) where there is none. */
    public static Path fifo(Path file) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no mkfifo on this system: " + e.getMessage());
            throw e;
        }
        Assumptions.assumeTrue(p.waitFor() == 0 && Files.exists(file), "mkfifo failed: no named pipes here");
        return file;
    }

    @Test
    void theOperatingSystemsReasonIsKept() {
        assertEquals("Permission denied", InputFiles.reason(new AccessDeniedException("/d/x.npz")));
        assertEquals("Permission denied", InputFiles.reason(new FileNotFoundException("/d/x.npz (Permission denied)")));
        assertEquals("No such file or directory", InputFiles.reason(new NoSuchFileException("/d/x.npz")));
        assertEquals("No such file or directory",
                InputFiles.reason(new FileNotFoundException("/d/x (1).npz (No such file or directory)")));
        assertEquals("Input/output error", InputFiles.reason(new IOException("Input/output error")));
        UncheckedIOException e = InputFiles.cannotRead(Path.of("/d/x.sxm"), new AccessDeniedException("/d/x.sxm"));
        assertEquals("cannot read /d/x.sxm: Permission denied", e.getMessage());
    }

    @Test
    void whatIsNotARegularFileIsNamedWithoutOpeningIt() throws Exception {
        Path regular = Files.writeString(dir.resolve("a.txt"), "x");
        assertEquals(Optional.empty(), InputFiles.notRegular(regular));
        assertEquals(Optional.of("a folder"), InputFiles.notRegular(dir));
        // Opening a FIFO for reading would block until a writer comes: this returns at once.
        assertEquals(Optional.of("a FIFO (named pipe)"), InputFiles.notRegular(fifo(dir.resolve("pipe"))));
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero on this system");
        assertEquals(Optional.of("a character device"), InputFiles.notRegular(zero));
        Path link = Files.createSymbolicLink(dir.resolve("scan.sxm"), zero);
        BadDataException bad = assertThrows(BadDataException.class, () -> InputFiles.requireRegular(link, "a scan"));
        assertEquals(link + ": a character device, not a regular file; a scan must be a regular file", bad.getMessage());
    }

    @Test
    void aMissingPathSaysSo() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> InputFiles.notRegular(dir.resolve("missing.npz")));
        assertTrue(e.getMessage().endsWith("missing.npz: No such file or directory"), e.getMessage());
    }

    @Test
    void readAtMostReadsNoMoreThanItsCap() throws IOException {
        Path f = Files.write(dir.resolve("f"), new byte[100]);
        assertArrayEquals(new byte[100], InputFiles.readAtMost(f, 100, "a test file"));
        IOException e = assertThrows(IOException.class, () -> InputFiles.readAtMost(f, 99, "a test file"));
        assertTrue(InputFiles.reason(e).contains("larger than 99 bytes, the most a test file may hold"), e.getMessage());
    }
}
