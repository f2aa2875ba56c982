package org.scanline.dataset;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
import org.scanline.io.InputFiles;

/**
 * Reads arrays from an {@code .npz} archive exactly as numpy writes it ({@code np.savez} stored
 * entries and {@code np.savez_compressed} deflated ones, ZIP64 included). Arrays are decoded from
 * the entry stream in chunks straight into their Java array; headers can be read alone, so a caller
 * can check shapes and sizes before allocating anything. {@link #read} refuses an array whose header
 * declares more bytes than the reader's limit (by default the free heap) before inflating it.
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
    /** Deflate's largest possible expansion (258-byte matches from about 2 bits each), rounded up. */
    static final long MAX_DEFLATE_RATIO = 1032;

    private final Path file;
    private final ZipFile zip;
    private final long maxArrayBytes;
    private final Map<String, ZipEntry> entries = new LinkedHashMap<>();

    private NpzReader(Path file, ZipFile zip, long maxArrayBytes) {
        this.file = file;
        this.zip = zip;
        this.maxArrayBytes = maxArrayBytes;
        for (ZipEntry e : Collections.list(zip.entries())) {
            String name = e.getName();
            if (!e.isDirectory()) {
                entries.put(name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name, e);
            }
        }
    }

    /**
     * Opens an archive and reads its directory; arrays may declare up to the free heap.
     *
     * @param file the {@code .npz} file
     * @return the reader
     * @throws BadDataException if the file is not a readable zip archive (truncated or corrupt) or not a
     *     regular file
     * @throws UncheckedIOException if it cannot be opened, with the operating system's reason
     */
    public static NpzReader open(Path file) {
        return open(file, ReadOptions.FREE_HEAP);
    }

    /**
     * Opens an archive and reads its directory.
     *
     * @param file the {@code .npz} file
     * @param maxArrayBytes the most bytes (shape × item size) one array may declare, or
     *     {@link ReadOptions#FREE_HEAP}
     * @return the reader
     * @throws BadDataException if the file is not a readable zip archive (truncated or corrupt) or not a
     *     regular file
     * @throws UncheckedIOException if it cannot be opened, with the operating system's reason
     */
    public static NpzReader open(Path file, long maxArrayBytes) {
        InputFiles.requireRegular(file, "an .npz archive");
        try {
            return new NpzReader(file, new ZipFile(file.toFile()), maxArrayBytes);
        } catch (ZipException e) {
            throw new BadDataException(file + ": not a readable .npz (zip) archive, truncated or corrupt: "
                    + e.getMessage(), e);
        } catch (java.io.FileNotFoundException | java.nio.file.FileSystemException e) {
            // How ZipFile reports that the file could not be opened: "<path> (Permission denied)".
            throw InputFiles.cannotRead(file, e);
        } catch (IOException e) {
            throw new BadDataException(file + ": not a readable .npz archive: " + InputFiles.reason(e), e);
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
     * @throws BadDataException if the key is missing, the entry is malformed, truncated or corrupt, or
     *     its header declares more bytes than this reader's limit (checked before inflating)
     */
    public NpyArray read(String key) {
        try (InputStream in = open(key)) {
            NpyHeader h = NpyHeader.read(in, where(key));
            checkLimit(key, h);
            return NpyCodec.read(in, h, available(key, h), where(key));
        } catch (IOException e) {
            throw corrupt(key, e);
        }
    }

    /**
     * Refuses an array whose header declares more bytes than this reader's limit; {@link #read} does
     * this itself, a caller that allocates for {@link #readFloats} does it first.
     *
     * @param key array name
     * @param h its header
     * @throws BadDataException naming the file, the entry, the declared size and the limit
     */
    public void checkLimit(String key, NpyHeader h) {
        ArrayLimit.check(h.dataBytes(), maxArrayBytes, where(key), NpyHeader.tuple(h.shape()) + " " + h.descr());
    }

    /**
     * Decodes a numeric array, converted to float, into {@code dst} from {@code offset}: how a large
     * image array is read without a second full-size copy. The size is bounded by {@code dst}, which the
     * caller allocated (after {@link #checkLimit}).
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
        checkSizes(key, e);
        return new BufferedInputStream(zip.getInputStream(e), 1 << 16);
    }

    /**
     * The directory's sizes bound what an entry can decode to, so they are checked before anything is
     * allocated from them: the compressed bytes must lie in the file, and the uncompressed size cannot
     * exceed what deflate can produce from them (at most {@value #MAX_DEFLATE_RATIO}:1) — a zip bomb
     * that declares a huge size from a few bytes is refused here.
     */
    private void checkSizes(String key, ZipEntry e) throws IOException {
        long packed = e.getCompressedSize();
        long size = e.getSize();
        long fileSize = Files.size(file);
        if (packed > fileSize) {
            throw new BadDataException(where(key) + ": the zip directory claims " + packed + " compressed bytes, "
                    + "the file has " + fileSize);
        }
        long most = e.getMethod() == ZipEntry.STORED ? packed : packed * MAX_DEFLATE_RATIO + 1024;
        if (packed >= 0 && size > most) {
            throw new BadDataException(where(key) + ": the zip directory claims " + size + " bytes from " + packed
                    + " compressed bytes, more than " + (e.getMethod() == ZipEntry.STORED ? "a stored entry holds"
                    : "deflate can produce") + " (a zip bomb or a corrupt directory)");
        }
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
