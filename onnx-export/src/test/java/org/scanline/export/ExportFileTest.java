package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;

/**
 * The exporter writes through {@link org.scanline.io.AtomicOutput}: it used {@code createTempFile},
 * so models came out 0600 (unreadable to a microscope's service account), were not forced to disk,
 * and a kill left an unmarked temporary beside them.
 */
class ExportFileTest {
    @TempDir
    Path dir;

    private List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theModelHasThePermissionsOfAPlainNewFileAndNoTemporaryIsLeft() throws IOException {
        Path model;
        try (NDManager manager = NDManager.newBaseManager()) {
            model = TinyModelFiles.export(manager, Architecture.CAUSAL, dir.resolve("model.onnx"));
        }
        assertEquals(List.of("model.onnx"), names(dir));
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX");
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(model));
    }

    /** A failure at the last step (the rename onto a folder that is in the way) leaves only what was there. */
    @Test
    void aFailedWriteLeavesNoModelAndNoTemporary() throws IOException {
        Path inTheWay = Files.createDirectories(dir.resolve("model.onnx"));
        Files.writeString(inTheWay.resolve("keep.txt"), "x");
        byte[] bytes = new byte[300_000];
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> OnnxExporter.writeAtomically(inTheWay, bytes));
        assertTrue(e.getMessage().contains(inTheWay.toString()), e.getMessage());
        assertEquals(List.of("model.onnx"), names(dir));
        assertEquals(List.of("keep.txt"), names(inTheWay));

        Path ok = dir.resolve("ok.onnx");
        OnnxExporter.writeAtomically(ok, bytes);
        assertArrayEquals(bytes, Files.readAllBytes(ok));
        assertEquals(List.of("model.onnx", "ok.onnx"), names(dir));
    }
}
