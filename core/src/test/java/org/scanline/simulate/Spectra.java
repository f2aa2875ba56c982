package org.scanline.simulate;

import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/** Spectral measurements on rendered scans, for the physics tests. */
final class Spectra {
    private Spectra() {
    }

    /** @return (fx, fy) in cycles per frame of the strongest non-DC component, fx ∈ [−P/2, P/2) */
    static int[] peak2d(float[] img, int lines, int pixels) {
        FastFourierTransformer fft = new FastFourierTransformer(DftNormalization.STANDARD);
        double mean = 0;
        for (float v : img) {
            mean += v;
        }
        mean /= img.length;
        Complex[][] rows = new Complex[lines][];
        for (int l = 0; l < lines; l++) {
            double[] r = new double[pixels];
            for (int j = 0; j < pixels; j++) {
                r[j] = img[l * pixels + j] - mean;
            }
            rows[l] = fft.transform(r, TransformType.FORWARD);
        }
        double best = -1;
        int[] at = new int[2];
        for (int j = 0; j < pixels; j++) {
            Complex[] col = new Complex[lines];
            for (int l = 0; l < lines; l++) {
                col[l] = rows[l][j];
            }
            Complex[] f = fft.transform(col, TransformType.FORWARD);
            for (int l = 0; l < lines; l++) {
                double p = f[l].abs();
                int fx = j < pixels / 2 ? j : j - pixels;
                int fy = l < lines / 2 ? l : l - lines;
                if ((fx != 0 || fy != 0) && p > best) {
                    best = p;
                    at[0] = fx;
                    at[1] = fy;
                }
            }
        }
        return at;
    }

    /** @return the shift (dx, dy) in px of the largest autocorrelation outside radius {@code exclude} */
    static int[] autocorrelationPeak(float[] img, int lines, int pixels, int maxShift, int exclude) {
        double mean = 0;
        for (float v : img) {
            mean += v;
        }
        mean /= img.length;
        double[] z = new double[img.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = img[i] - mean;
        }
        double best = Double.NEGATIVE_INFINITY;
        int[] at = new int[2];
        for (int sy = -maxShift; sy <= maxShift; sy++) {
            for (int sx = -maxShift; sx <= maxShift; sx++) {
                if (sx * sx + sy * sy <= exclude * exclude) {
                    continue;
                }
                double acc = 0;
                int n = 0;
                for (int l = Math.max(0, -sy); l < Math.min(lines, lines - sy); l++) {
                    for (int j = Math.max(0, -sx); j < Math.min(pixels, pixels - sx); j++) {
                        acc += z[l * pixels + j] * z[(l + sy) * pixels + j + sx];
                        n++;
                    }
                }
                acc /= n;
                if (acc > best) {
                    best = acc;
                    at[0] = sx;
                    at[1] = sy;
                }
            }
        }
        return at;
    }
}
