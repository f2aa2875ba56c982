package org.scanline.bench;

import java.io.PrintStream;
import java.util.Arrays;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;
import org.scanline.simulate.Parameter;
import org.scanline.simulate.SimulatedDataset;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.SimulatorConfig;
import smile.base.cart.SplitRule;
import smile.classification.LogisticRegression;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.IntVector;

/**
 * Feature baselines on simulated scans (Smile 2.6.0): (1) multinomial logistic regression on the
 * per-line power spectrum along the fast axis, averaged over the lines seen, in log power; (2) a
 * random forest on that spectrum binned plus line-statistics, 2D radial spectrum and short-range
 * autocorrelation. Each is trained on one seed and scored on another, on full scans and on the first
 * lines only, by balanced accuracy against the annotated and the true labels.
 */
public final class Baseline {
    private Baseline() {
    }

    /** One line of results. */
    public record Score(String model, int linesSeen, double balancedAnnotated, double balancedTrue, double accuracy,
            double aurocTrue) {
    }

    /**
     * Runs both baselines.
     *
     * @param cfg simulator config
     * @param train training scans (seed 1)
     * @param test test scans (seed 2)
     * @param linesSeen line counts to evaluate with (e.g. full and 20)
     * @param out progress and results
     * @return the scores
     */
    public static Score[] run(SimulatorConfig cfg, int train, int test, int[] linesSeen, PrintStream out) {
        Simulator sim = new Simulator(cfg);
        SimulatedDataset tr = sim.generate(1, train);
        SimulatedDataset te = sim.generate(2, test);
        Score[] scores = new Score[2 * linesSeen.length + 1];
        int k = 0;
        // Ceiling: the generator's own tip parameters, as if an image model recovered them exactly.
        double[][] otr = oracle(tr);
        double[][] ote = oracle(te);
        standardise(otr, ote);
        LogisticRegression or = LogisticRegression.multinomial(otr, tr.labels(), 1e-3, 1e-5, 500);
        int[] po = new int[test];
        double[] pp = new double[test * 4];
        for (int i = 0; i < test; i++) {
            double[] post = new double[4];
            po[i] = or.predict(ote[i], post);
            System.arraycopy(post, 0, pp, i * 4, 4);
        }
        scores[k++] = score("ceiling: logistic regression on the true tip parameters", cfg.lines(), po, pp, te);
        out.println(scores[k - 1]);
        for (int seen : linesSeen) {
            double[][] xtr = features(tr, seen, false);
            double[][] xte = features(te, seen, false);
            standardise(xtr, xte);
            LogisticRegression lr = LogisticRegression.multinomial(xtr, tr.labels(), 1e-3, 1e-5, 500);
            int[] p = new int[test];
            double[] lp = new double[test * 4];
            for (int i = 0; i < test; i++) {
                double[] post = new double[4];
                p[i] = lr.predict(xte[i], post);
                System.arraycopy(post, 0, lp, i * 4, 4);
            }
            scores[k++] = score("logistic regression, line power spectra", seen, p, lp, te);
            out.println(scores[k - 1]);

            double[][] ftr = features(tr, seen, true);
            double[][] fte = features(te, seen, true);
            DataFrame dtr = DataFrame.of(ftr).merge(IntVector.of("y", tr.labels()));
            DataFrame dte = DataFrame.of(fte).merge(IntVector.of("y", new int[test]));
            RandomForest rf = RandomForest.fit(Formula.lhs("y"), dtr, 200, (int) Math.sqrt(ftr[0].length),
                    SplitRule.GINI, 20, 500, 5, 1.0);
            int[] q = new int[test];
            double[] rp = new double[test * 4];
            for (int i = 0; i < test; i++) {
                double[] post = new double[4];
                q[i] = rf.predict(dte.get(i), post);
                System.arraycopy(post, 0, rp, i * 4, 4);
            }
            scores[k++] = score("random forest, spectra + line/2D statistics", seen, q, rp, te);
            out.println(scores[k - 1]);
        }
        return scores;
    }

    private static double[][] oracle(SimulatedDataset d) {
        double[] sigma = d.parameter(Parameter.SIGMA_NM);
        double[] aniso = d.parameter(Parameter.ANISOTROPY);
        double[] ghosts = d.parameter(Parameter.GHOSTS);
        double[] state = d.parameter(Parameter.TIP_STATE);
        double[] streaks = d.parameter(Parameter.STREAK_FRACTION);
        double[] white = d.parameter(Parameter.WHITE_NOISE_PM);
        int[] change = d.changeLines();
        double[][] x = new double[d.count()][];
        for (int i = 0; i < x.length; i++) {
            double ls = Math.log(sigma[i]);
            x[i] = new double[] {ls, ls * ls, ls * ls * ls, aniso[i], ghosts[i] > 0 ? 1 : 0, ghosts[i],
                    state[i] == 3 ? 1 : 0, streaks[i], Math.log(white[i] + 1e-3), change[i] >= 0 ? 1 : 0};
        }
        return x;
    }

