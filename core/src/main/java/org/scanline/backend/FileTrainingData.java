package org.scanline.backend;

import java.util.Arrays;
import org.scanline.BadDataException;
import org.scanline.Normalizer;
import org.scanline.ScanDataset;
import org.scanline.dataset.ClassWeights;
import org.scanline.dataset.Splits;
import org.scanline.run.RunSplits;
import org.scanline.train.TrainingConfig;

/**
 * A dataset file's training and validation splits ({@link RunSplits}), normalised once: the same
 * training scans every epoch, and no line states (real scans have none).
 */
final class FileTrainingData extends TrainingData {
    private final Epoch epoch;

    private FileTrainingData(ScanDataset train, ScanDataset valid, TrainingConfig config) {
        super(valid, null, weights(train, config), train.classNames());
        this.epoch = new Epoch(train, null);
    }

    /**
     * @param config the run's config (split, normaliser, class weights)
     * @param data the whole dataset
     * @return its training and validation scans, normalised
     * @throws BadDataException if a split would be empty or the normalised data are flat
     */
    static FileTrainingData of(TrainingConfig config, ScanDataset data) {
        SampleBatcher.checkFits(config, data);
        Splits split = RunSplits.forTraining(config, data).splits();
        ScanDataset train = normalised(split.train(data), config);
        return new FileTrainingData(train, normalised(split.valid(data), config), config);
    }

    private static float[] weights(ScanDataset train, TrainingConfig config) {
        float[] weights = new float[train.classCount()];
        Arrays.fill(weights, 1f);
        if (config.classWeights()) {
            double[] w = ClassWeights.inverseFrequency(train);
            for (int c = 0; c < w.length; c++) {
                weights[c] = (float) w[c];
            }
        }
        return weights;
    }

    private static ScanDataset normalised(ScanDataset copy, TrainingConfig config) {
        config.normalizer().normalizeScans(copy.images(), (long) copy.count() * copy.lines(), copy.pixels());
        if (config.normalizer() == Normalizer.PER_LINE) {
            // Per-line normalised data has a standard deviation near 1 unless most lines were too flat
            // to scale (flatness is relative to the line's magnitude): then the model would see ~0.
            double sq = 0;
            for (float v : copy.images()) {
                sq += (double) v * v;
            }
            double std = Math.sqrt(sq / copy.images().length);
            if (std < 0.01) {
                throw new BadDataException(copy.source() + ": after per-line normalisation the data's standard deviation is "
                        + std + ": most lines are flatter than Normalizer.FLAT_RELATIVE_STD ("
                        + Normalizer.FLAT_RELATIVE_STD + ") times their largest value and were only centred "
                        + "(nearly constant lines, e.g. a large offset with tiny variation). Check the data first.");
            }
        }
        return copy;
    }

    @Override
    Epoch epoch(int e) {
        return epoch;
    }
}
