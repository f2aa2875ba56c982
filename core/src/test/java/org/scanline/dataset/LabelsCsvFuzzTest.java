package org.scanline.dataset;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the {@code labels.csv} manifest of a labelled folder: the folder holds two valid 2-d
 * {@code .npy} scans ({@code a.npy}, {@code b.npy}) and the fuzzer writes the manifest (quoting,
 * names, integers, paths, missing files).
 */
@Tag("fuzz")
class LabelsCsvFuzzTest {
    @FuzzTest(maxDuration = "4s")
    void labelsCsv(byte[] data) throws Exception {
        Path dir = FuzzFiles.dir().resolve("folder");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Npy.write(dir.resolve("a.npy"), NpyArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
            Npy.write(dir.resolve("b.npy"), NpyArray.of(new float[] {6, 5, 4, 3, 2, 1}, 2, 3));
        }
        Files.write(dir.resolve(LabelledFolders.LABELS_CSV), data);
        FuzzFiles.expectClean(() -> Datasets.load(dir));
        FuzzFiles.expectClean(() -> Datasets.read(dir));
    }
}
