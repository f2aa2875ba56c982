package org.scanline.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hand-written LSTM against plain-Java arithmetic: its forward pass against a double-precision
 * reference, its autograd gradients against central differences. Nothing here depends on a fused
 * LSTM kernel, so a CPU whose kernel miscomputes (issue 11) fails these only if the plain operations
 * themselves are wrong.
 */
class LstmCellTest {
    static final int B = 2;
    static final int T = 5;
    static final int C = 3;
    static final int H = 4;
    @RegisterExtension
    static final DjlManager MANAGER = new DjlManager();

    /** A cell with every tensor random, biases included (they start at zero, which would hide them). */
    static LstmCell cell(DataType type, long seed) {
        LstmCell cell = new LstmCell(C, H);
        cell.initialize(MANAGER.get(), type, new Shape(1, 1, C));
        SplittableRandom r = new SplittableRandom(seed);
        for (Parameter p : params(cell)) {
            NDArray a = p.getArray();
            double[] v = new double[(int) a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.6 * r.nextGaussian();
            }
            fill(a, v);
        }
        return cell;
    }

    static void fill(NDArray a, double[] v) {
        if (a.getDataType() == DataType.FLOAT64) {
            a.set(v);
        } else {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
            }
            a.set(f);
        }
    }

    static List<Parameter> params(LstmCell cell) {
        return List.of(cell.wIh(), cell.wHh(), cell.bIh(), cell.bHh());
    }

    static double[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    static double[] doubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /** PyTorch's LSTM (gates i, f, g, o; zero initial state) in plain doubles: {@code [B, T, H]}. */
    static double[] reference(double[] x, double[] wih, double[] whh, double[] bih, double[] bhh) {
        return reference(x, wih, whh, bih, bhh, B, T, C, H);
    }

    /**
     * The same reference at any size: {@code x [batch, steps, inputs]}, weights in PyTorch's layout.
     *
     * @return the hidden state after every step, {@code [batch, steps, hidden]}
     */
    static double[] reference(double[] x, double[] wih, double[] whh, double[] bih, double[] bhh, int batch,
            int steps, int inputs, int hidden) {
        double[] out = new double[batch * steps * hidden];
        for (int b = 0; b < batch; b++) {
            double[] h = new double[hidden];
            double[] c = new double[hidden];
            for (int t = 0; t < steps; t++) {
                double[] g = new double[4 * hidden];
                for (int r = 0; r < 4 * hidden; r++) {
                    double s = bih[r] + bhh[r];
                    for (int j = 0; j < inputs; j++) {
                        s += wih[r * inputs + j] * x[(b * steps + t) * inputs + j];
                    }
                    for (int j = 0; j < hidden; j++) {
                        s += whh[r * hidden + j] * h[j];
                    }
                    g[r] = s;
                }
                for (int j = 0; j < hidden; j++) {
                    c[j] = sigmoid(g[hidden + j]) * c[j] + sigmoid(g[j]) * Math.tanh(g[2 * hidden + j]);
                    h[j] = sigmoid(g[3 * hidden + j]) * Math.tanh(c[j]);
                    out[(b * steps + t) * hidden + j] = h[j];
                }
            }
        }
        return out;
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    static NDArray forward(LstmCell cell, NDManager m, double[] x, DataType type) {
        NDArray in = m.create(x, new Shape(B, T, C)).toType(type, false);
        return cell.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
    }

    @Test
    void matchesPyTorchsLstmInDoublesAndFloats() {
        double[] x = gaussian(B * T * C, 1);
        for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
            LstmCell cell = cell(type, 2);
            double[] expected = reference(x, doubles(cell.wIh().getArray()), doubles(cell.wHh().getArray()),
                    doubles(cell.bIh().getArray()), doubles(cell.bHh().getArray()));
            try (NDManager m = MANAGER.get().newSubManager()) {
                NDArray out = forward(cell, m, x, type);
                assertEquals(new Shape(B, T, H), out.getShape());
                assertArrayEquals(expected, doubles(out), type == DataType.FLOAT64 ? 1e-12 : 1e-6, type.toString());
            }
        }
    }

    @Test
    void oneStepIsTheFirstStepOfALongerSequence() {
        LstmCell cell = cell(DataType.FLOAT32, 3);
        try (NDManager m = MANAGER.get().newSubManager()) {
            NDArray full = m.create(gaussian(B * T * C, 4), new Shape(B, T, C)).toType(DataType.FLOAT32, false);
            NDArray first = full.get(":, 0:1, :");
            NDArray outFull = cell.forward(new ParameterStore(m, false), new NDList(full), false).singletonOrThrow();
            NDArray outOne = cell.forward(new ParameterStore(m, false), new NDList(first), false).singletonOrThrow();
            assertEquals(new Shape(B, 1, H), outOne.getShape());
            assertArrayEquals(outFull.get(":, 0:1, :").toFloatArray(), outOne.toFloatArray(), 1e-6f);
        }
    }

    /**
     * Loss = Σ out ⊙ r for a fixed random r: autograd's gradient of every parameter and of the input
     * against central differences, in doubles so the comparison can be tight.
     */
    @Test
    void autogradMatchesNumericalGradientsInDoubles() {
        LstmCell cell = cell(DataType.FLOAT64, 5);
        double[] x = gaussian(B * T * C, 6);
        double[] r = gaussian(B * T * H, 7);
        Gradients g = autograd(cell, x, r, DataType.FLOAT64);
        double eps = 1e-6;
        for (int p = 0; p < 4; p++) {
            NDArray a = params(cell).get(p).getArray();
            double[] v = doubles(a);
            for (int i = 0; i < v.length; i++) {
                double[] plus = v.clone();
                plus[i] += eps;
                fill(a, plus);
                double lossPlus = loss(cell, x, r);
                double[] minus = v.clone();
                minus[i] -= eps;
                fill(a, minus);
                double lossMinus = loss(cell, x, r);
                fill(a, v);
                assertClose((lossPlus - lossMinus) / (2 * eps), g.params[p][i], params(cell).get(p).getName() + "[" + i + "]");
            }
        }
        for (int i = 0; i < x.length; i++) {
            double[] plus = x.clone();
            plus[i] += eps;
            double[] minus = x.clone();
            minus[i] -= eps;
            assertClose((loss(cell, plus, r) - loss(cell, minus, r)) / (2 * eps), g.input[i], "x[" + i + "]");
        }
    }

    /** The float32 gradients the training loop uses agree with the checked double ones. */
    @Test
    void floatGradientsAgreeWithDoubleGradients() {
        double[] x = gaussian(B * T * C, 8);
        double[] r = gaussian(B * T * H, 9);
        Gradients exact = autograd(cell(DataType.FLOAT64, 10), x, r, DataType.FLOAT64);
        Gradients single = autograd(cell(DataType.FLOAT32, 10), x, r, DataType.FLOAT32);
        for (int p = 0; p < 4; p++) {
            assertArrayEquals(exact.params[p], single.params[p], 1e-5, "parameter " + p);
        }
        assertArrayEquals(exact.input, single.input, 1e-5, "input");
    }

    private static void assertClose(double numerical, double autograd, String what) {
        assertTrue(Math.abs(numerical - autograd) <= 1e-7 + 1e-6 * Math.abs(numerical),
                what + ": numerical " + numerical + ", autograd " + autograd);
    }

    private static double loss(LstmCell cell, double[] x, double[] r) {
        try (NDManager m = MANAGER.get().newSubManager()) {
            double[] out = doubles(forward(cell, m, x, DataType.FLOAT64));
            double s = 0;
            for (int i = 0; i < out.length; i++) {
                s += out[i] * r[i];
            }
            return s;
        }
    }

    private record Gradients(double[][] params, double[] input) {}

    private static Gradients autograd(LstmCell cell, double[] x, double[] r, DataType type) {
        List<Parameter> ps = params(cell);
        for (Parameter p : ps) {
            p.getArray().setRequiresGradient(true);
        }
        try (NDManager m = MANAGER.get().newSubManager()) {
            NDArray in = m.create(x, new Shape(B, T, C)).toType(type, false);
            in.setRequiresGradient(true);
            NDArray weights = m.create(r, new Shape(B, T, H)).toType(type, false);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = cell.forward(new ParameterStore(m, false), new NDList(in), true).singletonOrThrow();
                gc.backward(out.mul(weights).sum());
            }
            double[][] grads = new double[4][];
            for (int p = 0; p < 4; p++) {
                grads[p] = doubles(ps.get(p).getArray().getGradient());
            }
            Gradients g = new Gradients(grads, doubles(in.getGradient()));
            for (Parameter p : ps) {
                p.getArray().setRequiresGradient(false);
            }
            return g;
        }
    }
}
