package org.scanline.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apiguardian.api.API;

/**
 * Writes a file under a temporary name in the same folder and moves it into place, so a reader
 * never sees a half-written output and a failure leaves the old file (or none) behind.
 *
 * <pre>{@code
 * AtomicFiles.write(run.resolve("evaluation.json"), w -> w.write(json));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class AtomicFiles {

    /** Writes text into a writer; may throw {@link IOException}. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out where to write
         * @throws IOException if writing fails
         */
        void writeTo(Writer out) throws IOException;
    }

    /** Writes raw bytes to a temporary path; may throw {@link IOException}. */
    @FunctionalInterface
    public interface FileContent {
        /**
         * @param tmp the temporary file to fill
         * @throws IOException if writing fails
         */
        void writeTo(Path tmp) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes UTF-8 text atomically.
     *
     * @param target final path
     * @param content producer of the text
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void write(Path target, Content content) {
        writeFile(target, tmp -> {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                content.writeTo(w);
            }
        });
    }

    /**
     * Lets {@code content} fill a temporary file next to {@code target}, then moves it into place.
     *
     * @param target final path
     * @param content fills the temporary file (which has the target's extension, for encoders that need it)
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void writeFile(Path target, FileContent content) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        String name = abs.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 ? name.substring(dot) : ".tmp";
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + (dot > 0 ? name.substring(0, dot) : name) + "-", ext);
            content.writeTo(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + abs + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move succeeded or the original error is more useful than this one
                }
            }
        }
    }
}
