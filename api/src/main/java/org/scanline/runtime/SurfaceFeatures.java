package org.scanline.runtime;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The per-line features of the surface check, at the model's physical sampling: what one line and
 * the line before it say about the surface, in physical units so that one set of statistics holds
 * across frame sizes. Public so that {@code scanline-core} fits its statistics with the very code
 * the runtime scores with; not an API to build on.
 *
 * <ul>
 *   <li><b>Radial bands</b> ({@link #RADIAL_EDGES}, cycles/nm): the cross-spectrum of a line with the
 *   line before gives, per frequency along the line f<sub>x</sub>, the phase step between lines and so
 *   the frequency across them f<sub>y</sub> = Δφ / (2π · spacing). Its magnitude, filed under
 *   |f| = √(f<sub>x</sub>² + f<sub>y</sub>²), is a rotation-invariant radial spectrum of the
 *   <em>coherent</em> part of the image: the lattice periods of the surface whatever its angle
 *   (H:Si(100) rows at 1.30 nm⁻¹, dimers at 2.6 nm⁻¹), noise spread thinly. Each band is
 *   log(10⁻³ + share of the line's power); the row (1.2–1.4 nm⁻¹) and dimer (2.45–2.8 nm⁻¹) bands
 *   also as contrasts with their neighbours, and {@code coherence} is the sum of all shares.</li>
 *   <li><b>Line-to-line correlation</b> of consecutive normalised lines, <b>log kurtosis</b> (spikes,
 *   streaks, saturation) and the <b>lag-1 autocorrelation</b> along the line.</li>
 * </ul>
 *
 * Each line is detrended (least-squares straight line), scaled to unit variance and Hann-windowed
 * before its spectrum. Line spacing is taken equal to the pixel size: the runtime brings lines to the
 * model's square sampling. Allocation-free per line once the tables for a pixel count exist.
 */
@API(status = API.Status.INTERNAL)
public final class SurfaceFeatures {
    /** Radial band edges, cycles/nm; the last band is open. */
    static final double[] RADIAL_EDGES = {0, 0.3, 0.9, 1.2, 1.4, 1.8, 2.2, 2.45, 2.8, 3.2};
    /** The names of the features, in order. */
    private static final List<String> NAMES = List.of("radial_below_0.3", "radial_0.3_0.9", "radial_1.2_1.4",
            "row_peak", "radial_1.8_2.2", "dimer_peak", "radial_above_3.2", "coherence", "line_correlation",
            "log_kurtosis", "lag1");
    /** The number of features. */
    public static final int SIZE = NAMES.size();
    private static final double FLOOR = 1e-3;

    private int n = -1;
    private double[] cos;
    private double[] sin;
    private double[] window;
    private double[] r;
    private double[] prevR;
    private double[] re;
    private double[] im;
    private double[] prevRe;
    private double[] prevIm;
    private double prevPower;
    private boolean havePrevious;
    private final double[] radial = new double[RADIAL_EDGES.length];
    private final double[] logShare = new double[RADIAL_EDGES.length];

    /** @return the feature names, in order */
    public static List<String> names() {
        return NAMES;
    }

    /** Forgets the previous line. */
    public void reset() {
        havePrevious = false;
    }

    /**
     * Adds one line; fills {@code out} once there is a line before it.
     *
     * @param line raw heights, finite, at least 8 pixels; not modified
     * @param pixelNm pixel size (and line spacing), nm
     * @param out {@link #SIZE} features, written when this returns true
     * @return false for the first line after creation, {@link #reset()} or a change of pixel count
     */
    public boolean add(float[] line, double pixelNm, double[] out) {
        int p = line.length;
        if (p != n) {
            tables(p);
        }
        // Detrend: remove the least-squares straight line, then scale to unit variance.
        double c = (p - 1) / 2.0;
        double sx = 0;
        double sxy = 0;
        double sxx = 0;
        for (int j = 0; j < p; j++) {
            double t = j - c;
            sx += line[j];
            sxy += t * line[j];
            sxx += t * t;
        }
        double mean = sx / p;
        double slope = sxy / sxx;
        double var = 0;
        for (int j = 0; j < p; j++) {
            double v = line[j] - mean - slope * (j - c);
            r[j] = v;
            var += v * v;
        }
        var /= p;
        double scale = var > 0 ? 1 / Math.sqrt(var) : 0;
        double m4 = 0;
        double lag = 0;
        for (int j = 0; j < p; j++) {
            r[j] *= scale;
            m4 += r[j] * r[j] * r[j] * r[j];
            if (j > 0) {
                lag += r[j] * r[j - 1];
            }
        }
        double kurtosis = var > 0 ? m4 / p : 1;
        double lag1 = lag / p;
        // Windowed DFT of bins 1 … p/2.
        int half = p / 2;
        double power = 0;
        for (int k = 1; k <= half; k++) {
            double a = 0;
            double b = 0;
            int idx = 0;
            for (int j = 0; j < p; j++) {
                double w = window[j] * r[j];
                a += w * cos[idx];
                b -= w * sin[idx];
                idx += k;
                if (idx >= p) {
                    idx -= p;
                }
            }
            re[k] = a;
            im[k] = b;
            power += a * a + b * b;
        }
        boolean ready = havePrevious;
        if (ready) {
            java.util.Arrays.fill(radial, 0);
            double norm = Math.sqrt(power * prevPower);
            double fStep = 1 / (p * pixelNm);
            for (int k = 1; k <= half; k++) {
                double cr = re[k] * prevRe[k] + im[k] * prevIm[k];
                double ci = im[k] * prevRe[k] - re[k] * prevIm[k];
                double fx = k * fStep;
                double fy = Math.atan2(ci, cr) / (2 * Math.PI * pixelNm);
                radial[band(RADIAL_EDGES, Math.sqrt(fx * fx + fy * fy))] += Math.sqrt(cr * cr + ci * ci);
            }
            double coherent = 0;
            for (int b = 0; b < radial.length; b++) {
                double share = norm > 0 ? radial[b] / norm : 0;
                logShare[b] = Math.log(FLOOR + share);
                coherent += share;
            }
            // Peaks as contrasts with their neighbours: a step or a noisy line moves every share, not the contrast.
            int o = 0;
            out[o++] = logShare[0];
            out[o++] = logShare[1];
            out[o++] = logShare[3];
            out[o++] = logShare[3] - 0.5 * (logShare[2] + logShare[4]);
            out[o++] = logShare[5];
            out[o++] = logShare[7] - 0.5 * (logShare[6] + logShare[8]);
            out[o++] = logShare[9];
            double corr = 0;
            for (int j = 0; j < p; j++) {
                corr += r[j] * prevR[j];
            }
            out[o++] = coherent;
            out[o++] = corr / p;
            out[o++] = Math.log(kurtosis);
            out[o] = lag1;
        }
        double[] t = prevRe;
        prevRe = re;
        re = t;
        t = prevIm;
        prevIm = im;
        im = t;
        t = prevR;
        prevR = r;
        r = t;
        prevPower = power;
        havePrevious = true;
        return ready;
    }

    private static int band(double[] edges, double f) {
        int b = 0;
        while (b + 1 < edges.length && f >= edges[b + 1]) {
            b++;
        }
        return b;
    }

    private void tables(int p) {
        if (p < 8) {
            throw new IllegalArgumentException("the surface check needs lines of at least 8 pixels, found " + p);
        }
        n = p;
        cos = new double[p];
        sin = new double[p];
        window = new double[p];
        for (int j = 0; j < p; j++) {
            cos[j] = Math.cos(2 * Math.PI * j / p);
            sin[j] = Math.sin(2 * Math.PI * j / p);
            window[j] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (j + 0.5) / p);
        }
        r = new double[p];
        prevR = new double[p];
        re = new double[p / 2 + 1];
        im = new double[p / 2 + 1];
        prevRe = new double[p / 2 + 1];
        prevIm = new double[p / 2 + 1];
        havePrevious = false;
    }
}
