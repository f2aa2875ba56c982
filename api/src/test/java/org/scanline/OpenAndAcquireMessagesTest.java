package org.scanline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages that used to name the wrong problem: a folder passed as the model was "no such model file",
 * and a scan whose first line has no pixels "has a NaN or infinite pixel".
 */
class OpenAndAcquireMessagesTest {
    @TempDir
    Path dir;

    @Test
    void aFolderGivenAsTheModelIsCalledAFolder() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("hsi100-causal-v4"));
        BadModelException e = assertThrows(BadModelException.class, () -> ScanLineClassifier.open(folder));
        assertEquals(folder + ": a folder, not a model file: give the .onnx file in it", e.getMessage());
        BadModelException missing = assertThrows(BadModelException.class,
                () -> ScanLineClassifier.open(dir.resolve("absent.onnx")));
        assertEquals(dir.resolve("absent.onnx") + ": no such model file", missing.getMessage());
    }

    @Test
    void aFirstLineWithoutPixelsIsSaidToHaveNoPixels() throws Exception {
        try (InputStream model = getClass().getResourceAsStream(
                "/org/scanline/runtime/OnnxModelFuzzTestInputs/onnxModel/seed-causal.onnx");
             ScanLineClassifier c = ScanLineClassifier.open(model)) {
            BadDataException empty = assertThrows(BadDataException.class,
                    () -> c.classifyAcquired(new float[][] {new float[0], new float[0]}));
            assertTrue(empty.getMessage().contains("line 0 has no pixels"), empty.getMessage());
            float[] notYet = new float[c.pixels()];
            java.util.Arrays.fill(notYet, Float.NaN);
            BadDataException unfinished = assertThrows(BadDataException.class,
                    () -> c.classifyAcquired(new float[][] {notYet}));
            assertFalse(unfinished.getMessage().contains("no pixels"), unfinished.getMessage());
        }
    }
}
