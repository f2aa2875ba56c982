package org.scanline.model;

import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import java.util.List;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.train.TrainingConfig;

/**
 * Builds the model a {@link TrainingConfig} describes.
 *
 * <pre>{@code
 * try (NDManager manager = NDManager.newBaseManager()) {
 *     ScanModel model = ScanModels.create(config, 128, 4);
 *     model.initialize(manager);
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ScanModels {
    /**
     * The tip states a line-state head predicts, index = logit: the simulator's four tip classes
     * (state 3 marks an unstable tip), whatever the classes of the scan labels.
     */
    public static final List<String> LINE_STATE_NAMES = org.scanline.simulate.SimulatorConfig.CLASS_NAMES;
    /** Number of {@link #LINE_STATE_NAMES}. */
    public static final int LINE_STATES = LINE_STATE_NAMES.size();

    private ScanModels() {
    }

    /**
     * Creates an uninitialised model; call {@link ScanModel#initialize} (after seeding the engine) or
     * initialise and then {@link ScanModel#loadWeights load} weights.
     *
     * @param config architecture and sizes
     * @param pixels pixels per line
     * @param classes number of classes
     * @return the model
     * @throws BadConfigException if the sizes do not fit (e.g. the CNN would pool a window to nothing)
     */
    public static ScanModel create(TrainingConfig config, int pixels, int classes) {
        if (pixels <= 0 || classes < 2) {
            throw new BadConfigException("a model needs pixels > 0 and at least 2 classes, got " + pixels
                    + " pixels and " + classes + " classes");
        }
        TorchLogging.quiet();
        List<Integer> ch = config.convChannels();
        ModelSpec spec = ModelSpec.of(config, pixels, classes);
        ScanModel model = switch (config.architecture()) {
            case VIT -> new VitModel(spec, config.dropout());
            case CAUSAL -> new CausalModel(spec, config.dropout());
            case LRCN -> {
                int shrink = 1 << ch.size();
                if (config.windowLines() < shrink || pixels < shrink) {
                    throw new BadConfigException("lrcn: " + ch.size() + " CNN blocks pool by " + shrink
                            + ", so windowLines (" + config.windowLines() + ") and pixels (" + pixels
                            + ") must both be at least " + shrink);
                }
                yield new LrcnModel(spec);
            }
        };
        // Glorot-uniform for every matrix and kernel; biases start at 0, norms at 1/0 by their types.
        model.block().setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT);
        return model;
    }
}
