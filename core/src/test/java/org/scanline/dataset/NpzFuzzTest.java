package org.scanline.dataset;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the NPZ (zip of NPY) reader and the dataset built from it, from the committed {@code .npz}
 * seeds (stored, deflated, big-endian Fortran, every dtype): decoded or a {@code ScanlineException}.
 */
@Tag("fuzz")
class NpzFuzzTest {
    @FuzzTest(maxDuration = "4s")
    void npz(byte[] data) throws Exception {
        Path f = FuzzFiles.write("fuzz.npz", data);
        FuzzFiles.expectClean(() -> NpzReader.readAll(f));
        FuzzFiles.expectClean(() -> {
            try (NpzReader r = NpzReader.open(f)) {
                for (String key : r.keys()) {
                    NpyHeader h = r.header(key);
                    if (h.elementCount() <= 4096) {
                        r.readFloats(key, new float[(int) h.elementCount()], 0);
                    }
                }
            }
        });
        FuzzFiles.expectClean(() -> Datasets.read(f));
    }
}
