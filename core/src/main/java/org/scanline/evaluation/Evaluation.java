package org.scanline.evaluation;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.scanline.metrics.ClassificationMetrics;

/**
 * The result of {@link Evaluator#evaluate}: metrics at every evaluated number of lines seen, the
 * probabilities behind them, and how many lines it takes to come close to the full-scan result.
 *
 * @param classNames class names, index = label
 * @param scanIds identifier of each evaluated scan (its index in the dataset file)
 * @param labels true label of each scan
 * @param linesSeen the evaluated lengths, increasing; the last is the full scan
 * @param metrics metrics at each length, aligned with {@code linesSeen}
 * @param probabilities at each length, {@code scans × K} row-major probabilities, aligned with {@code linesSeen}
 * @param perLine whether every length 1…max was evaluated from one pass (per-line models)
 * @param linesTo95 the fewest lines from which balanced accuracy stays at or above 95 % of the
 *        full-scan value for every longer evaluated length; empty if the full-scan value is not positive
 * @param notes remarks on how the evaluation was done (subset of lengths, truncation, skipped AUROC classes)
 */
@API(status = API.Status.EXPERIMENTAL)
public record Evaluation(List<String> classNames, int[] scanIds, int[] labels, int[] linesSeen,
        List<ClassificationMetrics> metrics, List<float[]> probabilities, boolean perLine,
        Optional<Integer> linesTo95, List<String> notes) {

    /** The fraction of the full-scan balanced accuracy that {@link #linesTo95} refers to. */
    public static final double TARGET_FRACTION = 0.95;

    /** @return the metrics of the full (longest evaluated) scans */
    public ClassificationMetrics overall() {
        return metrics.get(metrics.size() - 1);
    }

    /** @return the longest evaluated length */
    public int fullLines() {
        return linesSeen[linesSeen.length - 1];
    }

    /** @return number of scans evaluated */
    public int scans() {
        return labels.length;
    }

    /** @return the balanced accuracy of guessing: 1 / classes (macro AUROC's is 0.5) */
    public double chanceBalancedAccuracy() {
        return 1.0 / classNames.size();
    }

    /**
     * How far above {@link #chanceBalancedAccuracy()} guessing reaches by luck on these scans: two
     * standard errors. Guessing uniformly, the recall of a class of {@code n} scans is
     * Binomial(n, 1/K)/n, and balanced accuracy is the mean recall over the classes present.
     *
     * @return two standard errors of the balanced accuracy of guessing
     */
    public double chanceMargin() {
        int k = classNames.size();
        int[] n = new int[k];
        for (int label : labels) {
            if (label >= 0 && label < k) {
                n[label]++;
            }
        }
        double p = 1.0 / k;
        double var = 0;
        int present = 0;
        for (int c : n) {
            if (c > 0) {
                var += p * (1 - p) / c;
                present++;
            }
        }
        return present == 0 ? 0 : 2 * Math.sqrt(var) / present;
    }

    /** @return true when the full-scan balanced accuracy is within {@link #chanceMargin()} of guessing */
    public boolean atChance() {
        double ba = overall().balancedAccuracy();
        return !(ba > chanceBalancedAccuracy() + chanceMargin());
    }

    /**
     * How far above 0.5 the macro AUROC of random scores reaches by luck: two standard errors, from
     * the null variance (n₊ + n₋ + 1)/(12 n₊ n₋) of each class's one-vs-rest AUROC (Hanley and McNeil),
     * averaged over the classes present as if independent.
     *
     * @return two standard errors of the macro AUROC of random scores
     */
    public double chanceAurocMargin() {
        int k = classNames.size();
        int[] n = new int[k];
        for (int label : labels) {
            if (label >= 0 && label < k) {
                n[label]++;
            }
        }
        double var = 0;
        int present = 0;
        for (int c : n) {
            int neg = labels.length - c;
            if (c > 0 && neg > 0) {
                var += (c + neg + 1.0) / (12.0 * c * neg);
                present++;
            }
        }
        return present == 0 ? 0 : 2 * Math.sqrt(var) / present;
    }

    /** @return true when the full-scan macro AUROC is within {@link #chanceAurocMargin()} of 0.5 (or undefined) */
    public boolean aurocAtChance() {
        double auc = overall().macroAuroc();
        return !(auc > 0.5 + chanceAurocMargin());
    }
}
