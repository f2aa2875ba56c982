package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose {@code scanline.max_lines} its graph cannot reach is refused at open with one error
 * naming the file; ONNX Runtime used to print the failing node a second time, in red, on stderr. A
 * child JVM through {@code Main.main}, because ONNX Runtime's log level belongs to its process-wide
 * environment, made once.
 */
class OrtLogTest {
    @TempDir
    Path dir;

    /** The shipped model with {@code scanline.max_lines} 128 rewritten to 200 in place (same length). */
    Path tamperedModel() throws Exception {
        byte[] b = Files.readAllBytes(Path.of("../models/hsi100-causal-v4/model.onnx"));
        byte[] key = "scanline.max_lines".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(b, key, 0);
        int value = indexOf(b, "128".getBytes(StandardCharsets.US_ASCII), at);
        assertTrue(at >= 0 && value - at < 24, "the value follows its key");
        System.arraycopy("200".getBytes(StandardCharsets.US_ASCII), 0, b, value, 3);
        return Files.write(dir.resolve("max-lines-200.onnx"), b);
    }

    static int indexOf(byte[] b, byte[] what, int from) {
        outer:
        for (int i = Math.max(0, from); i <= b.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aModelRefusedAtOpenIsOneErrorWithoutOnnxRuntimesOwnLogLine() throws Exception {
        Path model = tamperedModel();
        Path data = TinyNpz.twoClasses(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true", Main.class.getName(), "classify", model.toString(), data.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.contains("error: " + model + ": the graph fails on a scan of 'scanline.max_lines' = 200 lines"),
                err);
        assertFalse(err.contains("onnxruntime:"), "ONNX Runtime's own log line: " + err);
        assertFalse(err.contains("\u001b["), "colour codes: " + err);
    }
}
