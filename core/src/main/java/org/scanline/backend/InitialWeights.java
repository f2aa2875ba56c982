package org.scanline.backend;

import org.scanline.run.CheckpointFile;
import org.scanline.run.Checkpoint;
import org.scanline.run.RunFolder;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.model.CausalModel;
import org.scanline.model.ScanModel;
import org.scanline.model.Weight;
import org.scanline.train.SimulationConfig;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    private InitialWeights() {
    }

    /**
     * The model settings the source decides, and so copies into the run. A setting given explicitly
     * with another value is refused rather than overridden ({@link #adopt(TrainingConfig, int, Map)}).
     */
    static final List<String> FROM_SOURCE = List.of("maxLines", "dModel", "numHeads", "numLayers", "ffnDim",
            "convChannels", "windowLines", "lstmHidden", "normalizer", "spectrumTokens");

    /**
     * As {@link #adopt(TrainingConfig, int, Map)} with nothing given explicitly (a config built in code).
     *
     * @param config the requested config, whose {@link TrainingConfig#initFrom()} is set
     * @param pixels pixels per line of the data to fine-tune on
     * @return the config with the source's model settings
     */
    public static TrainingConfig adopt(TrainingConfig config, int pixels) {
        return adopt(config, pixels, Map.of());
    }

    /**
     * Copies the source's model settings (architecture, sizes, heads, tokens, normaliser) into a
     * config, keeping its training settings: what {@code train --init} does before training. A model
     * setting that was given explicitly ({@code given}: a flag, the environment or a config file)
     * must equal the source's: {@code --init RUN --d-model 128} on a d_model 96 source is refused,
     * naming both values, never silently trained at 96.
     *
     * @param config the requested config, whose {@link TrainingConfig#initFrom()} is set
     * @param pixels pixels per line of the data to fine-tune on
     * @param given the settings given explicitly ({@link ConfigResolver#given})
     * @return the config with the source's model settings
     * @throws BadConfigException if the source is another architecture or another pixel count, or a
     *     setting given conflicts with the source's
     */
    public static TrainingConfig adopt(TrainingConfig config, int pixels, Map<String, ConfigResolver.Given> given) {
        return adopt(config, pixels, given, have -> "the data have " + pixels + ": resample the data to " + have
                + " pixels");
    }

    /**
     * As {@link #adopt(TrainingConfig, int, Map)} for a run on the simulator ({@code train --simulate
     * --init}): the simulated lines must have the source's pixel count.
     *
     * @param config the requested config without simulation settings, whose {@link TrainingConfig#initFrom()} is set
     * @param sim the simulation settings
     * @param given the settings given explicitly ({@link ConfigResolver#given})
     * @return the config with the source's model settings and {@code sim}
     * @throws BadConfigException as {@link #adopt(TrainingConfig, int, Map)}, or if the source reads more
     *     lines than the simulated scans have
     */
    public static TrainingConfig adoptForSimulation(TrainingConfig config, SimulationConfig sim,
            Map<String, ConfigResolver.Given> given) {
        TrainingConfig adopted = adopt(config, sim.pixels(), given, have -> "--sim-pixels asks for " + sim.pixels()
                + ": simulate lines of " + have + " pixels (--sim-pixels " + have + ")");
        if (adopted.maxLines() > sim.lines()) {
            throw new BadConfigException("--init " + config.initFrom() + " reads up to " + adopted.maxLines()
                    + " lines; --sim-lines asks for scans of " + sim.lines() + ": simulate at least "
                    + adopted.maxLines() + " lines (--sim-lines " + adopted.maxLines() + ")");
        }
        return adopted.toBuilder().simulation(sim).build();
    }

    /** @param mismatch what to say, given the source's pixel count, when the run's lines have another */
    private static TrainingConfig adopt(TrainingConfig config, int pixels, Map<String, ConfigResolver.Given> given,
            java.util.function.IntFunction<String> mismatch) {
        RunFolder source = RunFolder.open(Path.of(config.initFrom()));
        TrainingConfig from = source.config();
        if (from.architecture() != config.architecture()) {
            throw new BadConfigException("--init " + config.initFrom() + " holds a " + from.architecture().id()
                    + " model; this run asks for " + config.architecture().id() + ": fine-tuning keeps the architecture");
        }
        List<String> conflicts = conflicts(config, from, given);
        if (!conflicts.isEmpty()) {
            throw new BadConfigException("--init " + config.initFrom() + ": fine-tuning keeps the model of the initial "
                    + "weights, but " + (conflicts.size() == 1 ? "this setting differs" : "these settings differ")
                    + " from it:\n  " + String.join("\n  ", conflicts) + "\nDrop " + (conflicts.size() == 1 ? "it"
                    : "them") + ", or train a new model without --init.");
        }
        if (source.pixels() != pixels) {
            throw new BadConfigException("--init " + config.initFrom() + " reads lines of " + source.pixels()
                    + " pixels; " + mismatch.apply(source.pixels()));
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

    /**
     * @return one line per setting given explicitly that the source overrides: its key, the source's
     *     value, and where the other value came from
     */
    private static List<String> conflicts(TrainingConfig asked, TrainingConfig from,
            Map<String, ConfigResolver.Given> given) {
        JsonNode want = tree(asked);
        JsonNode have = tree(from);
        List<String> out = new ArrayList<>();
        for (String key : FROM_SOURCE) {
            if (given.containsKey(key) && !want.get(key).equals(have.get(key))) {
                out.add(line(key, have.get(key), want.get(key), given.get(key)));
            }
        }
        // A widening is allowed (line differences added); a narrowing would drop trained weights.
        if (given.containsKey("lineDifference") && from.lineDifference() && !asked.lineDifference()) {
            out.add(line("lineDifference", have.get("lineDifference"), want.get("lineDifference"),
                    given.get("lineDifference")));
        }
        // The source's tip-state head is kept: a weight of 0 would silently become the source's.
        if (given.containsKey("lineStateWeight") && from.lineStateWeight() > 0 && asked.lineStateWeight() == 0) {
            out.add(line("lineStateWeight", have.get("lineStateWeight"), want.get("lineStateWeight"),
                    given.get("lineStateWeight")) + " (the initial weights have a tip-state head; give a weight above 0)");
        }
        return out;
    }

    private static JsonNode tree(TrainingConfig config) {
        try {
            return JSON.readTree(config.toJson());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot read back a config's own JSON", e);
        }
    }

    private static String line(String key, JsonNode source, JsonNode asked, ConfigResolver.Given given) {
        String flag = TrainingConfig.settings().stream().filter(s -> s.name().equals(key) && !s.flag().isEmpty())
                .map(s -> " (" + s.flag() + ")").findFirst().orElse("");
        return key + flag + ": the initial weights have " + source + ", " + given.source() + " asks for " + asked;
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
