package org.scanline.training;

import org.apiguardian.api.API;
import org.scanline.ScanDataset;
import org.scanline.dataset.Splits;
import org.scanline.train.TrainingConfig;

/**
 * The split a run trained on, recomputed from its config (seed and ratios) exactly as training
 * computes it, so evaluation can take the run's own held-out test scans.
 *
 * <pre>{@code
 * RunSplits s = RunSplits.of(run.config(), data);
 * ScanDataset test = data.subset(s.test(), "test");
 * }</pre>
 *
 * @param train indices of the training scans, sorted
 * @param valid indices of the validation scans, sorted
 * @param test indices of the test scans, sorted
 */
@API(status = API.Status.EXPERIMENTAL)
public record RunSplits(int[] train, int[] valid, int[] test) {

    /**
     * @param config the run's config
     * @param data the whole dataset the run was trained on
     * @return the split training used
     */
    public static RunSplits of(TrainingConfig config, ScanDataset data) {
        // exactly the call TrainingLoop makes
        Splits s = Splits.stratified(data.labels(), config.trainRatio(), config.valRatio(), config.seed());
        return new RunSplits(s.trainIndices().clone(), s.validIndices().clone(), s.testIndices().clone());
    }

    /**
     * @param data a dataset
     * @return the content hash training records in {@code config.json} ({@code dataset.contentSha256})
     */
    public static String contentSha256(ScanDataset data) {
        return TrainingLoop.contentSha256(data);
    }
}
