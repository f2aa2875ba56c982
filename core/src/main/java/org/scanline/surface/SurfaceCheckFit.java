package org.scanline.surface;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.runtime.SurfaceCheck;
import org.scanline.runtime.SurfaceFeatures;
import org.scanline.simulate.Parameter;
import org.scanline.simulate.SimulatedScan;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.SimulatorConfig;

/**
 * Fits a {@link SurfaceCheck} on simulated H:Si(100): the Gaussian of the per-line features of
 * {@code fitScans} scans of one seed (every tip state, frames across the model's range, acquired at
 * 1, 2 and 4 times the model's pixel count and brought to it as the runtime does), then the threshold per number of lines seen as the (1 − flagRate) quantile of
 * the scores of {@code validationScans} scans of another seed. Nothing else is looked at: no other
 * surface, no real scan.
 *
 * <pre>{@code
 * SurfaceCheck check = SurfaceCheckFit.fit(SurfaceCheckFit.Settings.defaults(128, 101, 102));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class SurfaceCheckFit {
    /** The numbers of lines seen at which thresholds are fitted. */
    static final int[] AT = {2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128};
    /**
     * Fit and validation scans are acquired at 1, 2 and 4 times the model's pixels and lines (in turn)
     * and brought to its sampling as the runtime does: finer frames keep their own per-pixel noise
     * and feedback ringing, which a check fitted at the model's pixel count alone read as another
     * surface (a third of 512 px H:Si frames flagged).
     */
    static final int[] ACQUIRED = {1, 2, 4};

    private SurfaceCheckFit() {
    }

    /**
     * @param pixels the model's pixels per line (lines per scan too: frames are square)
     * @param frameMinNm smallest frame of the training range, nm
     * @param frameMaxNm largest, nm
     * @param fitSeed simulator seed of the scans the Gaussian is fitted on
     * @param fitScans how many
     * @param validationSeed simulator seed of the scans the thresholds are fitted on
     * @param validationScans how many
     * @param flagRate share of validation scans flagged at each number of lines
     * @param shrinkage weight of the covariance's diagonal in the shrunk covariance, 0–1
     * @param clip a line's features are clipped to mean ± clip standard deviations
     */
    public record Settings(int pixels, double frameMinNm, double frameMaxNm, long fitSeed, int fitScans,
            long validationSeed, int validationScans, double flagRate, double shrinkage, double clip) {
        /** Validates. */
        public Settings {
            if (pixels < 24 || fitScans < 20 || validationScans < 20 || !(flagRate > 0 && flagRate < 0.5)
                    || !(shrinkage >= 0 && shrinkage <= 1) || !(clip > 0)
                    || fitSeed == validationSeed) {
                throw new BadConfigException("surface check: needs pixels ≥ 24, ≥ 20 fit and validation scans of two "
                        + "different seeds, a flag rate in (0, 0.5), shrinkage in [0, 1] and a clip > 0");
            }
        }

        /**
         * @param pixels the model's pixels per line
         * @param fitSeed seed of the fit scans
         * @param validationSeed seed of the validation scans
         * @return 400 fit and 400 validation scans over frames of 8–25 nm, 3 % flagged, shrinkage 0.1, lines clipped at 4 sd
         */
        public static Settings defaults(int pixels, long fitSeed, long validationSeed) {
            return new Settings(pixels, 8, 25, fitSeed, 400, validationSeed, 400, 0.03, 0.1, 4);
        }
    }

    /**
     * @param s the settings
     * @return the fitted check
     */
    public static SurfaceCheck fit(Settings s) {
        Simulator[] sims = new Simulator[ACQUIRED.length];
        for (int k = 0; k < sims.length; k++) {
            int side = s.pixels() * ACQUIRED[k];
            sims[k] = new Simulator(SimulatorConfig.builder().lines(side).pixels(side)
                    .frameNm(s.frameMinNm(), s.frameMaxNm()).build());
        }
        java.util.function.BiFunction<Long, Integer, ModelLines> sample =
                (seed, i) -> ModelLines.of(sims[i % sims.length].scan(seed, i), ACQUIRED[i % sims.length], s.pixels());
        double[][][] perScan = IntStream.range(0, s.fitScans()).parallel()
                .mapToObj(i -> lineFeatures(sample.apply(s.fitSeed(), i))).toArray(double[][][]::new);
        int d = SurfaceFeatures.SIZE;
        int scans = perScan.length;
        double[] x = IntStream.range(0, scans).mapToDouble(i -> Math.log(sample.apply(s.fitSeed(), i).pixelNm()
                / SurfaceCheck.REFERENCE_NM)).toArray();
        double[][] scanMeans = new double[scans][d];
        for (int s2 = 0; s2 < scans; s2++) {
            for (double[] f : perScan[s2]) {
                for (int i = 0; i < d; i++) {
                    scanMeans[s2][i] += f[i] / perScan[s2].length;
                }
            }
        }
        double[] mean = quadraticFit(x, scanMeans, d);
        double[] at = new double[d];
        double[] between = new double[d * d];
        double[] within = new double[d * d];
        long lines = 0;
        for (int s2 = 0; s2 < scans; s2++) {
            double[] m = scanMeans[s2];
            for (int i = 0; i < d; i++) {
                at[i] = mean[3 * i] + x[s2] * (mean[3 * i + 1] + x[s2] * mean[3 * i + 2]);
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    between[i * d + j] += (m[i] - at[i]) * (m[j] - at[j]) / (scans - 3);
                }
            }
            for (double[] f : perScan[s2]) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        within[i * d + j] += (f[i] - m[i]) * (f[j] - m[j]);
                    }
                }
                lines++;
            }
        }
        for (int i = 0; i < d * d; i++) {
            within[i] /= lines - scans;
        }
        shrink(between, d, s.shrinkage());
        shrink(within, d, s.shrinkage());
        String fittedOn = String.format(Locale.ROOT, "%s, %d × %d px, frames %g–%g nm: Gaussian on seed %d (%d scans), "
                + "thresholds on seed %d (%d scans) flagging %.3f, shrinkage %.2f, lines clipped at %.1f sd; "
                + "acquired at 1, 2, 4 × the pixels in turn",
                SimulatorConfig.DEFAULT_VERSION, s.pixels(), s.pixels(), s.frameMinNm(), s.frameMaxNm(), s.fitSeed(),
                s.fitScans(), s.validationSeed(), s.validationScans(), s.flagRate(), s.shrinkage(), s.clip());
        SurfaceCheck provisional = new SurfaceCheck(mean, between, within, s.clip(), new int[] {AT[0]},
                new double[] {0}, fittedOn);
        double[][] scores = IntStream.range(0, s.validationScans()).parallel()
                .mapToObj(i -> {
                    ModelLines m = sample.apply(s.validationSeed(), i);
                    return scores(provisional, m.image(), s.pixels(), s.pixels(), m.pixelNm(), AT);
                }).toArray(double[][]::new);
        double[] thresholds = new double[AT.length];
        for (int k = 0; k < AT.length; k++) {
            int kk = k;
            thresholds[k] = quantile(Arrays.stream(scores).mapToDouble(r -> r[kk]).toArray(), 1 - s.flagRate());
        }
        return new SurfaceCheck(mean, between, within, s.clip(), AT.clone(), thresholds, fittedOn);
    }

    /** Least squares of each feature's scan mean on (1, x, x²): d rows of three coefficients. */
    static double[] quadraticFit(double[] x, double[][] y, int d) {
        double[][] a = new double[3][3];
        double[][] b = new double[d][3];
        for (int s = 0; s < x.length; s++) {
            double[] basis = {1, x[s], x[s] * x[s]};
            for (int u = 0; u < 3; u++) {
                for (int v = 0; v < 3; v++) {
                    a[u][v] += basis[u] * basis[v];
                }
                for (int i = 0; i < d; i++) {
                    b[i][u] += basis[u] * y[s][i];
                }
            }
        }
        org.apache.commons.math3.linear.DecompositionSolver solver = new org.apache.commons.math3.linear.LUDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(a)).getSolver();
        double[] out = new double[3 * d];
        for (int i = 0; i < d; i++) {
            double[] c = solver.solve(new org.apache.commons.math3.linear.ArrayRealVector(b[i])).toArray();
            System.arraycopy(c, 0, out, 3 * i, 3);
        }
        return out;
    }

    /** Shrinks the off-diagonal towards 0: fewer effective samples than lines (a scan's lines correlate). */
    private static void shrink(double[] m, int d, double shrinkage) {
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                if (i != j) {
                    m[i * d + j] *= 1 - shrinkage;
                }
            }
        }
    }

    /**
     * A scan as the runtime hands it to the check: P × P lines at the model's sampling, taken from a
     * frame acquired at m times the pixels and lines by the pixel and line nearest each model pixel's
     * and line's centre, as {@code LineSampler} does where the frame is finer than the model.
     */
    record ModelLines(float[] image, int pixels, double pixelNm) {
        static ModelLines of(SimulatedScan scan, int m, int pixels) {
            float[] out = new float[pixels * pixels];
            int side = scan.pixels();
            for (int l = 0; l < pixels; l++) {
                int sl = l * m + m / 2;
                for (int j = 0; j < pixels; j++) {
                    out[l * pixels + j] = scan.image()[sl * side + j * m + m / 2];
                }
            }
            return new ModelLines(out, pixels, scan.parameters().get(Parameter.SCAN_SIZE_NM) / pixels);
        }
    }

    /** @return the features of every line but the first, at the model's sampling */
    static double[][] lineFeatures(ModelLines scan) {
        SurfaceFeatures features = new SurfaceFeatures();
        double[][] out = new double[scan.pixels() - 1][SurfaceFeatures.SIZE];
        float[] line = new float[scan.pixels()];
        int n = 0;
        for (int l = 0; l < scan.pixels(); l++) {
            System.arraycopy(scan.image(), l * scan.pixels(), line, 0, scan.pixels());
            if (features.add(line, scan.pixelNm(), out[n])) {
                n++;
            }
        }
        return out;
    }

    /**
     * @param check the check
     * @param scan a scan whose frame is square ({@link Parameter#SCAN_SIZE_NM}), at the model's pixel count
     * @param at numbers of lines, ascending
     * @return its score after each of those numbers of lines (the last score where the scan is shorter)
     */
    public static double[] scores(SurfaceCheck check, SimulatedScan scan, int[] at) {
        return scores(check, scan.image(), scan.lines(), scan.pixels(),
                scan.parameters().get(Parameter.SCAN_SIZE_NM) / scan.pixels(), at);
    }

    /**
     * @param check the check
     * @param image lines × pixels heights, line 0 first acquired
     * @param lines lines
     * @param pixels pixels per line
     * @param pixelNm pixel size and line spacing, nm
     * @param at numbers of lines, ascending
     * @return the score after each of those numbers of lines (the last score where the image is shorter)
     */
    public static double[] scores(SurfaceCheck check, float[] image, int lines, int pixels, double pixelNm, int[] at) {
        SurfaceCheck.Scorer scorer = check.newScorer();
        double[] out = new double[at.length];
        float[] line = new float[pixels];
        int k = 0;
        for (int l = 0; l < lines && k < at.length; l++) {
            System.arraycopy(image, l * pixels, line, 0, pixels);
            scorer.add(line, pixelNm);
            while (k < at.length && at[k] == l + 1) {
                out[k++] = scorer.score();
            }
        }
        while (k < at.length) {
            out[k++] = scorer.score();
        }
        return out;
    }

    static double quantile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        double pos = q * (v.length - 1);
        int i = (int) Math.floor(pos);
        return i + 1 < v.length ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[v.length - 1];
    }
}