    private static Score score(String name, int seen, int[] pred, double[] probs, SimulatedDataset te) {
        int[] ann = te.labels();
        int[] truth = te.labelsTrue();
        int ok = 0;
        for (int i = 0; i < pred.length; i++) {
            ok += pred[i] == ann[i] ? 1 : 0;
        }
        float[] scores = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            scores[i] = (float) probs[i];
        }
        double auroc = org.scanline.metrics.ClassificationMetrics.of(truth, scores, 4).macroAuroc();
        return new Score(name, seen, balanced(pred, ann), balanced(pred, truth), ok / (double) pred.length, auroc);
    }

    static double balanced(int[] pred, int[] truth) {
        int[] hit = new int[4];
        int[] n = new int[4];
        for (int i = 0; i < pred.length; i++) {
            n[truth[i]]++;
            hit[truth[i]] += pred[i] == truth[i] ? 1 : 0;
        }
        double sum = 0;
        int classes = 0;
        for (int c = 0; c < 4; c++) {
            if (n[c] > 0) {
                sum += hit[c] / (double) n[c];
                classes++;
            }
        }
        return sum / classes;
    }

    private static void standardise(double[][] train, double[][] test) {
        int d = train[0].length;
        for (int f = 0; f < d; f++) {
            double m = 0;
            double s = 0;
            for (double[] x : train) {
                m += x[f];
            }
            m /= train.length;
            for (double[] x : train) {
                s += (x[f] - m) * (x[f] - m);
            }
            s = Math.sqrt(s / train.length) + 1e-12;
            for (double[] x : train) {
                x[f] = (x[f] - m) / s;
            }
            for (double[] x : test) {
                x[f] = (x[f] - m) / s;
            }
        }
    }

    /** Features of every scan from its first {@code seen} lines. */
    static double[][] features(SimulatedDataset d, int seen, boolean rich) {
        int n = d.count();
        int lines = d.dataset().lines();
        int pixels = d.dataset().pixels();
        float[] img = d.dataset().images();
        double[][] out = new double[n][];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            double[] z = new double[seen * pixels];
            int base = i * lines * pixels;
            for (int l = 0; l < seen; l++) {
                detrend(img, base + l * pixels, pixels, z, l * pixels);
            }
            double[] spec = lineSpectrum(z, seen, pixels);
            out[i] = rich ? richFeatures(z, seen, pixels, spec) : spec;
        });
        return out;
    }

    /** Removes the least-squares line of one scan line and scales to pm. */
    private static void detrend(float[] src, int off, int pixels, double[] dst, int doff) {
        double xm = (pixels - 1) / 2.0;
        double mean = 0;
        double sxy = 0;
        double sxx = 0;
        for (int j = 0; j < pixels; j++) {
            mean += src[off + j];
        }
        mean /= pixels;
        for (int j = 0; j < pixels; j++) {
            sxy += (j - xm) * (src[off + j] - mean);
            sxx += (j - xm) * (j - xm);
        }
        double slope = sxy / sxx;
        for (int j = 0; j < pixels; j++) {
            dst[doff + j] = (src[off + j] - mean - slope * (j - xm)) * 1e12;
        }
    }

    /** Log10 of the line power spectrum (bins 1 … P/2) averaged over lines. */
    private static double[] lineSpectrum(double[] z, int lines, int pixels) {
        double[] power = new double[pixels / 2];
        double[][] ri = new double[2][pixels];
        for (int l = 0; l < lines; l++) {
            System.arraycopy(z, l * pixels, ri[0], 0, pixels);
            Arrays.fill(ri[1], 0);
            FastFourierTransformer.transformInPlace(ri, DftNormalization.STANDARD, TransformType.FORWARD);
            for (int f = 1; f <= pixels / 2; f++) {
                power[f - 1] += ri[0][f] * ri[0][f] + ri[1][f] * ri[1][f];
            }
        }
        for (int f = 0; f < power.length; f++) {
            power[f] = Math.log10(power[f] / lines + 1e-6);
        }
        return power;
    }

    private static double[] richFeatures(double[] z, int lines, int pixels, double[] spec) {
        double[] f = new double[16 + 16 + 16 + 8];
        int k = 0;
        // Line spectrum in 16 bins.
        int per = spec.length / 16;
        for (int b = 0; b < 16; b++) {
            double s = 0;
            for (int i = 0; i < per; i++) {
                s += spec[b * per + i];
            }
            f[k++] = s / per;
        }
        // 2D radial power spectrum (16 bins) of the seen block.
        int rows = Integer.highestOneBit(lines);
        double[][] re = new double[rows][pixels];
        double[][] im = new double[rows][pixels];
        for (int l = 0; l < rows; l++) {
            double[][] ri = {Arrays.copyOfRange(z, l * pixels, (l + 1) * pixels), new double[pixels]};
            FastFourierTransformer.transformInPlace(ri, DftNormalization.STANDARD, TransformType.FORWARD);
            re[l] = ri[0];
            im[l] = ri[1];
        }
        double[] radial = new double[16];
        int[] cnt = new int[16];
        for (int j = 0; j < pixels; j++) {
            double[][] ri = new double[2][rows];
            for (int l = 0; l < rows; l++) {
                ri[0][l] = re[l][j];
                ri[1][l] = im[l][j];
            }
            FastFourierTransformer.transformInPlace(ri, DftNormalization.STANDARD, TransformType.FORWARD);
            int fx = j <= pixels / 2 ? j : pixels - j;
            for (int l = 0; l < rows; l++) {
                int fy = l <= rows / 2 ? l : rows - l;
                double r = Math.hypot(fx / (double) pixels, fy / (double) rows);
                int b = (int) (r / 0.5 * 16);
                if (b > 0 && b < 16) {
                    radial[b] += ri[0][l] * ri[0][l] + ri[1][l] * ri[1][l];
                    cnt[b]++;
                }
            }
        }
        for (int b = 0; b < 16; b++) {
            f[k++] = cnt[b] == 0 ? 0 : Math.log10(radial[b] / cnt[b] + 1e-6);
        }
        // Normalised autocorrelation along and across lines, shifts 1–8.
        double var = 0;
        for (double v : z) {
            var += v * v;
        }
        var = var / z.length + 1e-9;
        for (int s = 1; s <= 8; s++) {
            double ax = 0;
            double ay = 0;
            int nx = 0;
            int ny = 0;
            for (int l = 0; l < lines; l++) {
                for (int j = 0; j + s < pixels; j++) {
                    ax += z[l * pixels + j] * z[l * pixels + j + s];
                    nx++;
                }
                if (l + s < lines) {
                    for (int j = 0; j < pixels; j++) {
                        ay += z[l * pixels + j] * z[(l + s) * pixels + j];
                        ny++;
                    }
                }
            }
            f[k++] = ax / nx / var;
            f[k++] = ny == 0 ? 0 : ay / ny / var;
        }
        // Line-to-line statistics: jumps, roughness changes, outliers, kurtosis.
        double[] rough = new double[lines];
        for (int l = 0; l < lines; l++) {
            double s = 0;
            for (int j = 1; j < pixels; j++) {
                double d = z[l * pixels + j] - z[l * pixels + j - 1];
                s += d * d;
            }
            rough[l] = Math.log10(s / (pixels - 1) + 1e-6);
        }
        double maxJump = 0;
        double meanJump = 0;
        for (int l = 1; l < lines; l++) {
            double d = Math.abs(rough[l] - rough[l - 1]);
            maxJump = Math.max(maxJump, d);
            meanJump += d;
        }
        meanJump /= Math.max(1, lines - 1);
        double m2 = 0;
        double m4 = 0;
        double max = 0;
        for (double v : z) {
            m2 += v * v;
            m4 += v * v * v * v;
            max = Math.max(max, Math.abs(v));
        }
        m2 /= z.length;
        m4 /= z.length;
        double[] sorted = rough.clone();
        Arrays.sort(sorted);
        f[k++] = maxJump;
        f[k++] = meanJump;
        f[k++] = m4 / (m2 * m2 + 1e-12);
        f[k++] = Math.log10(max / Math.sqrt(m2 + 1e-12) + 1e-6);
        f[k++] = sorted[sorted.length - 1] - sorted[sorted.length / 2];
        f[k++] = sorted[sorted.length / 2] - sorted[0];
        f[k++] = sorted[sorted.length / 2];
        f[k++] = Math.log10(m2 + 1e-6);
        return f;
    }
}
