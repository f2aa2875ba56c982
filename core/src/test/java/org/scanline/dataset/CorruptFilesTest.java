package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scanline.BadDataException;

/**
 * Seeded corruption of every fixture kind (truncations and flipped bytes): a reader either succeeds
 * or throws {@link BadDataException}; no JVM error (index, negative size, out of memory, buffer
 * underflow) may escape.
 */
class CorruptFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"savez_f32_i32.npz", "savez_compressed_f64_i64.npz", "bigendian_fortran.npz",
            "pair_images.npy", "v3.npy", "matlab_v73.mat", "plain_hdf5.mat", "synthetic.sxm"})
    void corruptedFilesFailCleanly(String name) throws IOException {
        Path source = name.equals("synthetic.sxm")
                ? SxmFiles.write(dir.resolve("synthetic.sxm"), 5, 4, "up", true, 4, 3)
                : TestFiles.fixture(name);
        byte[] good = Files.readAllBytes(source);
        Random random = new Random(name.hashCode());
        String ext = name.substring(name.lastIndexOf('.'));
        // HDF5 gets fewer trials: a corrupt object-header length makes jhdf allocate and read a buffer
        // of up to 2 GB before it fails (seconds per such trial; see docs/datasets.md).
        int trials = ext.equals(".mat") ? 40 : 100;
        for (int trial = 0; trial < trials; trial++) {
            byte[] bad;
            if (trial % 3 == 0) {
                bad = Arrays.copyOf(good, random.nextInt(good.length));
            } else {
                bad = good.clone();
                int flips = 1 + random.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                }
            }
            // An .npy dataset needs its labels sibling; the pair fixture's name carries 'images'.
            Path f = dir.resolve("t" + trial + (name.startsWith("pair_") ? "_images" : "") + ext);
            Files.write(f, bad);
            if (name.startsWith("pair_")) {
                Files.copy(TestFiles.fixture("pair_labels.npy"), dir.resolve("t" + trial + "_labels.npy"));
            }
            try {
                if (ext.equals(".npz")) {
                    NpzReader.readAll(f);
                } else if (name.equals("v3.npy")) {
                    Npy.read(f);
                }
                Datasets.load(f);
            } catch (BadDataException expected) {
                // the documented failure
            } catch (RuntimeException | Error e) {
                fail("trial " + trial + " of " + name + ": " + e, e);
            }
        }
    }
}
