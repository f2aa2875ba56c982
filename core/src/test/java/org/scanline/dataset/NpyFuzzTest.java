package org.scanline.dataset;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the NPY decoder (header and data) from the committed {@code .npy} seeds: every input is
 * decoded or rejected with a {@code ScanlineException}, nothing else. Seeds and crash regressions live
 * in {@code src/test/resources/org/scanline/dataset/NpyFuzzTestInputs/npy/}.
 */
@Tag("fuzz")
class NpyFuzzTest {
    @FuzzTest(maxDuration = "4s")
    void npy(byte[] data) throws Exception {
        Path f = FuzzFiles.write("fuzz.npy", data);
        FuzzFiles.expectClean(() -> Npy.header(f));
        FuzzFiles.expectClean(() -> Npy.read(f));
    }
}
