package org.scanline.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;
import org.scanline.TipChange;
import org.scanline.TipChangeDetector;
import org.scanline.metrics.ClassificationMetrics;
import org.scanline.model.ScanModels;
import org.scanline.run.LoadedModel;

/**
 * How well a model's tip-state head tells what the tip does line by line, against the simulator's
 * per-line truth ({@code line_states}, {@code change_line}): per-line tip-state accuracy, the
 * detection delay of tip changes (lines from the change to the report, by the same
 * {@link TipChangeDetector} the streams use, fed the same state probabilities and uncalibrated class
 * logits) and false alarms per 1,000 lines. A change counts as detected by the first event reported
 * at or after its line, within {@link #MATCH_WINDOW} lines; every other event is a false alarm.
 *
 * @param scans scans evaluated
 * @param lines lines evaluated (scans × lines per scan)
 * @param lineStateAccuracy share of lines whose most probable state is the true one
 * @param changes scans with a tip change
 * @param detected changes detected within the window
 * @param delays detection delay of each detected change, in lines, sorted
 * @param falseAlarms events that match no change
 * @param threshold the detector's probability threshold
 * @param persistence the detector's confirming lines
 * @param classRise the detector's class-rise trigger, null for none
 */
@API(status = API.Status.EXPERIMENTAL)
public record TipChangeEvaluation(int scans, long lines, double lineStateAccuracy, int changes, int detected,
        int[] delays, int falseAlarms, double threshold, int persistence, TipChangeDetector.ClassRise classRise) {

    /** Lines after a change within which a report still counts as its detection. */
    public static final int MATCH_WINDOW = 20;

    /**
     * @param model a model with a tip-state head
     * @param data the scans, raw (normalised here with the model's normaliser)
     * @param lineStates true tip state of every line, {@code [scans × lines]}
     * @param changeLines the line of each scan's tip change, −1 for none
     * @param threshold detector threshold
     * @param persistence detector persistence
     * @param batchSize scans per forward pass
     * @return the figures
     */
    public static TipChangeEvaluation evaluate(LoadedModel model, ScanDataset data, byte[] lineStates, int[] changeLines,
            double threshold, int persistence, int batchSize) {
        return evaluate(model, data, lineStates, changeLines, threshold, persistence, null, batchSize);
    }

    /**
     * @param model a model with a tip-state head
     * @param data the scans, raw (normalised here with the model's normaliser)
     * @param lineStates true tip state of every line, {@code [scans × lines]}
     * @param changeLines the line of each scan's tip change, −1 for none
     * @param threshold detector threshold
     * @param persistence detector persistence
     * @param classRise the detector's class-rise trigger, or null for the state switch alone
     * @param batchSize scans per forward pass
     * @return the figures
     */
    public static TipChangeEvaluation evaluate(LoadedModel model, ScanDataset data, byte[] lineStates, int[] changeLines,
            double threshold, int persistence, TipChangeDetector.ClassRise classRise, int batchSize) {
        int n = data.count();
        int t = Math.min(data.lines(), model.model().maxLines());
        int p = data.pixels();
        if (lineStates.length != (long) n * data.lines() || changeLines.length != n) {
            throw new BadDataException(data.source() + ": line_states must be [" + n + ", " + data.lines()
                    + "] and change_line [" + n + "], found " + lineStates.length + " and " + changeLines.length + " values");
        }
        int s = ScanModels.LINE_STATES;
        long correct = 0;
        List<Integer> delays = new ArrayList<>();
        int changes = 0;
        int falseAlarms = 0;
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            float[] x = new float[b * t * p];
            for (int i = 0; i < b; i++) {
                System.arraycopy(data.images(), Math.toIntExact(data.offset(start + i)), x, i * t * p, t * p);
            }
            model.normalizer().normalizeScans(x, (long) b * t, p);
            float[] classLogits = classRise == null ? null : model.logits(x, b, t);
            int k = classRise == null ? 0 : classLogits.length / (b * t);
            float[] logits = model.lineStateLogits(x, b, t);
            ModelPredictor.softmaxRows(logits, s);
            for (int i = 0; i < b; i++) {
                int scan = start + i;
                TipChangeDetector detector = new TipChangeDetector(ScanModels.LINE_STATE_NAMES, threshold, persistence,
                        classRise);
                int change = changeLines[scan];
                boolean matched = false;
                changes += change >= 0 ? 1 : 0;
                for (int l = 0; l < t; l++) {
                    float[] probs = Arrays.copyOfRange(logits, (i * t + l) * s, (i * t + l + 1) * s);
                    if (ClassificationMetrics.argmax(probs, 0, probs.length) == lineStates[scan * data.lines() + l]) {
                        correct++;
                    }
                    float[] cls = classLogits == null ? null
                            : Arrays.copyOfRange(classLogits, (i * t + l) * k, (i * t + l + 1) * k);
                    Optional<TipChange> e = detector.update(l, probs, cls);
                    if (e.isEmpty()) {
                        continue;
                    }
                    int at = e.get().detectedAt();
                    if (change >= 0 && !matched && at >= change && at - change <= MATCH_WINDOW) {
                        matched = true;
                        delays.add(at - change);
                    } else {
                        falseAlarms++;
                    }
                }
            }
        }
        int[] d = delays.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new TipChangeEvaluation(n, (long) n * t, (double) correct / ((long) n * t), changes, d.length, d,
                falseAlarms, threshold, persistence, classRise);
    }

    /** Delays whose share {@link #delayShares()} reports. */
    public static final int[] DELAY_STEPS = {0, 1, 3, 5, 10, 20};

    /**
     * @param q quantile in [0, 1]
     * @return the delay (lines) at quantile {@code q} of the detected changes (the lower order
     *     statistic, no interpolation), NaN when nothing was detected
     */
    public double delayQuantile(double q) {
        if (delays.length == 0) {
            return Double.NaN;
        }
        return delays[Math.min(delays.length - 1, (int) Math.floor(q * (delays.length - 1)))];
    }

    /** @return share of all changes detected within each of {@link #DELAY_STEPS} lines, in order */
    public double[] delayShares() {
        return Arrays.stream(DELAY_STEPS).mapToDouble(this::detectedWithin).toArray();
    }

    /** @return the detector's settings in words */
    public String detector() {
        return String.format(java.util.Locale.ROOT, "p >= %.2f on %d lines", threshold, persistence)
                + (classRise == null ? "" : String.format(java.util.Locale.ROOT,
                        ", or class %d rising to %.2f after %d lines below %.2f", classRise.classIndex(), classRise.rise(),
                        classRise.calmLines(), classRise.calm()));
    }

    /** @return false alarms per 1,000 lines */
    public double falseAlarmsPer1000Lines() {
        return lines == 0 ? 0 : 1000.0 * falseAlarms / lines;
    }

    /** @return share of changes detected within {@code lines} lines */
    public double detectedWithin(int within) {
        if (changes == 0) {
            return Double.NaN;
        }
        return (double) Arrays.stream(delays).filter(x -> x <= within).count() / changes;
    }

    /** @return the median detection delay in lines, NaN when nothing was detected */
    public double medianDelay() {
        if (delays.length == 0) {
            return Double.NaN;
        }
        int m = delays.length / 2;
        return delays.length % 2 == 1 ? delays[m] : (delays[m - 1] + delays[m]) / 2.0;
    }

    /** @return a copy of the sorted delays */
    @Override
    public int[] delays() {
        return delays.clone();
    }

    /** @return a short human-readable summary */
    public String summary() {
        StringBuilder within = new StringBuilder();
        for (int i = 0; i < DELAY_STEPS.length; i++) {
            within.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%d: %.1f %%", DELAY_STEPS[i],
                    100 * detectedWithin(DELAY_STEPS[i])));
        }
        return String.format(java.util.Locale.ROOT,
                "Tip states (detector: %s): per-line state accuracy %.4f; %d tip changes, "
                        + "%.1f %% detected within 5 lines, %.1f %% within %d, median delay %s lines; "
                        + "%.2f false alarms per 1,000 lines (%d in %d lines)%n"
                        + "  delays of the %d detected: quartiles %s / %s / %s lines; share of all changes detected within "
                        + "[lines] %s",
                detector(), lineStateAccuracy, changes, 100 * detectedWithin(5), 100 * detectedWithin(MATCH_WINDOW),
                MATCH_WINDOW, fmt(medianDelay()), falseAlarmsPer1000Lines(), falseAlarms, lines, delays.length,
                fmt(delayQuantile(0.25)), fmt(medianDelay()), fmt(delayQuantile(0.75)), within);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TipChangeEvaluation e && e.scans == scans && e.lines == lines
                && e.lineStateAccuracy == lineStateAccuracy && e.changes == changes && e.detected == detected
                && Arrays.equals(e.delays, delays) && e.falseAlarms == falseAlarms && e.threshold == threshold
                && e.persistence == persistence && java.util.Objects.equals(e.classRise, classRise);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(scans, lines, lineStateAccuracy, changes, detected, Arrays.hashCode(delays),
                falseAlarms, threshold, persistence, classRise);
    }
}
