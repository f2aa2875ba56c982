package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scanline.io.InputFilesTest.fifo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scanline.BadDataException;
import org.scanline.sxm.SxmScan;

/**
 * Paths that are not regular files, and files the process may not read: every reader fails fast with
 * a message naming the file and what is wrong, never hangs on a FIFO, never reads {@code /dev/zero}
 * until the heap runs out, and passes on the operating system's "Permission denied".
 */
class SpecialFilesTest {
    private static final Duration FAST = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static Path devZero(Path link) throws IOException {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero on this system");
        return Files.createSymbolicLink(link, zero);
    }

    /** The read is refused quickly with a BadDataException naming the file and what it is. */
    private static void refusedFast(Path file, String kind, Executable read) {
        BadDataException e = assertTimeoutPreemptively(FAST, () -> assertThrows(BadDataException.class, read),
                "reading " + file + " must not block");
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(kind)
                && e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"scan.sxm", "data.npz", "train_images.npy", "data.mat", "data.h5"})
    void aFifoIsRefusedWithoutBlocking(String name) throws Exception {
        Path f = fifo(dir.resolve(name));
        refusedFast(f, "FIFO", () -> Datasets.load(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"scan.sxm", "data.npz", "train_images.npy", "data.mat"})
    void devZeroIsRefusedNotReadUntilTheHeapIsGone(String name) throws Exception {
        Path f = devZero(dir.resolve(name));
        refusedFast(f, "character device", () -> Datasets.load(f));
    }

    @Test
    void theReadersRefuseSpecialFilesWhenCalledDirectly() throws Exception {
        Path pipe = fifo(dir.resolve("pipe"));
        Path zero = devZero(dir.resolve("zero"));
        for (Path f : List.of(pipe, zero)) {
            String kind = f == pipe ? "FIFO" : "character device";
            refusedFast(f, kind, () -> SxmScan.read(f));
            refusedFast(f, kind, () -> NpzReader.open(f));
            refusedFast(f, kind, () -> Npy.read(f));
            refusedFast(f, kind, () -> Npy.header(f));
        }
    }

    @Test
    void aFifoInACollectionIsRefused() throws Exception {
        Files.writeString(dir.resolve("labels.csv"), "file,label\nscan.sxm,0\n");
        Path f = fifo(dir.resolve("scan.sxm"));
        BadDataException e = assertTimeoutPreemptively(FAST, () -> assertThrows(BadDataException.class,
                () -> Datasets.load(dir)));
        assertTrue(e.getMessage().contains("labels.csv line 2") && e.getMessage().contains("FIFO"), e.getMessage());
        Files.delete(f);
        Files.delete(dir.resolve("labels.csv"));
        Path manifest = fifo(dir.resolve("labels.csv"));
        refusedFast(manifest, "FIFO", () -> Datasets.load(dir));
    }

    /** A readable copy of a file of each format, then chmod 000. */
    private Path unreadable(String name, Path source) throws IOException {
        Path f = dir.resolve(name);
        Files.copy(source, f);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(f),
                "running as root: chmod 000 does not stop this process reading, so 'Permission denied' cannot "
                        + "happen here");
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"savez_f32_i32.npz", "matlab_v73.mat", "pair_images.npy", "scan.sxm"})
    void permissionDeniedIsReportedAsSuch(String name) throws Exception {
        Path source = name.equals("scan.sxm")
                ? SxmFiles.write(dir.resolve("source.sxm"), 8, 4, "up", true, 2, 4)
                : TestFiles.fixture(name);
        if (name.equals("pair_images.npy")) {
            Files.copy(TestFiles.fixture("pair_labels.npy"), dir.resolve("pair_labels.npy"));
        }
        Path f = unreadable(name, source);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Datasets.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("Permission denied"),
                e.getMessage());
        assertFalse(e.getMessage().contains("no such file") || e.getMessage().contains("corrupt"), e.getMessage());
    }
}
