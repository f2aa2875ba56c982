package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.scanline.ScanDataset;

/** Round trips through our own writer; numpy reading the output was checked by hand (docs/datasets.md). */
class NpzWriterTest {
    @TempDir
    Path dir;

    static Map<String, NpyArray> everyKind() {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        float[] images = new float[2 * 3 * 4];
        for (int i = 0; i < images.length; i++) {
            images[i] = i * 0.25f - 3;
        }
        m.put("images", NpyArray.of(images, 2, 3, 4));
        m.put("labels", NpyArray.of(new int[] {3, -1}, 2));
        m.put("bytes", NpyArray.of(new byte[] {-128, 0, 127}, 3));
        m.put("longs", NpyArray.of(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, 3));
        m.put("doubles", NpyArray.of(new double[] {Math.PI, Double.NaN, -0.0, 1e300}, 2, 2));
        m.put("flags", NpyArray.of(new boolean[] {true, false}, 2));
        m.put("names", NpyArray.ofStrings(new String[] {"individual atoms", "\u03b3", "", "\ud83d\ude00"}, 4));
        m.put("seed", NpyArray.scalar(42L));
        m.put("lr", NpyArray.scalar(1e-4));
        m.put("note", NpyArray.scalar("hello"));
        m.put("empty", NpyArray.of(new float[0], 0, 5));
        return m;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTripsEveryKind(boolean compressed) throws IOException {
        Path file = dir.resolve("all.npz");
        Map<String, NpyArray> in = everyKind();
        NpzWriter.write(file, in, compressed);
        assertEquals(in, NpzReader.readAll(file));
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry("images.npy");
            assertEquals(compressed ? ZipEntry.DEFLATED : ZipEntry.STORED, e.getMethod());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList(), "no temporary file left behind");
        }
    }

    @Test
    void headerIsAlignedAndReadable() {
        Path file = dir.resolve("x.npy");
        Npy.write(file, NpyArray.of(new int[] {1, 2, 3}, 3));
        NpyHeader h = Npy.header(file);
        assertEquals("<i4", h.descr());
        assertEquals(0, h.headerLength() % 64);
        assertArrayEquals(new int[] {1, 2, 3}, Npy.read(file).ints());
    }

    @Test
    void closingWithoutCommitLeavesTheTargetUntouched() throws IOException {
        Path file = dir.resolve("keep.npz");
        Files.writeString(file, "previous");
        try (NpzWriter w = NpzWriter.create(file, true)) {
            w.write("a", NpyArray.of(new int[] {1}, 1));
        }
        assertEquals("previous", Files.readString(file));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void duplicateKeyIsRefused() {
        try (NpzWriter w = NpzWriter.create(dir.resolve("d.npz"), false)) {
            w.write("a", NpyArray.scalar(1L));
            assertThrows(IllegalArgumentException.class, () -> w.write("a", NpyArray.scalar(2L)));
        }
        assertFalse(Files.exists(dir.resolve("d.npz")));
    }

    @Test
    void datasetRoundTrip() {
        float[] images = new float[3 * 2 * 2];
        for (int i = 0; i < images.length; i++) {
            images[i] = i;
        }
        ScanDataset ds = new ScanDataset("mem", images, 3, 2, 2, new int[] {0, 1, 1}, List.of("x", "y"));
        Path file = dir.resolve("ds.npz");
        Datasets.writeNpz(ds, file, true);
        ScanDataset back = Datasets.read(file);
        assertArrayEquals(images, back.images());
        assertArrayEquals(ds.labels(), back.labels());
        assertEquals(ds.classNames(), back.classNames());
        assertTrue(back.source().endsWith("ds.npz"));
    }
}
