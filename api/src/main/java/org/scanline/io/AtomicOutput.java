package org.scanline.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apiguardian.api.API;

/**
 * A file written under a temporary name beside its destination, forced to disk and moved over the
 * destination only once complete: a reader, or a process killed mid-write, never sees a partly
 * written file. Closing without {@link #commit()} discards the temporary file and leaves the
 * destination as it was. The file gets the permissions any new file gets (the umask's), not the
 * owner-only ones of {@link Files#createTempFile}; after the move the folder is forced to disk too.
 * A JVM that exits (SIGTERM, SIGINT, {@code System.exit}) while a write is open deletes its
 * temporary file; what a SIGKILL leaves carries {@link #TEMP_MARK} for {@link #deleteStrays}.
 *
 * <pre>{@code
 * AtomicOutput.writeString(run.resolve("config.json"), json);
 * try (AtomicOutput out = new AtomicOutput(file)) {   // streaming writers
 *     encode(out.stream());
 *     out.commit();
 * }
 * }</pre>
 */
@API(status = API.Status.INTERNAL)
public final class AtomicOutput implements AutoCloseable {
    /** Marker in every temporary name, so {@link #deleteStrays(Path)} can find what a killed writer left. */
    public static final String TEMP_MARK = ".tmp-";

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Temporary files being written, deleted by a shutdown hook if the JVM exits first. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final OutputStream out;
    private boolean done;

    /** Writes a whole file to a stream. */
    @FunctionalInterface
    public interface Body {
        /**
         * @param out where to write
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes UTF-8 text. */
    @FunctionalInterface
    public interface Text {
        /**
         * @param out where to write
         * @throws IOException if writing fails
         */
        void writeTo(Writer out) throws IOException;
    }

    /** Fills a temporary file by path, for encoders that only write to paths. */
    @FunctionalInterface
    public interface FileBody {
        /**
         * @param tmp the temporary file, with the target's extension
         * @throws IOException if writing fails
         */
        void writeTo(Path tmp) throws IOException;
    }

    /**
     * Opens a temporary file beside {@code target}.
     *
     * @param target the final path
     * @throws IOException if the folder or the temporary file cannot be created
     */
    public AtomicOutput(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        this.temp = tempFor(this.target, "");
        // CREATE_NEW on a fresh random name rather than Files.createTempFile: the latter's owner-only
        // permissions would stick to the final file.
        track(temp);
        try {
            this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            OPEN.remove(temp);
            throw e;
        }
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }

    private static Path tempFor(Path target, String extension) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        return dir.resolve("." + target.getFileName() + TEMP_MARK + Long.toUnsignedString(RANDOM.nextLong(), 36)
                + extension);
    }

    private static void track(Path temp) {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(AtomicOutput::deleteOpen, "scanline-atomic-output-cleanup"));
        }
        OPEN.add(temp);
    }

    private static void deleteOpen() {
        for (Path p : OPEN) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // the JVM is exiting: nothing better to do than leave the marked file to deleteStrays
            }
        }
    }

    /** @return the stream into the temporary file */
    public OutputStream stream() {
        return out;
    }

    /** @return the final path */
    public Path target() {
        return target;
    }

    /**
     * Flushes, forces the data to disk and moves the temporary file over the target.
     *
     * @throws IOException if any step fails (the target is then untouched)
     */
    public void commit() throws IOException {
        out.flush();
        channel.force(true);
        out.close();
        moveIntoPlace(temp, target);
        done = true;
        OPEN.remove(temp);
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(target.getParent());
    }

    /** Makes the rename itself durable: on Linux a folder's entries reach the disk only when it is forced. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not every platform opens folders (Windows does not); the file itself is on disk already
        }
    }

    /** Without a prior {@link #commit()}, discards the temporary file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            try {
                out.close();
            } finally {
                Files.deleteIfExists(temp);
                OPEN.remove(temp);
            }
        }
    }

    /**
     * Writes a whole file atomically.
     *
     * @param target final path
     * @param body writes the content
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void write(Path target, Body body) {
        try (AtomicOutput a = new AtomicOutput(target)) {
            body.writeTo(a.stream());
            a.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes UTF-8 text atomically.
     *
     * @param target final path
     * @param text writes the text
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void writeText(Path target, Text text) {
        write(target, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            text.writeTo(w);
            w.flush();
        });
    }

    /**
     * Writes a string as UTF-8 atomically.
     *
     * @param target final path
     * @param text the whole content
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Lets {@code body} fill a temporary file (named with the target's extension) by path, then forces
     * it to disk and moves it into place.
     *
     * @param target final path
     * @param body fills the temporary file
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void writeFile(Path target, FileBody body) {
        Path abs = target.toAbsolutePath();
        String name = abs.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path tmp = null;
        try {
            tmp = tempFor(abs, dot > 0 ? name.substring(dot) : "");
            track(tmp);
            body.writeTo(tmp);
            try (FileChannel written = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                written.force(true);
            }
            moveIntoPlace(tmp, abs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + abs + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move succeeded, or the original error is the useful one
                }
                OPEN.remove(tmp);
            }
        }
    }

    /**
     * Deletes temporary files a killed writer left in {@code dir} and its subfolders.
     *
     * @param dir the folder to clean
     * @return how many files were deleted
     * @throws UncheckedIOException if the folder cannot be listed
     */
    public static int deleteStrays(Path dir) {
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                if (Files.isDirectory(p)) {
                    n += deleteStrays(p);
                } else if (p.getFileName().toString().contains(TEMP_MARK)) {
                    Files.deleteIfExists(p);
                    n++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir, e);
        }
        return n;
    }
}
