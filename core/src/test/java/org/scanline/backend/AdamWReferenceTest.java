package org.scanline.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scanline.model.Weight;

/**
 * AdamW over several parameters of different shapes follows PyTorch's {@code torch.optim.AdamW}
 * with global-norm clipping, written out here in double precision: the flat moment buffers must
 * give every parameter its own slice, and the state must round-trip by name.
 */
class AdamWReferenceTest {
    private static final double LR = 0.05;
    private static final double WD = 0.1;
    private static final double CLIP = 1.0;

    @Test
    void followsTorchAdamWOnEveryParameterAndRoundTripsItsState() {
        float[][] init = {{0.5f, -0.25f, 1f, 0.75f, -1f, 0.125f}, {2f, -2f, 0.5f, 0f}};
        long[][] shapes = {{2, 3}, {4}};
        float[][][] grads = {
            {{0.3f, -1.2f, 0.05f, 2f, -0.7f, 0.9f}, {0.1f, 0.2f, -0.3f, 0.4f}},
            {{-0.1f, 0.4f, 0.6f, -0.2f, 0.01f, -1.5f}, {1f, -1f, 0.5f, -0.5f}},
            {{0.02f, 0.03f, -0.04f, 0.05f, 0.06f, -0.07f}, {0.2f, 0.1f, 0f, -0.1f}},
        };
        double[][] p = {toDouble(init[0]), toDouble(init[1])};
        double[][] m = {new double[6], new double[4]};
        double[][] v = {new double[6], new double[4]};
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> params = new LinkedHashMap<>();
            for (int i = 0; i < 2; i++) {
                Parameter w = Parameter.builder().setName("w" + i).setType(Parameter.Type.WEIGHT)
                        .optInitializer(new ConstantInitializer(0f)).optShape(new Shape(shapes[i])).build();
                w.initialize(manager, DataType.FLOAT32);
                w.getArray().set(init[i]);
                w.getArray().setRequiresGradient(true);
                params.put("w" + i, w);
            }
            try (AdamW adam = new AdamW(params, manager)) {
                for (int t = 1; t <= grads.length; t++) {
                    try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        NDArray loss = params.get("w0").getArray().mul(manager.create(grads[t - 1][0], new Shape(shapes[0]))).sum()
                                .add(params.get("w1").getArray().mul(manager.create(grads[t - 1][1])).sum());
                        gc.backward(loss);
                    }
                    double norm = adam.step(LR, WD, CLIP);
                    double expectedNorm = reference(p, m, v, grads[t - 1], t);
                    assertEquals(expectedNorm, norm, 1e-6 * expectedNorm, "gradient norm at step " + t);
                    for (int i = 0; i < 2; i++) {
                        float[] actual = params.get("w" + i).getArray().toFloatArray();
                        for (int j = 0; j < actual.length; j++) {
                            assertEquals(p[i][j], actual[j], 1e-5, "w" + i + "[" + j + "] at step " + t);
                        }
                    }
                }
                Map<String, Weight> state = adam.state();
                assertArrayEquals(shapes[0], state.get("adam.m/w0").shape());
                for (int j = 0; j < 4; j++) {
                    assertEquals(v[1][j], state.get("adam.v/w1").data()[j], 1e-6 * Math.max(1, v[1][j]), "v of w1");
                }
                try (AdamW restored = new AdamW(params, manager)) {
                    restored.load(state, adam.steps(), "test");
                    Map<String, Weight> again = restored.state();
                    for (String k : state.keySet()) {
                        assertArrayEquals(state.get(k).data(), again.get(k).data(), k);
                    }
                }
            }
        }
    }

    /** One torch.optim.AdamW step after clip_grad_norm_, in double; returns the norm before clipping. */
    private static double reference(double[][] p, double[][] m, double[][] v, float[][] g, int t) {
        double sq = 0;
        for (float[] gi : g) {
            for (float x : gi) {
                sq += (double) x * x;
            }
        }
        double norm = Math.sqrt(sq);
        double scale = norm > CLIP ? CLIP / (norm + 1e-6) : 1;
        double bc1 = 1 - Math.pow(AdamW.BETA1, t);
        double bc2 = 1 - Math.pow(AdamW.BETA2, t);
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[i].length; j++) {
                double gs = g[i][j] * scale;
                m[i][j] = AdamW.BETA1 * m[i][j] + (1 - AdamW.BETA1) * gs;
                v[i][j] = AdamW.BETA2 * v[i][j] + (1 - AdamW.BETA2) * gs * gs;
                p[i][j] *= 1 - LR * WD;
                p[i][j] -= LR / bc1 * m[i][j] / (Math.sqrt(v[i][j] / bc2) + AdamW.EPS);
            }
        }
        return norm;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
