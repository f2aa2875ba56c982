package org.scanline.train;

import org.apiguardian.api.API;

/**
 * One row of a run's {@code metrics.csv}: the metrics of one split after one epoch.
 *
 * @param epoch 1-based epoch number
 * @param split {@code train} or {@code valid}
 * @param loss mean (class-weighted) cross-entropy
 * @param accuracy fraction of samples classified correctly
 * @param balancedAccuracy mean per-class recall
 * @param auroc macro one-vs-rest area under the ROC curve
 * @param lr learning rate at the end of the epoch
 * @param seconds wall time of the epoch
 */
@API(status = API.Status.STABLE)
public record EpochMetrics(int epoch, String split, double loss, double accuracy, double balancedAccuracy,
        double auroc, double lr, double seconds) {
}
