package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No native memory leak: a child JVM with a fixed, pre-touched heap streams N
 * predictions (100,000 unless {@code scanline.rss.predictions} says otherwise; a new stream per
 * 12-line scan) and its resident set, measured after the first
 * 10 % as warm-up, may grow by at most {@value #TOLERANCE_KIB} KiB to the end. A leak of one
 * 12-line stream's tensors (a few KiB) per scan would add tens of MiB. The 1,000,000-prediction run is
 * the same probe with a larger count (docs/reliability.md).
 */
class NativeMemoryTest {
    /** Override for the long run: {@code -Dscanline.rss.predictions=1000000}. */
    static final long PREDICTIONS = Long.getLong("scanline.rss.predictions", 100_000);
    static final long TOLERANCE_KIB = 16 * 1024;

    @TempDir
    Path dir;

    @Test
    void residentSetStaysFlatOverManyPredictions() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc for the RSS");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xms96m", "-Xmx96m", "-XX:+AlwaysPreTouch", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), RssProbe.class.getName(), dir.toString(),
                Long.toString(PREDICTIONS)).redirectErrorStream(true).start();
        List<long[]> samples = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("rss ")) {
                    String[] f = line.split(" ");
                    samples.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                } else {
                    log.append(line).append('\n');
                }
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), log::toString);
        assertEquals(11, samples.size(), log::toString);
        long warm = samples.get(1)[1];
        long last = samples.get(samples.size() - 1)[1];
        StringBuilder trace = new StringBuilder();
        samples.forEach(s -> trace.append(s[0]).append(": ").append(s[1]).append(" KiB; "));
        System.out.println("RSS over " + PREDICTIONS + " predictions: " + trace);
        assertTrue(last - warm <= TOLERANCE_KIB, "RSS grew by " + (last - warm) + " KiB after warm-up: " + trace);
    }
}
