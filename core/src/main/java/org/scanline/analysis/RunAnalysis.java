package org.scanline.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.run.MetricsCsv;
import org.scanline.train.EpochMetrics;

/**
 * The report of one run: the seed analyser's per-split summary (total epochs, best accuracy and
 * its epoch, best loss and its epoch, latest accuracy and loss) and an overfitting diagnosis.
 *
 * <pre>{@code
 * RunAnalysis a = RunAnalysis.of(RunResults.read(dir));
 * System.out.print(a.report());
 * }</pre>
 *
 * @param run the run folder
 * @param splits one summary per split, in file order
 * @param diagnosis the overfitting diagnosis, when both a train and a valid split exist
 */
@API(status = API.Status.EXPERIMENTAL)
public record RunAnalysis(RunResults run, Map<String, SplitSummary> splits, Optional<Diagnosis> diagnosis) {

    /** Relative rise of the valid loss above its minimum that counts as "valid loss degraded". */
    public static final double LOSS_RISE_THRESHOLD = 0.05;
    /** How far above chance (1/K) the best valid balanced accuracy must get for a run to count as learning. */
    public static final double CHANCE_MARGIN = 0.03;
    /** Train-minus-valid accuracy gap (fraction) that counts as a generalisation gap. */
    public static final double GAP_THRESHOLD = 0.05;

    /** Whether early stopping ended the run. */
    public enum EarlyStopping {
        /** The run ended {@code earlyStoppingPatience} epochs after the best valid loss, before its epoch budget. */
        FIRED,
        /** The run used its whole epoch budget. */
        NOT_FIRED,
        /** The config disables early stopping (patience 0) and the budget was not used: interrupted or still running. */
        DISABLED,
        /** The run ended before its budget without reaching the patience: interrupted or still running. */
        INCOMPLETE,
        /** {@code config.json} gives no epoch budget or patience. */
        UNKNOWN
    }

    /**
     * Train against valid.
     *
     * @param lastEpoch last epoch with both splits
     * @param accuracyGap train minus valid accuracy at {@code lastEpoch}
     * @param balancedAccuracyGap train minus valid balanced accuracy at {@code lastEpoch}
     * @param bestValidLossEpoch the epoch where valid loss stopped improving (its minimum)
     * @param bestValidLoss that minimum
     * @param latestValidLoss valid loss at the last epoch
     * @param epochsSinceBest epochs run after the minimum
     * @param earlyStopping whether early stopping fired
     * @param overfitting valid loss rose by at least {@link #LOSS_RISE_THRESHOLD} after its minimum
     *        while train accuracy led valid by at least {@link #GAP_THRESHOLD}
     * @param verdict one sentence for people
     */
    public record Diagnosis(int lastEpoch, double accuracyGap, double balancedAccuracyGap, int bestValidLossEpoch,
            double bestValidLoss, double latestValidLoss, int epochsSinceBest, EarlyStopping earlyStopping,
            boolean overfitting, String verdict) {
    }

    /**
     * @param run a run folder with at least one metrics row
     * @return its analysis
     */
    public static RunAnalysis of(RunResults run) {
        if (run.history().isEmpty()) {
            throw new BadDataException(run.directory().resolve(MetricsCsv.FILE_NAME) + ": no rows (has the run finished an epoch?)");
        }
        Map<String, SplitSummary> splits = new LinkedHashMap<>();
        for (String s : run.splits()) {
            splits.put(s, SplitSummary.of(s, run.split(s)));
        }
        return new RunAnalysis(run, splits, diagnose(run));
    }

