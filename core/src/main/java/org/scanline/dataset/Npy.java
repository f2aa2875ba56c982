package org.scanline.dataset;

import org.scanline.io.AtomicOutput;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.io.InputFiles;

/**
 * Reads and writes single {@code .npy} files (numpy format 1.0, 2.0 and 3.0). For archives of
 * several arrays see {@link NpzReader} and {@link NpzWriter}.
 *
 * <pre>{@code
 * NpyArray labels = Npy.read(Path.of("labels.npy"));
 * Npy.write(Path.of("copy.npy"), labels);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Npy {
    private Npy() {
    }

    /**
     * Reads a whole {@code .npy} file; Fortran-ordered data comes back row-major.
     *
     * @param file the file
     * @return the array
     * @throws BadDataException if the file is not a supported, complete {@code .npy} file, or not a
     *     regular file
     * @throws UncheckedIOException if it cannot be read, with the operating system's reason
     */
    public static NpyArray read(Path file) {
        InputFiles.requireRegular(file, "an .npy file");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            NpyHeader h = NpyHeader.read(in, file.toString());
            return NpyCodec.read(in, h, Files.size(file) - h.headerLength(), file.toString());
        } catch (IOException e) {
            throw InputFiles.cannotRead(file, e);
        }
    }

    /**
     * Reads only the header of a {@code .npy} file.
     *
     * @param file the file
     * @return its header
     */
    public static NpyHeader header(Path file) {
        InputFiles.requireRegular(file, "an .npy file");
        try (InputStream in = Files.newInputStream(file)) {
            return NpyHeader.read(in, file.toString());
        } catch (IOException e) {
            throw InputFiles.cannotRead(file, e);
        }
    }

    /**
     * Reads a numeric {@code .npy} file into {@code dst} from {@code offset}, converting to float.
     * The header must already have been checked by the caller (shape and size).
     */
    static void readFloats(Path file, NpyHeader expected, float[] dst, int offset) {
        InputFiles.requireRegular(file, "an .npy file");
        try (InputStream in = Files.newInputStream(file)) {
            NpyHeader h = NpyHeader.read(in, file.toString());
            NpyCodec.readFloats(in, h, Files.size(file) - h.headerLength(), dst, offset, file.toString());
        } catch (IOException e) {
            throw InputFiles.cannotRead(file, e);
        }
    }

    /**
     * Writes one array as a {@code .npy} file (format 1.0, little-endian), through a temporary file
     * in the same directory moved into place when complete.
     *
     * @param file destination; replaced if it exists
     * @param array the array
     */
    public static void write(Path file, NpyArray array) {
        AtomicOutput.write(file, out -> NpyCodec.encode(array, out::write));
    }
}
