package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training, export, classification and streaming work with networking denied: the workload
 * ({@link NoNetworkProbe}) runs in a child JVM inside a fresh Linux network namespace
 * ({@code unshare -n}, no interfaces but a downed loopback), so any connection attempt, from Java or
 * from native code (DJL's PyTorch, ONNX Runtime), fails; the probe also records Java-level attempts.
 */
class NoNetworkTest {
    @TempDir
    Path dir;

    static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void trainExportClassifyAndStreamWithoutANetwork() throws Exception {
        Assumptions.assumeTrue(unshareWorks(),
                "needs 'unshare -n' (util-linux, and CAP_SYS_ADMIN or unprivileged user namespaces)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("unshare", "-n", java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                NoNetworkProbe.class.getName(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("network denied"), out);
        assertTrue(out.contains("ai.djl.offline=true"), out);
        assertTrue(out.strip().endsWith("OK"), out);
    }
}
