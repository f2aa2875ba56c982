package org.scanline.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import org.scanline.train.TrainingConfig;

/** What the model tests of every module build on: seeded models, Gaussian inputs and a DJL forward pass. */
public final class ModelFixtures {
    private ModelFixtures() {
    }

    /**
     * @param manager manager of the parameters
     * @param config the model's settings
     * @param pixels pixels per line
     * @param classes number of classes
     * @param seed DJL's random seed for the initial weights
     * @return the model with its parameters initialised from {@code seed}
     */
    public static ScanModel seeded(NDManager manager, TrainingConfig config, int pixels, int classes, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        ScanModel m = ScanModels.create(config, pixels, classes);
        m.initialize(manager);
        return m;
    }

    /**
     * @param n number of values
     * @param seed seed of the draws
     * @return {@code n} standard normal values
     */
    public static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /**
     * Runs the model in inference mode on a batch, in a sub-manager of {@code manager} that is closed after.
     *
     * @param manager manager to open the batch's sub-manager in
     * @param m the model
     * @param x {@code b} scans of {@code t} lines of {@code pixels} pixels, flattened
     * @param b scans
     * @param t lines per scan
     * @param pixels pixels per line
     * @return the model's output, flattened
     */
    public static float[] forward(NDManager manager, ScanModel m, float[] x, int b, int t, int pixels) {
        try (NDManager batch = manager.newSubManager()) {
            NDArray in = batch.create(x, new Shape(b, t, pixels));
            return m.forward(new ParameterStore(batch, false), in, false).toFloatArray();
        }
    }
}
