package org.scanline.dataset;

import org.scanline.io.AtomicOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apiguardian.api.API;

/**
 * Writes named arrays into an {@code .npz} archive that {@code numpy.load} reads: one entry
 * {@code <key>.npy} per array, stored ({@code np.savez}) or deflated ({@code np.savez_compressed}).
 *
 * <p>Entries are streamed in chunks from the arrays; nothing the size of an array is buffered.
 * The archive is written under a temporary name in the destination directory and moved into place
 * by {@link #commit()}; closing without committing discards it and leaves the destination as it was.
 *
 * <pre>{@code
 * try (NpzWriter w = NpzWriter.create(Path.of("data.npz"), true)) {
 *     w.write("images", NpyArray.of(images, n, 128, 128));
 *     w.write("labels", NpyArray.of(labels, n));
 *     w.write("class_names", NpyArray.ofStrings(names, names.length));
 *     w.commit();
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class NpzWriter implements AutoCloseable {
    private final AtomicOutput output;
    private final ZipOutputStream zip;
    private final boolean compressed;
    private final Set<String> keys = new HashSet<>();
    private boolean failed;
    private boolean committed;

    private NpzWriter(AtomicOutput output, boolean compressed) {
        this.output = output;
        this.compressed = compressed;
        this.zip = new ZipOutputStream(output.stream());
        zip.setLevel(6);
    }

    /**
     * Starts an archive.
     *
     * @param file destination; replaced on {@link #commit()}
     * @param compressed deflate entries (like {@code np.savez_compressed}) or store them (like {@code np.savez})
     * @return the writer
     */
    public static NpzWriter create(Path file, boolean compressed) {
        try {
            return new NpzWriter(new AtomicOutput(file), compressed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a whole archive in one call.
     *
     * @param file destination
     * @param arrays arrays by key, in entry order
     * @param compressed deflate entries or store them
     */
    public static void write(Path file, Map<String, NpyArray> arrays, boolean compressed) {
        try (NpzWriter w = create(file, compressed)) {
            for (Map.Entry<String, NpyArray> e : new LinkedHashMap<>(arrays).entrySet()) {
                w.write(e.getKey(), e.getValue());
            }
            w.commit();
        }
    }

    /**
     * Adds one array as entry {@code key.npy}.
     *
     * @param key the name {@code np.load(...)[key]} finds it under
     * @param array the array
     * @return this writer
     * @throws IllegalArgumentException if the key was already written
     */
    public NpzWriter write(String key, NpyArray array) {
        Objects.requireNonNull(array, "array");
        if (key == null || key.isEmpty() || key.contains("/")) {
            throw new IllegalArgumentException("invalid npz key '" + key + "'");
        }
        if (!keys.add(key)) {
            throw new IllegalArgumentException("key '" + key + "' written twice to " + output.target());
        }
        try {
            ZipEntry entry = new ZipEntry(key + ".npy");
            if (compressed) {
                entry.setMethod(ZipEntry.DEFLATED);
            } else {
                // A stored entry needs its size and CRC before its data: one encoding pass to compute
                // the CRC, a second to write, rather than holding the encoded bytes.
                CRC32 crc = new CRC32();
                NpyCodec.encode(array, crc::update);
                long size = NpyCodec.encodedLength(array);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(size);
                entry.setCompressedSize(size);
                entry.setCrc(crc.getValue());
            }
            zip.putNextEntry(entry);
            NpyCodec.encode(array, zip::write);
            zip.closeEntry();
            return this;
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException("cannot write " + output.target() + ": " + e.getMessage(), e);
        }
    }

    /** Finishes the archive and moves it over the destination. */
    public void commit() {
        if (failed) {
            throw new IllegalStateException("an earlier write to " + output.target() + " failed; nothing to commit");
        }
        try {
            zip.finish();
            output.commit();
            committed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output.target() + ": " + e.getMessage(), e);
        }
    }

    /** Discards the archive unless {@link #commit()} succeeded. */
    @Override
    public void close() {
        try {
            if (!committed) {
                closeQuietly();
            }
            output.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up after " + output.target() + ": " + e.getMessage(), e);
        }
    }

    /** Releases the deflater of an abandoned archive; its bytes are discarded anyway. */
    private void closeQuietly() {
        try {
            zip.close();
        } catch (IOException e) {
            failed = true;
        }
    }
}
