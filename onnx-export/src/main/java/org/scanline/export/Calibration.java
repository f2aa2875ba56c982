package org.scanline.export;

import org.scanline.runtime.PredictionDecoder;

import org.apiguardian.api.API;

/**
 * Temperature scaling (Guo et al., 2017): one scalar {@code T} dividing every logit, fitted on the
 * validation split by minimising the negative log-likelihood, which leaves the predicted class
 * unchanged and makes the probabilities honest. Expected calibration error is reported before
 * and after.
 *
 * <pre>{@code
 * Calibration.Result r = Calibration.fit(logits, labels);
 * double t = r.temperature();
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Calibration {
    /** Bins of the expected calibration error. */
    public static final int ECE_BINS = 15;
    private static final double LOG_T_MIN = Math.log(org.scanline.ModelFormat.MIN_TEMPERATURE);
    private static final double LOG_T_MAX = Math.log(org.scanline.ModelFormat.MAX_TEMPERATURE);

    private Calibration() {
    }

    /**
     * The fitted temperature and the calibration before and after.
     *
     * @param temperature the fitted {@code T} (1 = unchanged)
     * @param samples predictions the fit used
     * @param nllBefore mean negative log-likelihood at {@code T = 1}
     * @param nllAfter mean negative log-likelihood at {@code T}
     * @param eceBefore expected calibration error (15 bins) at {@code T = 1}
     * @param eceAfter expected calibration error at {@code T}
     */
    @API(status = API.Status.EXPERIMENTAL)
    public record Result(double temperature, int samples, double nllBefore, double nllAfter, double eceBefore,
            double eceAfter) {
    }

    /**
     * Fits {@code T} by golden-section search on {@code log T} in [0.05, 20] (the NLL is convex in
     * {@code 1/T}, hence unimodal in {@code log T}).
     *
     * @param logits one row of raw logits per prediction
     * @param labels the true class of each row
     * @return the temperature and the calibration before and after
     */
    public static Result fit(float[][] logits, int[] labels) {
        if (logits.length == 0 || logits.length != labels.length) {
            throw new IllegalArgumentException(logits.length + " logit rows for " + labels.length + " labels");
        }
        double phi = (Math.sqrt(5) - 1) / 2;
        double a = LOG_T_MIN;
        double b = LOG_T_MAX;
        double c = b - phi * (b - a);
        double d = a + phi * (b - a);
        double fc = nll(logits, labels, Math.exp(c));
        double fd = nll(logits, labels, Math.exp(d));
        while (b - a > 1e-5) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - phi * (b - a);
                fc = nll(logits, labels, Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + phi * (b - a);
                fd = nll(logits, labels, Math.exp(d));
            }
        }
        double t = Math.exp((a + b) / 2);
        return new Result(t, logits.length, nll(logits, labels, 1), nll(logits, labels, t),
                ece(logits, labels, 1, ECE_BINS), ece(logits, labels, t, ECE_BINS));
    }

    /**
     * @param logits raw logits, one row per prediction
     * @param labels true classes
     * @param temperature the divisor of the logits
     * @return mean negative log-likelihood of the labels under {@code softmax(logits / T)}
     */
    public static double nll(float[][] logits, int[] labels, double temperature) {
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            total -= PredictionDecoder.logProbability(logits[i], labels[i], temperature);
        }
        return total / logits.length;
    }

    /**
     * Expected calibration error: predictions binned by top probability into equal-width bins; the
     * bin-size-weighted mean of |accuracy − mean confidence|.
     *
     * @param logits raw logits
     * @param labels true classes
     * @param temperature the divisor of the logits
     * @param bins number of bins
     * @return the ECE in [0, 1]
     */
    public static double ece(float[][] logits, int[] labels, double temperature, int bins) {
        double[] conf = new double[bins];
        double[] correct = new double[bins];
        int[] count = new int[bins];
        for (int i = 0; i < logits.length; i++) {
            float[] p = PredictionDecoder.softmax(logits[i], temperature);
            int best = PredictionDecoder.argmax(p);
            double top = p[best];
            int bin = Math.min(bins - 1, (int) (top * bins));
            conf[bin] += top;
            correct[bin] += best == labels[i] ? 1 : 0;
            count[bin]++;
        }
        double e = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                e += Math.abs(correct[b] - conf[b]) / logits.length;
            }
        }
        return e;
    }
}
