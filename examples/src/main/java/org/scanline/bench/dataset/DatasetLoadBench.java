package org.scanline.bench.dataset;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.scanline.ScanDataset;
import org.scanline.dataset.Datasets;
import org.scanline.dataset.NpyArray;
import org.scanline.dataset.NpzWriter;

/**
 * Writes a full-size synthetic dataset (18,932 × 128 × 128 float32, 1.24 GB) once, then reads it back
 * and reports the time and the peak heap, to check the bound of about 1.5× the data size. Run with
 * {@code -Xmx1900m} (1.5 × 1.24 GB): the read succeeding under that cap is itself the check.
 *
 * <pre>{@code
 * java -Xmx1900m -cp ... org.scanline.bench.dataset.DatasetLoadBench /tmp/full.npz [compressed]
 * }</pre>
 */
public final class DatasetLoadBench {
    private DatasetLoadBench() {
    }

    /**
     * @param args the npz path, and {@code compressed} to deflate it when it has to be written
     */
    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/scanline-full.npz");
        boolean compressed = args.length > 1 && args[1].equals("compressed");
        int n = 18_932;
        int side = 128;
        if (!Files.exists(file)) {
            float[] images = new float[n * side * side];
            int[] labels = new int[n];
            java.util.SplittableRandom r = new java.util.SplittableRandom(1);
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) r.nextDouble();
            }
            for (int i = 0; i < n; i++) {
                labels[i] = i % 4;
            }
            long t0 = System.nanoTime();
            try (NpzWriter w = NpzWriter.create(file, compressed)) {
                w.write("images", NpyArray.of(images, n, side, side));
                w.write("labels", NpyArray.of(labels, n));
                w.commit();
            }
            System.out.printf(Locale.ROOT, "write: %.1f s (%s)%n", (System.nanoTime() - t0) / 1e9,
                    compressed ? "deflated" : "stored");
            images = null;
            System.gc();
            resetPeaks();
        }
        long t0 = System.nanoTime();
        ScanDataset ds = Datasets.read(file);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long data = (long) ds.images().length * Float.BYTES;
        long peak = peakHeap();
        System.out.printf(Locale.ROOT, "read: %d × %d × %d in %.1f s; data %.0f MiB, peak heap %.0f MiB (%.2f×), -Xmx %.0f MiB%n",
                ds.count(), ds.lines(), ds.pixels(), seconds, data / 1048576.0, peak / 1048576.0,
                (double) peak / data, Runtime.getRuntime().maxMemory() / 1048576.0);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
