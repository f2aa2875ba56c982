package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.model.DjlManager;
import org.scanline.model.ModelSpec;
import org.scanline.model.Weight;

/**
 * The products-only graph that {@code bench-runtime --floor} times against the model computes what
 * it claims: every layer's query projection (the packed QKV's first d columns), output projection
 * and FFN products, chained, with the model's own weights.
 */
class ProductsOnlyTest {
    @RegisterExtension
    static final DjlManager MANAGER = new DjlManager();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void chainsTheLayersProductsWithTheModelsWeights(boolean int8) throws Exception {
        ModelSpec spec = TinyModels.spec(Architecture.CAUSAL);
        Map<String, Weight> w = TinyModels.model(MANAGER.get(), Architecture.CAUSAL, 5).namedWeights();
        int d = spec.dModel();
        int rows = 3;
        float[] x = new float[rows * d];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] expected = x;
        for (int l = 0; l < spec.numLayers(); l++) {
            String p = "layers." + l + ".";
            expected = linear(expected, w.get(p + "attn.q.weight"), w.get(p + "attn.q.bias"), rows,
                    (float) (1 / Math.sqrt(spec.headDim())));
            expected = linear(expected, w.get(p + "attn.o.weight"), w.get(p + "attn.o.bias"), rows, 1);
            expected = linear(expected, w.get(p + "ffn.fc1.weight"), w.get(p + "ffn.fc1.bias"), rows, 1);
            expected = linear(expected, w.get(p + "ffn.fc2.weight"), w.get(p + "ffn.fc2.bias"), rows, 1);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] actual = new float[rows * d];
        try (OrtSession s = env.createSession(OnnxExporter.productsOnly(spec, w, int8), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, rows, d});
             OrtSession.Result out = s.run(Map.of("x", in))) {
            ((OnnxTensor) out.get(0)).getFloatBuffer().get(actual);
        }
        double scale = 0;
        double worst = 0;
        double dot = 0;
        double aa = 0;
        double ee = 0;
        for (int i = 0; i < actual.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
            dot += actual[i] * expected[i];
            aa += actual[i] * actual[i];
            ee += expected[i] * expected[i];
        }
        if (int8) {
            // Quantisation errors compound over the chain's eight products (no norm between them, and the
            // tiny model's weights are noisy on purpose: 0.95 measured), so int8 is held to the direction
            // of the output, which a wrong weight or a wrong chain would lose.
            double cosine = dot / Math.sqrt(aa * ee);
            assertTrue(cosine > 0.9, "cosine similarity " + cosine + " with the float64 chain");
        } else {
            assertTrue(scale > 0 && worst <= 1e-4 * scale, "max |diff| " + worst + " against output scale " + scale);
        }
    }

    @Test
    void onlyACausalModelHasThem() {
        ModelSpec vit = TinyModels.spec(Architecture.VIT);
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> OnnxExporter.productsOnly(vit, Map.of(), false));
        assertTrue(e.getMessage().contains("vit"), e.getMessage());
    }

    /** {@code (x · wᵀ + b) · s} for rows of x, w given {@code [out, in]} as PyTorch stores it. */
    private static float[] linear(float[] x, Weight w, Weight b, int rows, float s) {
        int out = (int) w.shape()[0];
        int in = (int) w.shape()[1];
        assertEquals(rows * in, x.length);
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = b.data()[o];
                for (int i = 0; i < in; i++) {
                    acc += x[r * in + i] * w.data()[o * in + i];
                }
                y[r * out + o] = (float) (acc * s);
            }
        }
        return y;
    }
}
