package org.scanline.export;

import org.scanline.model.ModelSpec;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.scanline.Architecture;
import org.scanline.Normalizer;
import org.scanline.model.ModelFixtures;
import org.scanline.model.ScanModel;
import org.scanline.train.TrainingConfig;

/** Tiny DJL models and inputs shared by the exporter and runtime tests. */
final class TinyModels {
    static final int P = 16;
    static final int K = 3;
    static final int MAX = 12;
    static final List<String> CLASSES = List.of("good", "blunt", "double");

    private TinyModels() {
    }

    static TrainingConfig config(Architecture a) {
        return TrainingConfig.builder().architecture(a).maxLines(MAX).dModel(16).numHeads(2).numLayers(2).ffnDim(24)
                .convChannels(List.of(4, 6, 8)).windowLines(8).lstmHidden(5).minLines(1).normalizer(Normalizer.NONE)
                .build();
    }

    static ScanModel model(NDManager manager, Architecture a, long seed) {
        return model(manager, config(a), seed);
    }

    static ScanModel model(NDManager manager, TrainingConfig config, long seed) {
        ScanModel m = ModelFixtures.seeded(manager, config, P, K, (int) seed);
        // Xavier init leaves biases and norms at 0/1 and the LRCN's logits nearly flat: perturb every
        // parameter so the comparison sees each one's wiring.
        SplittableRandom r = new SplittableRandom(seed);
        m.parameters().forEach((name, p) -> {
            {
                NDArray arr = p.getArray();
                float[] v = arr.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (0.3 * r.nextGaussian());
                }
                arr.set(v);
            }
        });
        return m;
    }

    static ModelSpec spec(Architecture a) {
        return ModelSpec.of(config(a), P, K);
    }

    static ExportMetadata metadata(Architecture a, double temperature) {
        return new ExportMetadata(CLASSES, Normalizer.NONE, temperature, config(a).toJson(), "test-run", "{}", null);
    }

    static float[] djl(NDManager manager, ScanModel m, float[] x, int b, int t) {
        return ModelFixtures.forward(manager, m, x, b, t, P);
    }

    /** @return {@code lines} lines of {@code pixels} standard normal values */
    static float[][] scan(int lines, int pixels, long seed) {
        float[] flat = ModelFixtures.gaussian(lines * pixels, seed);
        float[][] s = new float[lines][];
        for (int l = 0; l < lines; l++) {
            s[l] = Arrays.copyOfRange(flat, l * pixels, (l + 1) * pixels);
        }
        return s;
    }

    /** Scan-like input: a tilted plane, a step edge and repeated stripes (a "double tip"), plus constant lines. */
    static float[] structured(int b, int t) {
        float[] x = new float[b * t * P];
        for (int s = 0; s < b; s++) {
            for (int l = 0; l < t; l++) {
                for (int p = 0; p < P; p++) {
                    float v = 0.05f * p + 0.1f * l + (p > P / 2 ? 1.5f : 0f)
                            + (float) Math.sin(2 * Math.PI * (p + 3 * s) / 5.0);
                    x[(s * t + l) * P + p] = l % 5 == 4 ? 0.7f : v;
                }
            }
        }
        return x;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
