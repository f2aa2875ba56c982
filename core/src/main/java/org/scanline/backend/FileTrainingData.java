package org.scanline.backend;

import java.util.Arrays;
import java.util.List;
import org.scanline.BadDataException;
import org.scanline.Normalizer;
import org.scanline.ScanDataset;
import org.scanline.dataset.ClassWeights;
import org.scanline.run.RunSplits;
import org.scanline.train.TrainingConfig;

/**
 * A dataset file's training and validation splits ({@link RunSplits}), normalised once: the same
 * training scans every epoch, and no line states (real scans have none).
 */
final class FileTrainingData implements TrainingData {
    private final ScanDataset data;
    private final Epoch epoch;
    private final ScanDataset valid;
    private final float[] weights;

    FileTrainingData(TrainingConfig config, ScanDataset data) {
        SampleBatcher.checkFits(config, data);
        RunSplits split = RunSplits.forTraining(config, data);
        this.data = data;
        ScanDataset train = normalised(split.train(data), config);
        this.valid = normalised(split.valid(data), config);
        this.epoch = new Epoch(train, null);
        this.weights = new float[data.classCount()];
        Arrays.fill(weights, 1f);
        if (config.classWeights()) {
            double[] w = ClassWeights.inverseFrequency(train);
            for (int c = 0; c < w.length; c++) {
                weights[c] = (float) w[c];
            }
        }
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
    public Epoch epoch(int e) {
        return epoch;
    }

    @Override
    public ScanDataset valid() {
        return valid;
    }

    @Override
    public byte[] validLineStates() {
        return null;
    }

    @Override
    public float[] classWeights() {
        return weights.clone();
    }

    @Override
    public int pixels() {
        return data.pixels();
    }

    @Override
    public List<String> classNames() {
        return data.classNames();
    }
}
