package org.scanline.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import org.apiguardian.api.API;
import org.scanline.BadDataException;

/**
 * Input files as the readers need them: a regular file checked before it is opened (a FIFO blocks
 * the opener and {@code /dev/zero} never ends), reads bounded by a size cap, and errors that keep
 * what the operating system said ({@code Permission denied}, not "no such file" or "corrupt").
 *
 * <pre>{@code
 * InputFiles.requireRegular(path, "a dataset");   // BadDataException: "x: a FIFO (named pipe), ..."
 * try {
 *     byte[] text = InputFiles.readAtMost(path, 1 << 20, "a labels.csv");
 * } catch (IOException e) {
 *     throw InputFiles.cannotRead(path, e);       // "cannot read x: Permission denied"
 * }
 * }</pre>
 */
@API(status = API.Status.INTERNAL)
public final class InputFiles {
    // The file-type bits of st_mode (S_IFMT and its values), as the "unix:mode" attribute reports them.
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    private InputFiles() {
    }

    /**
     * What a path is when it is not a regular file, decided without opening it (opening a FIFO for
     * reading blocks until a writer appears). Symbolic links are followed.
     *
     * @param file a path that exists
     * @return empty for a regular file, else a description such as {@code "a FIFO (named pipe)"}
     * @throws UncheckedIOException if the path does not exist or cannot be inspected
     */
    public static Optional<String> notRegular(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw cannotRead(file, e);
        }
        if (a.isRegularFile()) {
            return Optional.empty();
        }
        if (a.isDirectory()) {
            return Optional.of("a folder");
        }
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode") & S_IFMT;
            switch (type) {
                case S_IFIFO: return Optional.of("a FIFO (named pipe)");
                case S_IFCHR: return Optional.of("a character device");
                case S_IFBLK: return Optional.of("a block device");
                case S_IFSOCK: return Optional.of("a socket");
                default: break;
            }
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            // No unix view on this platform: the generic description below is all we can say.
        }
        return Optional.of("not a regular file (a device, FIFO or socket)");
    }

    /**
     * Refuses a path that exists but is not a regular file, before anything opens it.
     *
     * @param file the path
     * @param what what it should be, for the message ("a dataset file")
     * @throws BadDataException naming the file and what it is instead
     * @throws UncheckedIOException if it does not exist or cannot be inspected
     */
    public static void requireRegular(Path file, String what) {
        Optional<String> kind = notRegular(file);
        if (kind.isPresent()) {
            throw new BadDataException(file + ": " + kind.get() + ", not a regular file; " + what
                    + " must be a regular file");
        }
    }

    /**
     * Reads a whole regular file of at most {@code maxBytes}; never more, even if the file grows.
     *
     * @param file the file (must already be known to be regular)
     * @param maxBytes the most bytes accepted
     * @param what what the file is, for the message ("a labels.csv")
     * @return its bytes
     * @throws IOException if it cannot be read, or is larger than {@code maxBytes}
     */
    public static byte[] readAtMost(Path file, long maxBytes, String what) throws IOException {
        int cap = (int) Math.min(maxBytes, Integer.MAX_VALUE - 8);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(cap);
            if (in.read() >= 0) {
                throw new FileSystemException(file.toString(), null, "larger than " + cap + " bytes, the most "
                        + what + " may hold");
            }
            return bytes;
        }
    }

    /**
     * @param file the file that could not be read
     * @param e the failure
     * @return {@code "cannot read <file>: <what the OS said>"}, wrapping {@code e}
     */
    public static UncheckedIOException cannotRead(Path file, IOException e) {
        return new UncheckedIOException("cannot read " + file + ": " + reason(e), e);
    }

    /**
     * The operating system's reason for an I/O failure. {@link AccessDeniedException} and
     * {@link NoSuchFileException} carry only the path, so their reason is spelled out the way
     * {@code strerror} does; {@link FileNotFoundException} from the older APIs (zip, random access)
     * carries it in parentheses after the path.
     *
     * @param e the failure
     * @return e.g. {@code "Permission denied"}
     */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return a.getReason() != null ? a.getReason() : "Permission denied";
        }
        if (e instanceof NoSuchFileException n) {
            return n.getReason() != null ? n.getReason() : "No such file or directory";
        }
        if (e instanceof FileSystemException f) {
            // Its message is the path (and the reason, if any): the reason alone, or at least the type.
            return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        if (e instanceof FileNotFoundException && m.endsWith(")") && m.lastIndexOf(" (") > 0) {
            return m.substring(m.lastIndexOf(" (") + 2, m.length() - 1);
        }
        return m;
    }
}
