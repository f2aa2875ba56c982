package org.scanline.analysis;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.train.EpochMetrics;

/**
 * The seed analyser's numbers for one split: epochs, best and latest accuracy and loss, plus the
 * best balanced accuracy and AUROC. Ties keep the earliest epoch; NaN values are skipped.
 *
 * @param split split name
 * @param epochs number of epochs with a row for this split
 * @param bestAccuracy highest accuracy
 * @param bestAccuracyEpoch its epoch
 * @param bestLoss lowest loss
 * @param bestLossEpoch its epoch
 * @param bestBalancedAccuracy highest balanced accuracy
 * @param bestBalancedAccuracyEpoch its epoch
 * @param bestAuroc highest macro AUROC
 * @param bestAurocEpoch its epoch
 * @param latest the last epoch's row
 */
@API(status = API.Status.EXPERIMENTAL)
public record SplitSummary(String split, int epochs, double bestAccuracy, int bestAccuracyEpoch, double bestLoss,
        int bestLossEpoch, double bestBalancedAccuracy, int bestBalancedAccuracyEpoch, double bestAuroc,
        int bestAurocEpoch, EpochMetrics latest) {

    /**
     * @param split split name
     * @param rows that split's rows in epoch order (non-empty)
     * @return the summary
     */
    public static SplitSummary of(String split, List<EpochMetrics> rows) {
        if (rows.isEmpty()) {
            throw new BadDataException("no metrics rows for split '" + split + "'");
        }
        EpochMetrics acc = best(rows, EpochMetrics::accuracy, true);
        EpochMetrics loss = best(rows, EpochMetrics::loss, false);
        EpochMetrics bal = best(rows, EpochMetrics::balancedAccuracy, true);
        EpochMetrics auc = best(rows, EpochMetrics::auroc, true);
        return new SplitSummary(split, rows.size(), acc.accuracy(), acc.epoch(), loss.loss(), loss.epoch(),
                bal.balancedAccuracy(), bal.epoch(), auc.auroc(), auc.epoch(), rows.get(rows.size() - 1));
    }

    /**
     * The best row by a metric; NaN rows lose to any number and ties keep the earliest epoch.
     *
     * @param rows rows in epoch order
     * @param metric the metric
     * @param higherIsBetter direction
     * @return the best row
     */
    static EpochMetrics best(List<EpochMetrics> rows, ToDoubleFunction<EpochMetrics> metric, boolean higherIsBetter) {
        EpochMetrics best = null;
        for (EpochMetrics m : rows) {
            double v = metric.applyAsDouble(m);
            if (Double.isNaN(v)) {
                continue;
            }
            if (best == null) {
                best = m;
                continue;
            }
            double b = metric.applyAsDouble(best);
            if (higherIsBetter ? v > b : v < b) {
                best = m;
            }
        }
        return best != null ? best : rows.stream().min(Comparator.comparingInt(EpochMetrics::epoch)).orElseThrow();
    }
}
