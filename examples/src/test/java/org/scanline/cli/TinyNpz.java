package org.scanline.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.scanline.Architecture;
import org.scanline.ScanDataset;
import org.scanline.dataset.Datasets;
import org.scanline.train.TrainingConfig;

/** The tiny datasets the training and export commands' tests train on, and a few-second training on them. */
final class TinyNpz {
    /** Lines per scan of {@link #threeClasses}. */
    static final int LINES = 12;
    /** Pixels per line of {@link #threeClasses}. */
    static final int PIXELS = 16;

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

    /**
     * @return {@code dir/tiny.npz}: 18 scans of {@link #LINES} × {@link #PIXELS} px, classes a, b and c as sines
     *     of 1, 2 and 3 periods per line with a random phase, a shift from line to line and noise
     */
    static Path threeClasses(Path dir) {
        SplittableRandom r = new SplittableRandom(1);
        int n = 18;
        float[] images = new float[n * LINES * PIXELS];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            double phase = r.nextDouble() * 6;
            for (int l = 0; l < LINES; l++) {
                for (int p = 0; p < PIXELS; p++) {
                    images[(i * LINES + l) * PIXELS + p] = (float) (Math.sin(2 * Math.PI * (labels[i] + 1) * p / PIXELS
                            + phase + 0.3 * l) + 0.2 * r.nextGaussian());
                }
            }
        }
        Path f = dir.resolve("tiny.npz");
        Datasets.writeNpz(new ScanDataset("tiny", images, n, LINES, PIXELS, labels, List.of("a", "b", "c")), f, false);
        return f;
    }

    /**
     * @param dir the runs go to {@code dir/runs}
     * @param data a {@link #threeClasses} file
     * @return a one-layer causal model's training on {@code data} on one CPU thread, without augmentation;
     *     the caller sets the epochs
     */
    static TrainingConfig.Builder causalRun(Path dir, Path data) {
        return TrainingConfig.builder().architecture(Architecture.CAUSAL).maxLines(LINES).dModel(16).numHeads(2)
                .numLayers(1).ffnDim(32).convChannels(List.of(8, 8, 16)).windowLines(8).dropout(0).learningRate(3e-3)
                .warmupEpochs(1).batchSize(8).earlyStoppingPatience(0).minLines(4).flipProbability(0).noiseStd(0)
                .lineDropout(0).trainRatio(0.6).valRatio(0.4).seed(3).splitSeed(3).threads(1).device("cpu")
                .runsDir(dir.resolve("runs").toString()).dataPath(data.toString());
    }
}
