package org.scanline.dataset;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the MATLAB v7.3 / HDF5 reader (jhdf underneath) from the committed {@code .mat} seeds
 * (MATLAB's column-major layout with its 512-byte userblock, and h5py's row-major one).
 */
@Tag("fuzz")
class MatFuzzTest {
    @FuzzTest(maxDuration = "4s")
    void mat(byte[] data) throws Exception {
        Path f = FuzzFiles.write("fuzz.mat", data);
        FuzzFiles.expectClean(() -> Datasets.load(f));
    }
}
