package org.scanline.export;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.scanline.Architecture;
import org.scanline.LineStream;
import org.scanline.ScanLineClassifier;

/**
 * Child-JVM workload of {@link NativeMemoryTest} (and the documented long run): streams N predictions
 * through one classifier on the tiny causal model — a new stream per scan, closed after it, so that
 * stream creation and release are exercised too — and prints the process's resident set size.
 *
 * <pre>
 * java -Xms96m -Xmx96m -XX:+AlwaysPreTouch -cp ... org.scanline.export.RssProbe DIR 1000000
 * </pre>
 * Output lines: {@code rss PREDICTIONS KIB}.
 */
public final class RssProbe {
    private RssProbe() {
    }

    /**
     * @param args working folder, number of predictions
     * @throws IOException if /proc cannot be read
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        Path dir = Path.of(args[0]);
        long total = Long.parseLong(args[1]);
        Path model;
        try (NDManager manager = NDManager.newBaseManager()) {
            model = TinyModelFiles.export(manager, Architecture.CAUSAL, dir.resolve("rss.onnx"));
        }
        SplittableRandom r = new SplittableRandom(5);
        float[][] lines = new float[TinyModelFiles.MAX][TinyModelFiles.P];
        for (float[] line : lines) {
            for (int p = 0; p < line.length; p++) {
                line[p] = (float) r.nextGaussian();
            }
        }
        long step = Math.max(1, total / 10);
        try (ScanLineClassifier c = ScanLineClassifier.open(model)) {
            long n = 0;
            System.out.println("rss 0 " + rssKib());
            while (n < total) {
                try (LineStream s = c.newStream()) {
                    for (int l = 0; l < TinyModelFiles.MAX && n < total; l++) {
                        s.push(lines[l]);
                        if (++n % step == 0) {
                            System.out.println("rss " + n + " " + rssKib());
                        }
                    }
                }
            }
        }
        System.out.flush();
    }

    static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
