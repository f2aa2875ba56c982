package org.scanline.dataset;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apiguardian.api.API;
import org.scanline.BadDataException;

/**
 * Reads arrays from an {@code .npz} archive exactly as numpy writes it ({@code np.savez} stored
 * entries and {@code np.savez_compressed} deflated ones, ZIP64 included). Arrays are decoded from
 * the entry stream in chunks straight into their Java array; headers can be read alone, so a caller
 * can check shapes and sizes before allocating anything.
 *
 * <pre>{@code
 * try (NpzReader npz = NpzReader.open(Path.of("processed_data.npz"))) {
 *     NpyHeader h = npz.header("images");
 *     NpyArray labels = npz.read("labels");
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class NpzReader implements AutoCloseable {
    private final Path file;
    private final ZipFile zip;
    private final Map<String, ZipEntry> entries = new LinkedHashMap<>();

    private NpzReader(Path file, ZipFile zip) {
        this.file = file;
        this.zip = zip;
        for (ZipEntry e : Collections.list(zip.entries())) {
            String name = e.getName();
            if (!e.isDirectory()) {
                entries.put(name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name, e);
            }
        }
    }

    /**
     * Opens an archive and reads its directory.
     *
     * @param file the {@code .npz} file
     * @return the reader
     * @throws BadDataException if the file is not a readable zip archive (truncated or corrupt)
     */
    public static NpzReader open(Path file) {
        try {
            return new NpzReader(file, new ZipFile(file.toFile()));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new UncheckedIOException("cannot read " + file + ": no such file", e);
        } catch (ZipException e) {
            throw new BadDataException(file + ": not a readable .npz (zip) archive, truncated or corrupt: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            if (!Files.exists(file)) {
                throw new UncheckedIOException("cannot read " + file + ": no such file", e);
            }
            throw new BadDataException(file + ": not a readable .npz archive: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a whole archive.
     *
     * @param file the {@code .npz} file
     * @return every array by key, in archive order
     */
    public static Map<String, NpyArray> readAll(Path file) {
        try (NpzReader r = open(file)) {
            Map<String, NpyArray> out = new LinkedHashMap<>();
            for (String k : r.keys()) {
                out.put(k, r.read(k));
            }
            return out;
        }
    }

    /** @return the file this reader reads */
    public Path file() {
        return file;
    }

    /** @return the array names, in archive order */
    public List<String> keys() {
        return new ArrayList<>(entries.keySet());
    }

    /** @return true if the archive holds {@code key} */
    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /**
     * @param key array name
     * @return its header, read without reading the data
     * @throws BadDataException if the key is missing or its header is malformed
     */
    public NpyHeader header(String key) {
        try (InputStream in = open(key)) {
            return NpyHeader.read(in, where(key));
        } catch (IOException e) {
            throw corrupt(key, e);
        }
    }

    /**
     * @param key array name
     * @return the array, row-major
     * @throws BadDataException if the key is missing or the entry is malformed, truncated or corrupt
     */
    public NpyArray read(String key) {
        try (InputStream in = open(key)) {
            NpyHeader h = NpyHeader.read(in, where(key));
            return NpyCodec.read(in, h, available(key, h), where(key));
        } catch (IOException e) {
            throw corrupt(key, e);
        }
    }

    /**
     * Decodes a numeric array, converted to float, into {@code dst} from {@code offset}: how a large
     * image array is read without a second full-size copy.
     *
     * @param key array name
     * @param dst destination, at least {@code offset + elementCount} long
     * @param offset first destination index
     * @return the header of the entry
     */
    public NpyHeader readFloats(String key, float[] dst, int offset) {
        try (InputStream in = open(key)) {
            NpyHeader h = NpyHeader.read(in, where(key));
            if (h.elementCount() > dst.length - (long) offset) {
                throw new IllegalArgumentException(where(key) + ": " + h.elementCount()
                        + " elements do not fit the destination");
            }
            NpyCodec.readFloats(in, h, available(key, h), dst, offset, where(key));
            return h;
        } catch (IOException e) {
            throw corrupt(key, e);
        }
    }

    /** Bytes after the header, from the directory's uncompressed size; -1 when the zip does not say. */
    private long available(String key, NpyHeader h) {
        long size = entries.get(key).getSize();
        return size < 0 ? -1 : size - h.headerLength();
    }

    private InputStream open(String key) throws IOException {
        ZipEntry e = entries.get(key);
        if (e == null) {
            throw new BadDataException(file + ": no array '" + key + "' (found " + entries.keySet() + ")");
        }
        return new BufferedInputStream(zip.getInputStream(e), 1 << 16);
    }

    private String where(String key) {
        return file + "[" + key + "]";
    }

    private BadDataException corrupt(String key, IOException e) {
        return new BadDataException(where(key) + ": entry is truncated or corrupt: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
