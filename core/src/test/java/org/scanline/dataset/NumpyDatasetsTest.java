package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scanline.ScanDataset;

/** Datasets read from numpy's own files. */
class NumpyDatasetsTest {

    @Test
    void npzWithClassNames() {
        ScanDataset ds = Datasets.read(TestFiles.fixture("savez_f32_i32.npz"));
        assertEquals(3, ds.count());
        assertEquals(4, ds.lines());
        assertEquals(5, ds.pixels());
        NpzReaderTest.assertFormula(ds.images(), 3, 4, 5);
        assertArrayEquals(new int[] {0, 2, 1}, ds.labels());
        assertEquals(List.of("alpha", "beta", "\u03b3-rows"), ds.classNames());
    }

    @Test
    void fourClassesWithoutNamesGetTheReferenceNames() {
        ScanArrays raw = Datasets.load(TestFiles.fixture("savez_compressed_f64_i64.npz"));
        assertEquals("<f8", raw.storedDtype());
        ScanDataset ds = raw.toDataset();
        NpzReaderTest.assertFormula(ds.images(), 3, 4, 5);
        assertArrayEquals(new int[] {1, 0, 3}, ds.labels());
        assertEquals(List.of("individual atoms", "asymmetries/dimers", "rows", "generic defects"), ds.classNames());
    }

    @Test
    void otherClassCountsGetNumberedNames() {
        ScanDataset ds = Datasets.read(TestFiles.fixture("bigendian_fortran.npz"));
        NpzReaderTest.assertFormula(ds.images(), 3, 4, 5);
        assertEquals(List.of("class_0", "class_1", "class_2"), ds.classNames());
        assertArrayEquals(new int[] {1, 0, 2}, ds.classCounts());
    }

    @Test
    void npyPair() {
        ScanDataset ds = Datasets.read(TestFiles.fixture("pair_images.npy"));
        assertArrayEquals(ds.images(), Datasets.readNpyPair(TestFiles.fixture("pair_images.npy"),
                TestFiles.fixture("pair_labels.npy")).images());
        NpzReaderTest.assertFormula(ds.images(), 3, 4, 5);
        assertArrayEquals(new int[] {3, 1, 0}, ds.labels());
        assertEquals(4, ds.classCount());
    }
}
