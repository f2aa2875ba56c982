package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;

/** MATLAB v7.3 files made by h5py the way MATLAB writes them (make_fixtures.py). */
class MatDatasetsTest {
    @TempDir
    Path dir;

    @Test
    void matlabColumnMajorWithUserblock() {
        ScanArrays a = Datasets.load(TestFiles.fixture("matlab_v73.mat"));
        assertEquals("float64 (HDF5)", a.storedDtype());
        assertTrue(a.info().get("layout").startsWith("column-major"), a.info().toString());
        ScanDataset ds = a.toDataset();
        assertEquals(3, ds.count());
        assertEquals(4, ds.lines());
        assertEquals(4, ds.pixels());
        NpzReaderTest.assertFormula(ds.images(), 3, 4, 4);
        assertArrayEquals(new int[] {1, 3, 0}, ds.labels());
        assertEquals(ScanArrays.REFERENCE_CLASSES, ds.classNames());
    }

    @Test
    void rowMajorChunkedCompressedFile() {
        ScanDataset ds = Datasets.read(TestFiles.fixture("plain_hdf5.mat"));
        NpzReaderTest.assertFormula(ds.images(), 3, 4, 4);
        assertArrayEquals(new int[] {1, 3, 0}, ds.labels());
    }

    @Test
    void scansWithMixedColumnLabelsAreListed() {
        Path f = TestFiles.fixture("matlab_inconsistent.mat");
        BadDataException e = assertThrows(BadDataException.class, () -> Datasets.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("1 scan(s)") && e.getMessage().contains("[1]"), e.getMessage());
    }

    @Test
    void notHdf5AndTruncated() throws IOException {
        Path junk = dir.resolve("junk.mat");
        Files.writeString(junk, "MATLAB 5.0 MAT-file, not HDF5");
        BadDataException e = assertThrows(BadDataException.class, () -> Datasets.read(junk));
        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
        byte[] good = Files.readAllBytes(TestFiles.fixture("matlab_v73.mat"));
        Path cut = dir.resolve("cut.mat");
        Files.write(cut, Arrays.copyOf(good, good.length - 600));
        assertThrows(BadDataException.class, () -> Datasets.read(cut));
    }

    @Test
    void missingDataset() {
        Path f = TestFiles.fixture("savez_f32_i32.npz");
        Path renamed = dir.resolve("wrong.mat");
        try {
            Files.copy(TestFiles.fixture("v2.npy"), renamed);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThrows(BadDataException.class, () -> Datasets.read(renamed));
        assertTrue(f.toString().endsWith(".npz"));
    }
}
