package org.scanline.backend;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;
import org.apiguardian.api.API;
import org.scanline.Architecture;
import org.scanline.model.ScanModel;
import org.scanline.model.ScanModels;
import org.scanline.train.TrainingConfig;

/**
 * Measures training throughput (the loop's own {@link TrainingStep}: forward, class-weighted loss and,
 * for a model with a tip-state head, the line-state loss, backward, clipped AdamW) and the model FLOP utilisation against a matrix-multiplication peak timed in the same
 * process. A benchmark, not a test: the numbers go to {@code docs/benchmarks.md}.
 *
 * <pre>{@code
 * TrainingBenchmark.Result r = TrainingBenchmark.measure(config, 128, 4, 8, 5);
 * double mfu = r.flopsPerSecond() / TrainingBenchmark.matmulPeak(1024, 5);
 * }</pre>
 *
 * <p>Internal: public for {@code scanline bench-train} and {@code scanline train}'s estimate; not part
 * of the library's API.
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public final class TrainingBenchmark {
    private TrainingBenchmark() {
    }

    /**
     * @param architecture the model
     * @param batch samples per step
     * @param lines lines per sample
     * @param steps timed steps
     * @param secondsPerStep mean wall time of a step
     * @param samplesPerSecond training samples per second
     * @param forwardFlopsPerSample analytic forward FLOPs of one sample (multiply-add = 2)
     * @param flopsPerSecond achieved model FLOP/s, counting forward + backward as 3× forward
     */
    public record Result(Architecture architecture, int batch, int lines, int steps, double secondsPerStep,
            double samplesPerSecond, double forwardFlopsPerSample, double flopsPerSecond) {
    }

    /**
     * Times training steps of a freshly initialised model on random normalised lines.
     *
     * @param config model sizes (architecture, widths, layers) and optimiser knobs
     * @param pixels pixels per line
     * @param classes classes
     * @param batch samples per step
     * @param steps timed steps, at least 1 (one more untimed warm-up step runs first)
     * @return the measurement
     */
    public static Result measure(TrainingConfig config, int pixels, int classes, int batch, int steps) {
        double[] each = stepSeconds(config, pixels, classes, batch, 1, steps);
        double perStep = java.util.Arrays.stream(each).sum() / steps;
        double flops = forwardFlops(config, pixels, classes, config.maxLines());
        double sps = batch / perStep;
        return new Result(config.architecture(), batch, config.maxLines(), steps, perStep, sps, flops, 3 * flops * sps);
    }

    /**
     * The wall time of each of {@code steps} training steps after {@code warmup} untimed ones, on one
     * freshly initialised model: for statistics robust to a shared machine (a median, a minimum).
     *
     * @param config model sizes and optimiser knobs; samples have {@code maxLines} lines
     * @param pixels pixels per line
     * @param classes classes
     * @param batch samples per step
     * @param warmup untimed steps first (the first step allocates the optimiser's moments)
     * @param steps timed steps, at least 1
     * @return seconds of each timed step
     */
    public static double[] stepSeconds(TrainingConfig config, int pixels, int classes, int batch, int warmup,
            int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        int lines = config.maxLines();
        Engine.getInstance().setRandomSeed((int) config.seed());
        try (NDManager manager = NDManager.newBaseManager(TrainingLoop.device(config))) {
            ScanModel model = ScanModels.create(config, pixels, classes);
            model.initialize(manager);
            TrainingStep.attachGradients(model);
            float[] x = new float[batch * lines * pixels];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = i % classes;
            }
            // Line states cycle through every state, as labels cycle through the classes.
            int[] scans = new int[batch];
            byte[] states = new byte[batch * lines];
            for (int i = 0; i < states.length; i++) {
                states[i] = (byte) (i % ScanModels.LINE_STATES);
            }
            for (int i = 0; i < batch; i++) {
                scans[i] = i;
            }
            float[] weights = new float[classes];
            java.util.Arrays.fill(weights, 1f);
            try (AdamW opt = new AdamW(model.parameters(), manager)) {
                TrainingStep step = new TrainingStep(model, new ParameterStore(manager, false), opt, config);
                double[] seconds = new double[steps];
                for (int s = 0; s < warmup + steps; s++) {
                    long start = System.nanoTime();
                    try (NDManager bm = manager.newSubManager()) {
                        NDArray in = bm.create(x, new Shape(batch, lines, pixels));
                        NDArray lineStates = step.wantsLineStates()
                                ? Losses.lineStateTargets(bm, states, lines, scans, lines) : null;
                        step.run(in, Losses.LossTarget.of(bm, labels, weights), lineStates, config.learningRate());
                    }
                    if (s >= warmup) {
                        seconds[s - warmup] = (System.nanoTime() - start) / 1e9;
                    }
                }
                return seconds;
            }
        }
    }

    /**
     * Best FLOP/s of an n×n by n×n float32 matrix product over {@code repeats} runs, on the engine's
     * default device and threads: the peak that the utilisation is measured against.
     *
     * @param n matrix size
     * @param repeats timed repetitions
     * @return FLOP/s (2n³ per product)
     */
    public static double matmulPeak(int n, int repeats) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            a.matMul(b).close();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                c.close();
            }
            return 2.0 * n * n * n / best;
        }
    }

    /**
     * Forward FLOPs of one sample of {@code lines} lines, counting a multiply-add as 2 and only the
     * matrix products and convolutions (norms, softmax, activations and the LSTM's gate arithmetic are
     * a few per cent at the reference size).
     *
     * @param c config (architecture and sizes)
     * @param p pixels per line
     * @param k classes
     * @param t lines
     * @return FLOPs
     */
    public static double forwardFlops(TrainingConfig c, int p, int k, int t) {
        double d = c.dModel();
        List<Integer> ch = c.convChannels();
        switch (c.architecture()) {
            case VIT -> {
                double n = t + 1.0;
                return 2.0 * t * p * d + c.numLayers() * layerFlops(n, d, c.ffnDim()) + 2.0 * d * k;
            }
            case CAUSAL -> {
                double perLine = 0;
                double len = p;
                double in = 1;
                for (int i = 0; i < ch.size(); i++) {
                    int kernel = i == 0 ? 7 : 3;
                    len = Math.floor((len + 2 * (kernel / 2) - kernel) / 2) + 1;
                    perLine += 2.0 * len * ch.get(i) * kernel * in;
                    in = ch.get(i);
                }
                perLine += 2.0 * in * d + 2.0 * d * k;
                return t * perLine + c.numLayers() * layerFlops(t, d, c.ffnDim());
            }
            case LRCN -> {
                double h = c.windowLines();
                double w = p;
                double in = 1;
                double perLine = 0;
                for (int out : ch) {
                    perLine += 2.0 * h * w * out * 9 * in;
                    h = Math.floor(h / 2);
                    w = Math.floor(w / 2);
                    in = out;
                }
                double hid = c.lstmHidden();
                perLine += 2.0 * 4 * hid * (in + hid) + 2.0 * hid * k;
                return t * perLine;
            }
            default -> throw new IllegalArgumentException(c.architecture().toString());
        }
    }

    private static double layerFlops(double n, double d, double ffn) {
        return 4 * 2.0 * n * d * d + 2 * 2.0 * n * n * d + 2 * 2.0 * n * d * ffn;
    }
}
