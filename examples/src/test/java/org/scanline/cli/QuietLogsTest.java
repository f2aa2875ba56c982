package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The command line's JVM stays quiet on a CPU: no DJL housekeeping at INFO, no GPU-probe warnings,
 * no libtorch warnings on the native stderr. A child JVM, because libtorch writes to file
 * descriptor 2 directly and warns once per process; with {@code TORCH_CPP_LOG_LEVEL=WARNING} the
 * same probe does print libtorch's warning, which shows the probe would catch it.
 */
class QuietLogsTest {
    static String run(String torchLevel) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                QuietLogsProbe.class.getName()).redirectErrorStream(true);
        pb.environment().remove("TORCH_CPP_LOG_LEVEL");
        if (torchLevel != null) {
            pb.environment().put("TORCH_CPP_LOG_LEVEL", torchLevel);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void nothingButTheProbesOwnLineByDefault() throws Exception {
        String out = run(null);
        assertEquals("OK", out.strip(), "stdout and stderr of the child JVM");
        String loud = run("WARNING");
        assertTrue(loud.contains("AutoNonVariableTypeMode"), "the probe provokes libtorch's warning: " + loud);
        assertFalse(loud.contains("Failed to detect GPU count"), loud);
    }
}
