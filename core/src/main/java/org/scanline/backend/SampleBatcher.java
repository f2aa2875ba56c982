package org.scanline.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.scanline.BadConfigException;
import org.scanline.ScanDataset;
import org.scanline.train.TrainingConfig;

/**
 * Draws the training batches of an epoch from normalised scans: {@code samplesPerScan} partial
 * samples per scan in a shuffled order, one random length in [minLines, maxLines] per batch (so a
 * batch needs no padding), each sample the first T lines of its scan with a horizontal flip,
 * Gaussian noise and line dropout. Every random choice comes from the epoch's generator, in a
 * fixed order, so an epoch is the same whenever it is replayed.
 */
final class SampleBatcher {
    private final ScanDataset data;
    private final TrainingConfig config;
    final int maxLength;
    final int minLength;

    SampleBatcher(ScanDataset normalised, TrainingConfig config) {
        checkFits(config, normalised);
        this.data = normalised;
        this.config = config;
        this.maxLength = Math.min(config.maxLines(), normalised.lines());
        this.minLength = config.minLines();
    }

    /**
     * A partial sample can be no longer than a scan, so a {@code minLines} beyond the scans' length
     * is an error rather than quietly lowered (a run would then train on other lengths than asked).
     * {@code maxLines} may exceed the scans: it is the model's capacity, not a sample length.
     *
     * @throws BadConfigException naming minLines, the scan length and the data
     */
    static void checkFits(TrainingConfig config, ScanDataset data) {
        if (config.minLines() > data.lines()) {
            throw new BadConfigException("minLines (" + config.minLines() + ") is more than the " + data.lines()
                    + " lines of the scans in " + data.source() + "; set minLines to at most " + data.lines());
        }
    }

    List<int[]> epochBatches(SplittableRandom rng) {
        int n = data.count() * config.samplesPerScan();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i % data.count();
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        List<int[]> batches = new ArrayList<>();
        for (int s = 0; s < n; s += config.batchSize()) {
            int[] b = new int[Math.min(config.batchSize(), n - s)];
            System.arraycopy(order, s, b, 0, b.length);
            batches.add(b);
        }
        return batches;
    }

    int drawLength(SplittableRandom rng) {
        return minLength + rng.nextInt(maxLength - minLength + 1);
    }

    /** Copies the first {@code t} lines of each scan, augmented when {@code rng} is given. */
    float[] fill(int[] scans, int t, SplittableRandom rng) {
        int p = data.pixels();
        float[] src = data.images();
        float[] out = new float[scans.length * t * p];
        for (int i = 0; i < scans.length; i++) {
            int base = Math.toIntExact(data.offset(scans[i]));
            int dst = i * t * p;
            System.arraycopy(src, base, out, dst, t * p);
            if (rng == null) {
                continue;
            }
            if (config.flipProbability() > 0 && rng.nextDouble() < config.flipProbability()) {
                for (int l = 0; l < t; l++) {
                    int o = dst + l * p;
                    for (int a = 0, b = p - 1; a < b; a++, b--) {
                        float tmp = out[o + a];
                        out[o + a] = out[o + b];
                        out[o + b] = tmp;
                    }
                }
            }
            if (config.noiseStd() > 0) {
                for (int k = 0; k < t * p; k++) {
                    out[dst + k] += (float) (rng.nextGaussian() * config.noiseStd());
                }
            }
            if (config.lineDropout() > 0) {
                for (int l = 0; l < t; l++) {
                    if (rng.nextDouble() < config.lineDropout()) {
                        java.util.Arrays.fill(out, dst + l * p, dst + (l + 1) * p, 0f);
                    }
                }
            }
        }
        return out;
    }

    /** Copies the first {@code t} lines of the given scans of another (validation) set, unaugmented. */
    static float[] fillValid(ScanDataset set, int[] scans, int t) {
        int p = set.pixels();
        float[] out = new float[scans.length * t * p];
        for (int i = 0; i < scans.length; i++) {
            System.arraycopy(set.images(), Math.toIntExact(set.offset(scans[i])), out, i * t * p, t * p);
        }
        return out;
    }
}
