package org.scanline.backend;

import org.scanline.run.CheckpointFile;
import org.scanline.run.Checkpoint;
import org.scanline.run.RunFolder;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.model.CausalModel;
import org.scanline.model.ScanModel;
import org.scanline.model.Weight;
import org.scanline.train.TrainingConfig;

/**
 * Starts a run from another run's best weights ({@link TrainingConfig#initFrom()}): a run folder
 * or a shipped model folder (the same layout: {@code config.json}, {@code checkpoints/best.ckpt}).
 * This is fine-tuning: the model's architecture and size come from the source, so a config that
 * asks for another architecture or pixel count is refused. One widening is allowed: a causal source
 * without line differences can start a model with them ({@link TrainingConfig#lineDifference()}); the
 * new weights start at zero, so training starts from exactly the source's function.
 *
 * <p>Internal: public for {@code scanline train --init}; not part of the library's API.
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public final class InitialWeights {
    private InitialWeights() {
    }

    /**
     * Copies the source's model settings (architecture, sizes, heads, tokens, normaliser) into a
     * config, keeping its training settings: what {@code train --init} does before training.
     *
     * @param config the requested config, whose {@link TrainingConfig#initFrom()} is set
     * @param pixels pixels per line of the data to fine-tune on
     * @return the config with the source's model settings
     * @throws BadConfigException if the source is another architecture or another pixel count
     */
    public static TrainingConfig adopt(TrainingConfig config, int pixels) {
        RunFolder source = RunFolder.open(Path.of(config.initFrom()));
        TrainingConfig from = source.config();
        if (from.architecture() != config.architecture()) {
            throw new BadConfigException("--init " + config.initFrom() + " holds a " + from.architecture().id()
                    + " model; this run asks for " + config.architecture().id() + ": fine-tuning keeps the architecture");
        }
        if (source.pixels() != pixels) {
            throw new BadConfigException("--init " + config.initFrom() + " reads lines of " + source.pixels()
                    + " pixels; the data have " + pixels + ": resample the data to " + source.pixels() + " pixels");
        }
        return config.toBuilder().maxLines(from.maxLines()).dModel(from.dModel()).numHeads(from.numHeads())
                .numLayers(from.numLayers()).ffnDim(from.ffnDim()).convChannels(from.convChannels())
                .windowLines(from.windowLines()).lstmHidden(from.lstmHidden()).normalizer(from.normalizer())
                .spectrumTokens(from.spectrumTokens())
                .lineDifference(from.lineDifference() || config.lineDifference())
                .lineStateWeight(from.lineStateWeight() > 0 && config.lineStateWeight() == 0 ? from.lineStateWeight()
                        : config.lineStateWeight())
                .build();
    }

    /** Loads the source's best weights into a freshly initialised model of the same shape. */
    static void load(TrainingConfig config, ScanModel model) {
        Path dir = Path.of(config.initFrom());
        RunFolder source = RunFolder.open(dir);
        if (source.config().architecture() != model.architecture() || source.pixels() != model.pixels()
                || source.classNames().size() != model.classes()) {
            throw new BadConfigException("--init " + dir + ": a " + source.config().architecture().id() + " model for "
                    + source.pixels() + " pixels and " + source.classNames().size() + " classes cannot start a "
                    + model.architecture().id() + " model for " + model.pixels() + " pixels and " + model.classes()
                    + " classes");
        }
        Path file = source.checkpoint(Checkpoint.BEST);
        Map<String, Weight> weights = RunFolder.modelTensors(CheckpointFile.read(file).tensors());
        if (model instanceof CausalModel causal && causal.lineDifference() && !source.config().lineDifference()) {
            weights = withLineDifference(weights, causal);
        }
        model.loadWeights(weights, file.toString());
    }

    /**
     * A source's weights for a model that adds line differences: the first convolution gains a zero
     * input channel and the difference spectrum's projection is zero, so the outputs are unchanged.
     */
    static Map<String, Weight> withLineDifference(Map<String, Weight> weights, CausalModel model) {
        Map<String, Weight> out = new LinkedHashMap<>(weights);
        String conv = "tokenizer.conv0.weight";
        Weight w = weights.get(conv);
        if (w == null || w.shape().length != 3 || w.shape()[1] != 1) {
            throw new BadConfigException("--init: the source's " + conv + " is not a one-channel convolution");
        }
        int c = (int) w.shape()[0];
        int k = (int) w.shape()[2];
        float[] wide = new float[c * 2 * k];
        for (int o = 0; o < c; o++) {
            System.arraycopy(w.data(), o * k, wide, o * 2 * k, k);
        }
        out.put(conv, new Weight(wide, new long[] {c, 2, k}));
        for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
            if (e.getKey().startsWith("tokenizer.diff_spectrum.")) {
                long[] shape = e.getValue().getArray().getShape().getShape();
                out.put(e.getKey(), new Weight(new float[(int) new Shape(shape).size()], shape));
            }
        }
        return out;
    }
}
