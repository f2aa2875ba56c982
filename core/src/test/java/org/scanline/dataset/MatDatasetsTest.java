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

    /**
     * A row-major file (as h5py writes it, as MATLAB shows it) of two 4 × 4 scans, scan 0 class 1 and
     * scan 1 class 2 of 3, with {@code column}'s y entries replaced by {@code yColumn}.
     */
    private Path written(String name, int column, double[] yColumn) {
        int lines = 4;
        int columns = 2 * lines;
        double[][] x = new double[lines][columns];
        double[][] y = new double[3][columns];
        for (int c = 0; c < columns; c++) {
            for (int l = 0; l < lines; l++) {
                x[l][c] = l + 0.25 * c;
            }
            y[c < lines ? 1 : 2][c] = 1;
        }
        if (yColumn != null) {
            for (int k = 0; k < 3; k++) {
                y[k][column] = yColumn[k];
            }
        }
        Path f = dir.resolve(name);
        try (io.jhdf.WritableHdfFile hdf = io.jhdf.HdfFile.write(f)) {
            hdf.putDataset("x_raw", x);
            hdf.putDataset("y", y);
        }
        return f;
    }

    @Test
    void aOneHotFileWrittenHereIsRead() {
        ScanDataset ds = Datasets.read(written("good.mat", 0, null));
        assertArrayEquals(new int[] {1, 2}, ds.labels());
        assertEquals(2.0f, ds.images()[(1 * 4 + 1) * 4 + 0], 0f, "scan 1, line 1, pixel 0 is x_raw[1][4] = 1 + 0.25 · 4");
    }

    @Test
    void yThatIsNotOneHotIsRefusedNamingTheFirstBadColumn() {
        Object[][] cases = {
            {"two-hot", 5, new double[] {0, 1, 1}, "[0.0, 1.0, 1.0]"},
            {"soft", 2, new double[] {0, 0.5, 0.5}, "[0.0, 0.5, 0.5]"},
            {"none", 6, new double[] {0, 0, 0}, "[0.0, 0.0, 0.0]"},
            {"scaled", 3, new double[] {0, 2, 0}, "[0.0, 2.0, 0.0]"},
        };
        for (Object[] c : cases) {
            int column = (Integer) c[1];
            Path f = written(c[0] + ".mat", column, (double[]) c[2]);
            BadDataException e = assertThrows(BadDataException.class, () -> Datasets.read(f), (String) c[0]);
            String m = e.getMessage();
            assertTrue(m.contains(f.toString()) && m.contains("not one-hot at image column " + column + " (scan "
                    + column / 4) && m.contains((String) c[3]), m);
        }
        // Of several bad columns, the first is named.
        Path f = written("first.mat", 7, new double[] {1, 1, 0});
        assertTrue(assertThrows(BadDataException.class, () -> Datasets.read(f)).getMessage().contains("column 7"));
    }

    @Test
    void xRawAndYAreCheckedAgainstTheArrayLimitBeforeDecoding() {
        Path f = written("limit.mat", 0, null);
        BadDataException e = assertThrows(BadDataException.class,
                () -> Datasets.read(f, ReadOptions.defaults().withMaxArrayBytes(200)));
        assertTrue(e.getMessage().contains(f + "[x_raw]") && e.getMessage().contains("[4, 8]")
                && e.getMessage().contains("256 bytes") && e.getMessage().contains("limit of 200 bytes"), e.getMessage());
        assertEquals(2, Datasets.read(f, ReadOptions.defaults().withMaxArrayBytes(256)).count());
    }
}
