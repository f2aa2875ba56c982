package org.scanline.dataset;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * A file written under a temporary name in the destination's directory and moved over the
 * destination only once complete, so a reader never sees a partly written output.
 */
final class AtomicOutput implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path target;
    private final Path temp;
    private final OutputStream out;
    private boolean done;

    /** Writes the content produced by {@code body}. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    AtomicOutput(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: its owner-only permissions would stick to the final file; a fresh
        // random name opened with CREATE_NEW gets the usual umask permissions.
        this.temp = dir.resolve("." + this.target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                + ".part");
        this.out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 1 << 16);
    }

    static void write(Path target, Body body) {
        try (AtomicOutput a = new AtomicOutput(target)) {
            body.writeTo(a.stream());
            a.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    OutputStream stream() {
        return out;
    }

    Path target() {
        return target;
    }

    /** Closes the stream and moves the temporary file over the target. */
    void commit() throws IOException {
        out.close();
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        done = true;
    }

    /** Without a prior {@link #commit()}, discards the temporary file: the target is left untouched. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            try {
                out.close();
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
