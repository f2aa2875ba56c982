package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.ScanDataset;

/** Arrays larger than one decoding chunk (1 MiB), so chunk boundaries are crossed in every path. */
class NpyChunkingTest {
    @TempDir
    Path dir;

    private static float value(int i, int l, int p) {
        return i * 1_000_000f + l * 1000f + p;
    }

    @Test
    void floatAndIntArraysSpanningSeveralChunks() {
        int n = 3;
        int lines = 300;
        int pixels = 500; // 450,000 floats = 1.8 MB
        float[] images = new float[n * lines * pixels];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < lines; l++) {
                for (int p = 0; p < pixels; p++) {
                    images[(i * lines + l) * pixels + p] = value(i, l, p);
                }
            }
        }
        int[] big = new int[400_000];
        double[] doubles = new double[200_000];
        for (int k = 0; k < big.length; k++) {
            big[k] = k * 7 - 3;
        }
        for (int k = 0; k < doubles.length; k++) {
            doubles[k] = k / 3.0;
        }
        Path f = dir.resolve("big.npz");
        NpzWriter.write(f, Map.of("images", NpyArray.of(images, n, lines, pixels), "labels", NpyArray.of(new int[] {0, 1, 2}, 3),
                "big", NpyArray.of(big, big.length), "doubles", NpyArray.of(doubles, 400, 500)), true);
        Map<String, NpyArray> back = NpzReader.readAll(f);
        assertArrayEquals(images, back.get("images").floats());
        assertArrayEquals(big, back.get("big").ints());
        assertArrayEquals(doubles, back.get("doubles").doubles());
        ScanDataset ds = Datasets.read(f);
        assertArrayEquals(images, ds.images());
    }

    @Test
    void fortranOrderFloat64SpanningSeveralChunksIntoAnOffset() throws IOException {
        int n = 5;
        int lines = 300;
        int pixels = 400; // 600,000 doubles = 4.8 MB, column-major
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(NpyHeader.format("<f8", true, new long[] {n, lines, pixels}));
        ByteBuffer bb = ByteBuffer.allocate(n * lines * pixels * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < pixels; p++) {
            for (int l = 0; l < lines; l++) {
                for (int i = 0; i < n; i++) {
                    bb.putDouble(value(i, l, p));
                }
            }
        }
        out.write(bb.array());
        Path images = dir.resolve("f_images.npy");
        Files.write(images, out.toByteArray());
        Npy.write(dir.resolve("f_labels.npy"), NpyArray.of(new long[] {0, 1, 0, 1, 0}, n));
        ScanDataset ds = Datasets.read(images);
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < lines; l += 7) {
                for (int p = 0; p < pixels; p += 3) {
                    assertEquals(value(i, l, p), ds.images()[(i * lines + l) * pixels + p], 0f);
                }
            }
        }
        float[] offset = new float[10 + n * lines * pixels];
        NpyHeader h = Npy.header(images);
        Npy.readFloats(images, h, offset, 10);
        assertEquals(0f, offset[9]);
        assertEquals(value(4, 299, 399), offset[offset.length - 1], 0f);
        assertEquals(value(2, 17, 5), offset[10 + (2 * lines + 17) * pixels + 5], 0f);
    }
}