    private static Optional<Diagnosis> diagnose(RunResults run) {
        List<EpochMetrics> train = run.split("train");
        List<EpochMetrics> valid = run.split("valid");
        if (train.isEmpty() || valid.isEmpty()) {
            return Optional.empty();
        }
        EpochMetrics lastValid = valid.get(valid.size() - 1);
        EpochMetrics lastTrain = train.stream().filter(t -> t.epoch() == lastValid.epoch()).findFirst()
                .orElse(train.get(train.size() - 1));
        EpochMetrics best = SplitSummary.best(valid, EpochMetrics::loss, false);
        int since = lastValid.epoch() - best.epoch();
        double accGap = lastTrain.accuracy() - lastValid.accuracy();
        double balGap = lastTrain.balancedAccuracy() - lastValid.balancedAccuracy();
        double rise = (lastValid.loss() - best.loss()) / Math.abs(best.loss());
        boolean overfitting = rise >= LOSS_RISE_THRESHOLD && accGap >= GAP_THRESHOLD;

        EarlyStopping es = earlyStopping(run, lastValid.epoch(), since);
        StringBuilder v = new StringBuilder();
        int classes = run.configJson().path("classNames").size();
        double bestBal = SplitSummary.best(valid, EpochMetrics::balancedAccuracy, true).balancedAccuracy();
        double bestAuc = SplitSummary.best(valid, EpochMetrics::auroc, true).auroc();
        if (classes >= 2 && bestBal <= 1.0 / classes + CHANCE_MARGIN) {
            v.append(String.format(Locale.ROOT,
                    "not learning: the best valid balanced accuracy (%.3f) stays at chance for %d classes (%.3f; best "
                            + "AUROC %.3f); check the learning rate, the normalisation and the labels, or give "
                            + "the model more capacity or epochs",
                    bestBal, classes, 1.0 / classes, bestAuc));
        } else if (overfitting) {
            v.append(String.format(Locale.ROOT,
                    "overfitting: valid loss bottomed at epoch %d (%.4f) and rose %.0f%% to %.4f by epoch %d, "
                            + "while train accuracy leads valid by %.1f points; keep the epoch-%d weights and add "
                            + "regularisation (weight decay, dropout) or stop earlier",
                    best.epoch(), best.loss(), 100 * rise, lastValid.loss(), lastValid.epoch(), 100 * accGap,
                    best.epoch()));
        } else if (accGap >= GAP_THRESHOLD) {
            v.append(String.format(Locale.ROOT,
                    "generalisation gap of %.1f accuracy points but valid loss is still near its best "
                            + "(epoch %d): not yet overfitting",
                    100 * accGap, best.epoch()));
        } else if (rise >= LOSS_RISE_THRESHOLD) {
            v.append(String.format(Locale.ROOT,
                    "valid loss rose %.0f%% after epoch %d but train and valid accuracy are close (gap %.1f points): "
                            + "unstable rather than overfitting; consider a lower learning rate",
                    100 * rise, best.epoch(), 100 * accGap));
        } else {
            v.append(String.format(Locale.ROOT, "no overfitting: train and valid agree (gap %.1f points) and valid "
                    + "loss is at or near its best (epoch %d)", 100 * accGap, best.epoch()));
            if (best.epoch() == lastValid.epoch() && es != EarlyStopping.FIRED) {
                v.append("; valid loss was still improving at the last epoch: more epochs may help");
            }
        }
        return Optional.of(new Diagnosis(lastValid.epoch(), accGap, balGap, best.epoch(), best.loss(),
                lastValid.loss(), since, es, overfitting, v.toString()));
    }

    private static EarlyStopping earlyStopping(RunResults run, int lastEpoch, int since) {
        Object epochs = run.settings().get("epochs");
        Object patience = run.settings().get("earlyStoppingPatience");
        if (!(epochs instanceof Number budget)) {
            return EarlyStopping.UNKNOWN;
        }
        if (lastEpoch >= budget.intValue()) {
            return EarlyStopping.NOT_FIRED;
        }
        if (!(patience instanceof Number p)) {
            return EarlyStopping.UNKNOWN;
        }
        if (p.intValue() <= 0) {
            return EarlyStopping.DISABLED;
        }
        return since >= p.intValue() ? EarlyStopping.FIRED : EarlyStopping.INCOMPLETE;
    }

