package org.scanline.backend;

import java.util.List;
import java.util.SplittableRandom;
import org.scanline.Architecture;
import org.scanline.ScanDataset;
import org.scanline.train.TrainingConfig;

/** Tiny synthetic scans with separable patterns: class c is a sine of c + 1 periods per line plus noise. */
final class TinyScans {
    static final int LINES = 12;
    static final int PIXELS = 16;
    static final int CLASSES = 3;

    private TinyScans() {
    }

    static ScanDataset make(int perClass, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = perClass * CLASSES;
        float[] images = new float[n * LINES * PIXELS];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            labels[i] = c;
            double phase = r.nextDouble() * 2 * Math.PI;
            for (int l = 0; l < LINES; l++) {
                for (int p = 0; p < PIXELS; p++) {
                    images[(i * LINES + l) * PIXELS + p] = (float) (Math.sin(2 * Math.PI * (c + 1) * p / PIXELS + phase + 0.3 * l)
                            + 0.2 * r.nextGaussian() + 5.0);
                }
            }
        }
        return new ScanDataset("tiny-" + seed, images, n, LINES, PIXELS, labels, List.of("a", "b", "c"));
    }

    static TrainingConfig.Builder config(Architecture a, java.nio.file.Path runs) {
        return TrainingConfig.builder().architecture(a).maxLines(LINES).dModel(16).numHeads(2).numLayers(1).ffnDim(32)
                .convChannels(List.of(8, 8, 16)).windowLines(8).lstmHidden(16).dropout(0.0)
                .learningRate(3e-3).warmupStartLr(1e-4).warmupEpochs(1).weightDecay(0.01).batchSize(8).epochs(12)
                .earlyStoppingPatience(0).minLines(4).samplesPerScan(1).flipProbability(0).noiseStd(0).lineDropout(0)
                .trainRatio(0.6).valRatio(0.4).seed(3).splitSeed(3).threads(1).device("cpu").runsDir(runs.toString());
    }
}
