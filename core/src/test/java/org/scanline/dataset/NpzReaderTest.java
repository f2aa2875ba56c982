package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads the files numpy itself wrote (make_fixtures.py) and checks every value against its formula. */
class NpzReaderTest {

    static float expected(int i, int l, int p) {
        return i * 100 + l * 10 + p * 0.5f;
    }

    static void assertFormula(float[] data, int n, int lines, int pixels) {
        assertEquals(n * lines * pixels, data.length);
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < lines; l++) {
                for (int p = 0; p < pixels; p++) {
                    assertEquals(expected(i, l, p), data[(i * lines + l) * pixels + p], 0f, "at " + i + "," + l + "," + p);
                }
            }
        }
    }

    @Test
    void readsStoredSavezWithUnicodeClassNames() {
        try (NpzReader npz = NpzReader.open(TestFiles.fixture("savez_f32_i32.npz"))) {
            assertEquals(List.of("images", "labels", "class_names"), npz.keys());
            NpyHeader h = npz.header("images");
            assertEquals("<f4", h.descr());
            assertArrayEquals(new long[] {3, 4, 5}, h.shape());
            NpyArray images = npz.read("images");
            assertEquals(NpyDtype.FLOAT32, images.dtype());
            assertFormula(images.floats(), 3, 4, 5);
            assertArrayEquals(new int[] {0, 2, 1}, npz.read("labels").ints());
            assertArrayEquals(new String[] {"alpha", "beta", "\u03b3-rows"}, npz.read("class_names").strings());
        }
    }

    @Test
    void readsCompressedFloat64AndInt64() {
        Map<String, NpyArray> all = NpzReader.readAll(TestFiles.fixture("savez_compressed_f64_i64.npz"));
        NpyArray images = all.get("images");
        assertEquals(NpyDtype.FLOAT64, images.dtype());
        assertFormula(images.toFloatArray(), 3, 4, 5);
        assertArrayEquals(new long[] {1, 0, 3}, all.get("labels").longs());
    }

    @Test
    void readsBigEndianFortranOrderAsRowMajor() {
        try (NpzReader npz = NpzReader.open(TestFiles.fixture("bigendian_fortran.npz"))) {
            NpyHeader h = npz.header("images");
            assertTrue(h.fortranOrder());
            assertEquals(ByteOrder.BIG_ENDIAN, h.order());
            assertFormula(npz.read("images").floats(), 3, 4, 5);
            float[] direct = new float[2 + 60];
            npz.readFloats("images", direct, 2);
            assertFormula(java.util.Arrays.copyOfRange(direct, 2, 62), 3, 4, 5);
            NpyArray labels = npz.read("labels");
            assertEquals(NpyDtype.UINT8, labels.dtype());
            assertArrayEquals(new int[] {2, 2, 0}, labels.toIntArray());
        }
    }

    @Test
    void readsEveryDtype() {
        Map<String, NpyArray> a = NpzReader.readAll(TestFiles.fixture("dtypes.npz"));
        for (int k = 0; k < 6; k++) {
            assertEquals(k * 20 - 50, a.get("i1").getLong(k));
            assertEquals(k * 40 + 50, a.get("u1").getLong(k));
            assertEquals(k * 1000 - 2500, a.get("i2_be").getLong(k));
            assertEquals(k * 12000, a.get("u2").getLong(k));
            assertEquals(k * 100000 - 250000, a.get("i4_be").ints()[k]);
            assertEquals(k * 800000000L, a.get("u4").getLong(k));
            assertEquals(k * 1_000_000_000_000L - 3_000_000_000_000L, a.get("i8").longs()[k]);
            assertEquals(k * 1_000_000_000_000L - 3_000_000_000_000L, a.get("i8_be").longs()[k]);
            assertEquals(k * 0.25 - 1.0, a.get("f8_be").doubles()[k], 0.0);
            assertEquals(k % 2 == 0, a.get("b1").booleans()[k]);
        }
        assertEquals(NpyDtype.UINT32, a.get("u4").dtype());
        int[] fortran = a.get("fortran_i4").ints();
        for (int i = 0; i < 12; i++) {
            assertEquals(i, fortran[i]);
        }
        assertArrayEquals(new long[] {3, 4}, a.get("fortran_i4").shape());
        double[] f3 = a.get("fortran_3d").doubles();
        for (int i = 0; i < 24; i++) {
            assertEquals(i, f3[i], 0.0);
        }
        assertEquals(0, a.get("scalar_f8").rank());
        assertEquals(2.5, a.get("scalar_f8").doubles()[0], 0.0);
        assertEquals(-7, a.get("scalar_i8").longs()[0]);
        assertArrayEquals(new String[] {"a", "bcd", "\u00e9t\u00e9", ""}, a.get("strings").strings());
        assertArrayEquals(new String[] {"ab", "xyz"}, a.get("bytes_s").strings());
        assertEquals(NpyDtype.BYTES, a.get("bytes_s").dtype());
        assertEquals(0, a.get("empty").size());
        assertArrayEquals(new long[] {0, 3}, a.get("empty").shape());
    }

    @Test
    void readsNpyFormatVersions2And3() {
        NpyArray v2 = Npy.read(TestFiles.fixture("v2.npy"));
        assertFormula(v2.floats(), 2, 2, 3);
        NpyArray v3 = Npy.read(TestFiles.fixture("v3.npy"));
        assertArrayEquals(new String[] {"x", "yz"}, v3.strings());
        assertFalse(Npy.header(TestFiles.fixture("v3.npy")).fortranOrder());
    }
}
