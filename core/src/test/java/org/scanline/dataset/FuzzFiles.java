package org.scanline.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.scanline.ScanlineException;

/**
 * Shared plumbing of the reader fuzz targets: the readers take paths, so each input is written to a
 * file in one scratch folder per JVM. A target calls the reader through {@link #expectClean}: a
 * {@link ScanlineException} is the documented rejection; any other throwable escapes to Jazzer and is
 * a finding.
 */
public final class FuzzFiles {
    private static final Path DIR = createDir();

    private FuzzFiles() {
    }

    /** A reader call that may throw. */
    @FunctionalInterface
    public interface ReaderCall {
        void run() throws Exception;
    }

    /**
     * @param name file name inside the scratch folder
     * @param data the fuzzer's bytes
     * @return the file holding them
     */
    public static Path write(String name, byte[] data) {
        try {
            return Files.write(DIR.resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the scratch folder (one per JVM, removed at exit)
     */
    public static Path dir() {
        return DIR;
    }

    /**
     * Runs one reader call; only the library's own exception counts as a clean rejection.
     *
     * @param call the reader call
     * @throws Exception whatever else the reader throws: a finding
     */
    public static void expectClean(ReaderCall call) throws Exception {
        try {
            call.run();
        } catch (ScanlineException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new AssertionError("rejection without a message", expected);
            }
        }
    }

    private static Path createDir() {
        try {
            Path dir = Files.createTempDirectory("scanline-fuzz");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // best effort: a scratch folder under the temp dir
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
