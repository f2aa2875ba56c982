package org.scanline.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.scanline.Architecture;
import org.scanline.export.ExportMetadata;
import org.scanline.export.GraphStyle;
import org.scanline.model.ModelSpec;
import org.scanline.export.OnnxExporter;
import org.scanline.model.ScanModel;
import org.scanline.model.ScanModels;
import org.scanline.model.Weight;
import org.scanline.train.TrainingConfig;

/**
 * The reference-size causal model (6 layers, d 256, 8 heads, FFN 1024, 128 px, 4 classes) with
 * seeded Glorot weights: timing does not depend on the values, only on the shapes.
 */
final class ReferenceModel {
    static final int PIXELS = 128;
    static final int LINES = 128;
    static final List<String> CLASSES = List.of("good", "blunt", "double", "unstable");

    private ReferenceModel() {
    }

    static TrainingConfig config(Architecture a) {
        return TrainingConfig.builder().architecture(a).build();
    }

    private static final Map<Architecture, Map<String, Weight>> WEIGHTS = new java.util.EnumMap<>(Architecture.class);

    static synchronized Map<String, Weight> weights(Architecture a) {
        return WEIGHTS.computeIfAbsent(a, ReferenceModel::initialised);
    }

    private static Map<String, Weight> initialised(Architecture a) {
        System.setProperty("ai.djl.offline", "true");
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(42);
            ScanModel m = ScanModels.create(config(a), PIXELS, CLASSES.size());
            m.initialize(manager);
            return m.namedWeights();
        }
    }

    /** Writes the model (format 3) to a temporary file and returns its path. */
    static Path write(Architecture a, boolean int8) {
        return write(a, int8, GraphStyle.FIXED_CACHE);
    }

    /** Writes the model in a graph style to a temporary file and returns its path. */
    static Path write(Architecture a, boolean int8, GraphStyle style) {
        try {
            Path f = Files.createTempFile("scanline-bench-" + a.id() + "-" + style.name().toLowerCase(java.util.Locale.ROOT)
                    + (int8 ? "-int8" : ""), ".onnx");
            f.toFile().deleteOnExit();
            OnnxExporter.write(f, ModelSpec.of(config(a), PIXELS, CLASSES.size()), weights(a),
                    ExportMetadata.of(config(a), CLASSES, "bench"), int8, style);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A scan-like 128 × 128 input: a tilted plane with noise. */
    static float[][] scan(long seed) {
        return scan(seed, PIXELS);
    }

    /** A scan-like input of 128 lines of {@code pixels}: a tilted plane with noise. */
    static float[][] scan(long seed, int pixels) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] s = new float[LINES][pixels];
        for (int l = 0; l < LINES; l++) {
            for (int p = 0; p < pixels; p++) {
                s[l][p] = (float) (1e-3 * p + 2e-3 * l + 1e-2 * r.nextGaussian());
            }
        }
        return s;
    }
}
