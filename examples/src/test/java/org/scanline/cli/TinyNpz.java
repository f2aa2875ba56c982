package org.scanline.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.scanline.ScanDataset;
import org.scanline.dataset.Datasets;

/** The tiny two-class dataset the training commands' tests train on. */
final class TinyNpz {
    private TinyNpz() {
    }

    /** @return {@code dir/tiny.npz}: 12 scans of 8 × 16 px, classes good and bad as sines of two frequencies */
    static Path twoClasses(Path dir) {
        SplittableRandom r = new SplittableRandom(1);
        int n = 12;
        int lines = 8;
        int px = 16;
        float[] images = new float[n * lines * px];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int k = 0; k < lines * px; k++) {
                images[i * lines * px + k] = (float) (Math.sin((labels[i] + 1) * k * 0.4) + 0.1 * r.nextGaussian());
            }
        }
        Path f = dir.resolve("tiny.npz");
        Datasets.writeNpz(new ScanDataset("tiny", images, n, lines, px, labels, List.of("good", "bad")), f, false);
        return f;
    }
}
