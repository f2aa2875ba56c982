package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.BadDataException;

/** Every malformed numpy input is a BadDataException naming the file, never a JVM error. */
class NumpyBadInputTest {
    @TempDir
    Path dir;

    private Path npz(Map<String, NpyArray> arrays) {
        Path f = dir.resolve("bad.npz");
        NpzWriter.write(f, arrays, false);
        return f;
    }

    private static Map<String, NpyArray> dataset(NpyArray images, NpyArray labels) {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        if (images != null) {
            m.put("images", images);
        }
        if (labels != null) {
            m.put("labels", labels);
        }
        return m;
    }

    private static BadDataException rejects(Path file, String... fragments) {
        BadDataException e = assertThrows(BadDataException.class, () -> Datasets.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
        return e;
    }

    /** An npz whose single entry holds exactly these bytes. */
    private Path rawNpz(String key, byte[] npy) throws IOException {
        Path f = dir.resolve("raw.npz");
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry(key + ".npy"));
            zip.write(npy);
            zip.closeEntry();
        }
        return f;
    }

    private static byte[] npyBytes(String dict, int dataBytes) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + text.length + dataBytes];
        System.arraycopy(NpyHeader.MAGIC, 0, out, 0, 6);
        out[6] = 1;
        out[8] = (byte) text.length;
        out[9] = (byte) (text.length >>> 8);
        System.arraycopy(text, 0, out, 10, text.length);
        return out;
    }

    @Test
    void missingLabels() {
        rejects(npz(dataset(NpyArray.of(new float[4], 1, 2, 2), null)), "'labels'");
    }

    @Test
    void missingImages() {
        rejects(npz(dataset(null, NpyArray.of(new int[1], 1))), "'images'");
    }

    @Test
    void wrongRank() {
        rejects(npz(dataset(NpyArray.of(new float[4], 1, 4), NpyArray.of(new int[1], 1))), "rank 3", "(1, 4)");
        rejects(npz(dataset(NpyArray.of(new float[4], 1, 2, 2), NpyArray.of(new int[1], 1, 1))), "rank 1");
    }

    @Test
    void labelCountDiffersFromScanCount() {
        rejects(npz(dataset(NpyArray.of(new float[8], 2, 2, 2), NpyArray.of(new int[3], 3))), "2 scans but 3 labels");
    }

    @Test
    void negativeLabel() {
        rejects(npz(dataset(NpyArray.of(new float[8], 2, 2, 2), NpyArray.of(new int[] {0, -1}, 2))), "label -1");
    }

    @Test
    void labelBeyondClassNames() {
        Map<String, NpyArray> m = dataset(NpyArray.of(new float[8], 2, 2, 2), NpyArray.of(new int[] {0, 5}, 2));
        m.put("class_names", NpyArray.ofStrings(new String[] {"a", "b"}, 2));
        rejects(npz(m), "label 5");
    }

    @Test
    void floatLabels() {
        rejects(npz(dataset(NpyArray.of(new float[8], 2, 2, 2), NpyArray.of(new double[] {0, 1}, 2))), "integers");
    }

    @Test
    void nanPixelsAreKeptByLoadAndRejectedByRead() {
        float[] px = new float[8];
        px[5] = Float.NaN;
        px[6] = Float.POSITIVE_INFINITY;
        Path f = npz(dataset(NpyArray.of(px, 2, 2, 2), NpyArray.of(new int[] {0, 1}, 2)));
        assertEquals(2, Datasets.load(f).nonFiniteCount());
        rejects(f, "2 pixel(s) are NaN or infinite", "scan 1, line 0, pixel 1");
    }

    @Test
    void emptyDataset() {
        rejects(npz(dataset(NpyArray.of(new float[0], 0, 2, 2), NpyArray.of(new int[0], 0))), "empty");
    }

    @Test
    void truncatedZip() throws IOException {
        byte[] good = Files.readAllBytes(TestFiles.fixture("savez_f32_i32.npz"));
        Path f = dir.resolve("truncated.npz");
        Files.write(f, Arrays.copyOf(good, good.length / 2));
        rejects(f, "zip");
    }

    @Test
    void notAZipAtAll() throws IOException {
        Path f = dir.resolve("text.npz");
        Files.writeString(f, "images,labels\n1,2\n");
        rejects(f);
    }

    @Test
    void truncatedNpyData() throws IOException {
        byte[] good = Files.readAllBytes(TestFiles.fixture("pair_images.npy"));
        Path f = dir.resolve("cut_images.npy");
        Files.write(f, Arrays.copyOf(good, good.length - 10));
        Files.copy(TestFiles.fixture("pair_labels.npy"), dir.resolve("cut_labels.npy"));
        rejects(f, "240 bytes of data", "only 230 follow");
    }

    @Test
    void headerClaimingMoreDataThanPresentIsRejectedBeforeAllocating() throws IOException {
        // 2e9 × 1000 float32 would be 8 TB: must be refused from the sizes alone.
        Path f = rawNpz("images",
                npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2000000, 1000, 1000), }", 16));
        BadDataException e = assertThrows(BadDataException.class, () -> NpzReader.readAll(f));
        assertTrue(e.getMessage().contains("raw.npz[images]"), e.getMessage());
        assertTrue(e.getMessage().contains("elements") || e.getMessage().contains("follow"), e.getMessage());
        Path g = rawNpz("images", npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000), }", 16));
        BadDataException e2 = assertThrows(BadDataException.class, () -> NpzReader.readAll(g));
        assertTrue(e2.getMessage().contains("only 16 follow"), e2.getMessage());
    }

    @Test
    void absurdAndNegativeDimensions() throws IOException {
        Path overflow = rawNpz("a",
                npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (9000000000000, 9000000000000), }", 0));
        assertThrows(BadDataException.class, () -> NpzReader.readAll(overflow));
        Path negative = rawNpz("a", npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3), }", 0));
        BadDataException e = assertThrows(BadDataException.class, () -> NpzReader.readAll(negative));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }

    @Test
    void unsupportedDtypesAndHeaders() throws IOException {
        Path complex = rawNpz("a", npyBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", 8));
        assertTrue(assertThrows(BadDataException.class, () -> NpzReader.readAll(complex)).getMessage()
                .contains("unsupported dtype '<c8'"));
        Path structured = rawNpz("a",
                npyBytes("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }", 4));
        assertTrue(assertThrows(BadDataException.class, () -> NpzReader.readAll(structured)).getMessage()
                .contains("structured"));
        Path noMagic = rawNpz("a", "not an npy file at all".getBytes(StandardCharsets.US_ASCII));
        assertTrue(assertThrows(BadDataException.class, () -> NpzReader.readAll(noMagic)).getMessage()
                .contains("magic"));
    }

    @Test
    void npyWithoutLabelsSibling() throws IOException {
        Path f = dir.resolve("scans.npy");
        Npy.write(f, NpyArray.of(new float[4], 1, 2, 2));
        rejects(f, "'images' and 'labels'");
        Path g = dir.resolve("x_images.npy");
        Npy.write(g, NpyArray.of(new float[4], 1, 2, 2));
        rejects(g, "x_labels.npy is missing");
    }
}
