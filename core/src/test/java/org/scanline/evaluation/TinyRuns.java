package org.scanline.evaluation;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.scanline.Architecture;
import org.scanline.ScanDataset;
import org.scanline.dataset.Datasets;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;
import org.scanline.train.TrainingSession;

/** Tiny separable scans (3 classes, 10 lines of 16 pixels) and few-second real training runs on them. */
public final class TinyRuns {
    /** Lines per scan. */
    public static final int LINES = 10;
    /** Pixels per line. */
    public static final int PIXELS = 16;

    private TinyRuns() {
    }

    /**
     * @param perClass scans per class
     * @param seed noise seed
     * @return class c is a sine of c + 1 periods per line, with a random phase, drift and noise
     */
    public static ScanDataset data(int perClass, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = perClass * 3;
        float[] x = new float[n * LINES * PIXELS];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            labels[i] = c;
            double phase = r.nextDouble() * 6.28;
            for (int l = 0; l < LINES; l++) {
                for (int p = 0; p < PIXELS; p++) {
                    x[(i * LINES + l) * PIXELS + p] = (float) (Math.sin(6.28 * (c + 1) * p / PIXELS + phase + 0.3 * l)
                            + 0.3 * r.nextGaussian() + 2);
                }
            }
        }
        return new ScanDataset("tiny", x, n, LINES, PIXELS, labels, List.of("a", "b", "c"));
    }

    /**
     * Trains a one-layer model for a few epochs on CPU.
     *
     * @param a architecture
     * @param dataFile the dataset file (recorded as the run's dataPath)
     * @param runs folder of run folders
     * @param epochs epochs
     * @return the run folder
     */
    public static Path train(Architecture a, Path dataFile, Path runs, int epochs) {
        TrainingConfig c = TrainingConfig.builder().architecture(a).maxLines(LINES).dModel(16).numHeads(2).numLayers(1)
                .ffnDim(32).convChannels(List.of(8, 8)).windowLines(4).lstmHidden(8).dropout(0).learningRate(3e-3)
                .warmupEpochs(0).batchSize(8).epochs(epochs).earlyStoppingPatience(0).minLines(3).samplesPerScan(1)
                .flipProbability(0).noiseStd(0).lineDropout(0).trainRatio(0.5).valRatio(0.25).seed(5).splitSeed(5).threads(1)
                .device("cpu").runsDir(runs.toString()).dataPath(dataFile.toString()).build();
        try (TrainedModel m = TrainingSession.create(c).fit(Datasets.read(dataFile))) {
            return m.runDirectory();
        }
    }
}
