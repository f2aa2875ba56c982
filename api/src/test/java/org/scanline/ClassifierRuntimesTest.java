package org.scanline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.runtime.OnnxRuntimeProvider;
import org.scanline.spi.ClassifierRuntime;

/** ScanLineClassifier.open reaches ONNX Runtime through the ClassifierRuntime service file alone. */
class ClassifierRuntimesTest {

    @Test
    void theServiceFileNamesTheOnnxRuntimeProvider() {
        ClassifierRuntime runtime = ClassifierRuntimes.get();
        assertEquals(OnnxRuntimeProvider.NAME, runtime.name());
        assertTrue(runtime instanceof OnnxRuntimeProvider, runtime.getClass().getName());
    }

    @Test
    void openGoesThroughTheRuntimeAndKeepsItsErrors(@TempDir Path dir) {
        // The runtime's own checks still answer: the file is named, and garbage bytes are refused.
        BadModelException missing = assertThrows(BadModelException.class,
                () -> ScanLineClassifier.open(dir.resolve("absent.onnx")));
        assertTrue(missing.getMessage().contains("absent.onnx"), missing.getMessage());
        assertThrows(BadModelException.class,
                () -> ScanLineClassifier.open(new ByteArrayInputStream(new byte[] {1, 2, 3})));
    }
}