    /** @return the summaries and the diagnosis as a JSON object (fractions, not percentages) */
    public String toJson() {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        com.fasterxml.jackson.databind.node.ObjectNode root = m.createObjectNode();
        root.put("run", run.name());
        root.put("directory", run.directory().toString());
        root.put("seconds", run.totalSeconds());
        com.fasterxml.jackson.databind.node.ObjectNode sp = root.putObject("splits");
        for (SplitSummary s : splits.values()) {
            com.fasterxml.jackson.databind.node.ObjectNode o = sp.putObject(s.split());
            o.put("epochs", s.epochs());
            o.put("best_accuracy", s.bestAccuracy());
            o.put("best_accuracy_epoch", s.bestAccuracyEpoch());
            o.put("best_loss", s.bestLoss());
            o.put("best_loss_epoch", s.bestLossEpoch());
            o.put("best_balanced_accuracy", s.bestBalancedAccuracy());
            o.put("best_balanced_accuracy_epoch", s.bestBalancedAccuracyEpoch());
            o.put("best_auroc", s.bestAuroc());
            o.put("best_auroc_epoch", s.bestAurocEpoch());
            o.put("latest_epoch", s.latest().epoch());
            o.put("latest_accuracy", s.latest().accuracy());
            o.put("latest_loss", s.latest().loss());
        }
        diagnosis.ifPresent(d -> {
            com.fasterxml.jackson.databind.node.ObjectNode o = root.putObject("overfitting");
            o.put("last_epoch", d.lastEpoch());
            o.put("accuracy_gap", d.accuracyGap());
            o.put("balanced_accuracy_gap", d.balancedAccuracyGap());
            o.put("best_valid_loss_epoch", d.bestValidLossEpoch());
            o.put("best_valid_loss", d.bestValidLoss());
            o.put("latest_valid_loss", d.latestValidLoss());
            o.put("epochs_since_best", d.epochsSinceBest());
            o.put("early_stopping", d.earlyStopping().name().toLowerCase(Locale.ROOT));
            o.put("overfitting", d.overfitting());
            o.put("verdict", d.verdict());
        });
        try {
            return m.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the report as text, in the seed analyser's layout plus the diagnosis */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("Run ").append(run.directory()).append('\n');
        for (SplitSummary s : splits.values()) {
            sb.append("\n=== ").append(s.split()).append(" ===\n");
            sb.append(String.format(Locale.ROOT, "Total epochs: %d%n", s.epochs()));
            sb.append(String.format(Locale.ROOT, "Best accuracy: %.4f%% (epoch %d)%n", 100 * s.bestAccuracy(),
                    s.bestAccuracyEpoch()));
            sb.append(String.format(Locale.ROOT, "Best loss: %.6f (epoch %d)%n", s.bestLoss(), s.bestLossEpoch()));
            sb.append(String.format(Locale.ROOT, "Best balanced accuracy: %.4f%% (epoch %d)%n",
                    100 * s.bestBalancedAccuracy(), s.bestBalancedAccuracyEpoch()));
            sb.append(String.format(Locale.ROOT, "Best AUROC: %.4f (epoch %d)%n", s.bestAuroc(), s.bestAurocEpoch()));
            sb.append(String.format(Locale.ROOT, "Latest accuracy: %.4f%% (epoch %d)%n", 100 * s.latest().accuracy(),
                    s.latest().epoch()));
            sb.append(String.format(Locale.ROOT, "Latest loss: %.6f (epoch %d)%n", s.latest().loss(), s.latest().epoch()));
        }
        diagnosis.ifPresent(d -> {
            sb.append("\n=== overfitting ===\n");
            sb.append(String.format(Locale.ROOT, "Train-valid gap at epoch %d: accuracy %+.1f points, balanced accuracy %+.1f points%n",
                    d.lastEpoch(), 100 * d.accuracyGap(), 100 * d.balancedAccuracyGap()));
            sb.append(String.format(Locale.ROOT, "Valid loss stopped improving at epoch %d (%.6f); latest %.6f, %d epoch(s) later%n",
                    d.bestValidLossEpoch(), d.bestValidLoss(), d.latestValidLoss(), d.epochsSinceBest()));
            sb.append("Early stopping: ").append(switch (d.earlyStopping()) {
                case FIRED -> "fired (" + d.epochsSinceBest() + " epochs without improvement)";
                case NOT_FIRED -> "did not fire (whole epoch budget used)";
                case DISABLED -> "disabled; the run ended before its epoch budget (interrupted or still running)";
                case INCOMPLETE -> "did not fire; the run ended before its epoch budget (interrupted or still running)";
                case UNKNOWN -> "unknown (config.json gives no epochs/earlyStoppingPatience)";
            }).append('\n');
            sb.append("Verdict: ").append(d.verdict()).append('\n');
        });
        return sb.toString();
    }
}
