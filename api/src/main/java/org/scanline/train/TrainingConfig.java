package org.scanline.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.Normalizer;

/**
 * Everything that decides a training run, immutable and validated at construction. The defaults
 * reproduce the reference recipe of the earlier implementations (6 layers, d_model 256, 8 heads,
 * FFN 1024, dropout 0.1, AdamW lr 1e-4 with weight decay 0.05, 5 warm-up epochs from 1e-6 then
 * ReduceLROnPlateau, batch 32, class weights, per-line normalisation, stratified 70/15/15 split,
 * seed 42 for the split and for the initialisation).
 *
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.builder()
 *         .architecture(Architecture.CAUSAL)
 *         .dModel(128).numLayers(4)
 *         .epochs(30)
 *         .build();
 * String json = config.toJson();
 * TrainingConfig same = TrainingConfig.fromJson(json);   // unknown keys are an error
 * }</pre>
 *
 * @param architecture model family
 * @param maxLines most lines per sample (and the model's position table)
 * @param dModel width of the transformer models
 * @param numHeads attention heads (must divide {@code dModel})
 * @param numLayers encoder layers
 * @param ffnDim feed-forward width
 * @param dropout dropout probability in [0, 1)
 * @param convChannels channels of the CNN stages (causal tokenizer, LRCN's VGG blocks)
 * @param windowLines LRCN's rolling window W, in lines
 * @param lstmHidden LRCN's LSTM units
 * @param learningRate peak learning rate
 * @param warmupStartLr learning rate at the start of the linear warm-up
 * @param warmupEpochs epochs of linear warm-up (0 for none)
 * @param schedule what follows the warm-up
 * @param plateauFactor ReduceLROnPlateau multiplier in (0, 1)
 * @param plateauPatience epochs without validation-loss improvement before the lr drops
 * @param minLr floor of the learning rate
 * @param weightDecay AdamW's decoupled weight decay
 * @param gradClipNorm global gradient-norm clip (0 disables)
 * @param batchSize samples per batch
 * @param epochs most epochs
 * @param earlyStoppingPatience epochs without validation-loss improvement before stopping (0 disables)
 * @param classWeights weight the loss by inverse class frequency N/(K·n_c)
 * @param normalizer line normalisation
 * @param flipProbability probability of a horizontal flip per sample
 * @param noiseStd standard deviation of added Gaussian noise, in normalised units (0 disables)
 * @param lineDropout probability that a line is zeroed (0 disables)
 * @param minLines fewest lines of a random partial-scan sample
 * @param samplesPerScan partial samples drawn from each training scan per epoch
 * @param trainRatio training share of the stratified split
 * @param valRatio validation share (the rest is test)
 * @param seed seed of the initialisation, augmentation and shuffling
 * @param splitSeed seed of the stratified train/validation/test split, apart from {@code seed} so that
 *        another initialisation keeps the same test scans; a config written before this key existed
 *        split with {@code seed} and reads back with {@code splitSeed = seed}
 * @param threads intra-op threads (0: the engine's default)
 * @param device {@code auto}, {@code cpu} or {@code gpu}
 * @param runsDir folder under which run folders are created
 * @param dataPath the dataset file, when training from a file (recorded for provenance)
 * @param lineStateWeight weight of the auxiliary per-line tip-state loss ({@code causal} only); above 0
 *     the model gets a second head predicting the tip state of the current line (0 disables)
 * @param spectrumTokens add each line's log power spectrum to its token ({@code causal} only)
 * @param lineDifference let each token also see its line's difference from the previous line, as a
 *     second tokenizer channel and (with spectrum tokens) its log power spectrum ({@code causal} only):
 *     what changed from one line to the next, which a line on its own cannot show
 * @param simulation train on the fly from the simulator (null: train from a dataset)
 * @param initFrom a run folder or model folder whose best weights start this run (null: random)
 */
@API(status = API.Status.STABLE)
public record TrainingConfig(
        Architecture architecture,
        int maxLines,
        int dModel,
        int numHeads,
        int numLayers,
        int ffnDim,
        double dropout,
        List<Integer> convChannels,
        int windowLines,
        int lstmHidden,
        double learningRate,
        double warmupStartLr,
        int warmupEpochs,
        Schedule schedule,
        double plateauFactor,
        int plateauPatience,
        double minLr,
        double weightDecay,
        double gradClipNorm,
        int batchSize,
        int epochs,
        int earlyStoppingPatience,
        boolean classWeights,
        Normalizer normalizer,
        double flipProbability,
        double noiseStd,
        double lineDropout,
        int minLines,
        int samplesPerScan,
        double trainRatio,
        double valRatio,
        long seed,
        long splitSeed,
        int threads,
        String device,
        String runsDir,
        String dataPath,
        double lineStateWeight,
        boolean spectrumTokens,
        boolean lineDifference,
        SimulationConfig simulation,
        String initFrom) {

    /** What the learning rate does after warm-up. */
    @API(status = API.Status.STABLE)
    public enum Schedule {
        /** Multiply by {@code plateauFactor} after {@code plateauPatience} epochs without improvement. */
        PLATEAU,
        /** Cosine decay from the peak to {@code minLr} over the remaining epochs. */
        COSINE,
        /** Keep the peak. */
        CONSTANT;

        /** @return the lower-case name used in files and flags */
        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * @param id a schedule name, case-insensitive
         * @return the schedule
         * @throws BadConfigException if none has that name
         */
        @JsonCreator
        public static Schedule fromId(String id) {
            for (Schedule s : values()) {
                if (s.name().equalsIgnoreCase(id == null ? "" : id.trim())) {
                    return s;
                }
            }
            throw new BadConfigException("unknown schedule '" + id + "': expected one of plateau, cosine, constant");
        }
    }

    // Strict on purpose: a duplicated key or 32.7 for an integer is a mistake to report, not to coerce.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /**
     * Validates every value the chosen architecture uses; see the component descriptions for the
     * allowed ranges. Settings of other architectures are kept as given and not checked, so that an
     * error never names a setting the run does not use.
     */
    public TrainingConfig {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(normalizer, "normalizer");
        convChannels = List.copyOf(Objects.requireNonNull(convChannels, "convChannels"));
        device = device == null ? "auto" : device;
        runsDir = runsDir == null ? "runs" : runsDir;
        positive("maxLines", maxLines);
        positive("batchSize", batchSize);
        positive("epochs", epochs);
        positive("minLines", minLines);
        positive("samplesPerScan", samplesPerScan);
        if (architecture != Architecture.LRCN) {
            positive("dModel", dModel);
            positive("numHeads", numHeads);
            positive("numLayers", numLayers);
            positive("ffnDim", ffnDim);
            if (dModel % numHeads != 0) {
                throw new BadConfigException("dModel (" + dModel + ") must be divisible by numHeads (" + numHeads + ")");
            }
            unit("dropout", dropout, false);
        }
        if (architecture != Architecture.VIT
                && (convChannels.isEmpty() || convChannels.stream().anyMatch(c -> c == null || c <= 0))) {
            throw new BadConfigException("convChannels must be a non-empty list of positive sizes, found " + convChannels);
        }
        if (architecture == Architecture.LRCN) {
            positive("windowLines", windowLines);
            positive("lstmHidden", lstmHidden);
            if (windowLines > maxLines) {
                throw new BadConfigException("windowLines (" + windowLines + ") must not exceed maxLines (" + maxLines + ")");
            }
        }
        if (minLines > maxLines) {
            throw new BadConfigException("minLines (" + minLines + ") must not exceed maxLines (" + maxLines + ")");
        }
        unit("flipProbability", flipProbability, true);
        unit("lineDropout", lineDropout, false);
        positiveReal("learningRate", learningRate);
        positiveReal("warmupStartLr", warmupStartLr);
        nonNegative("warmupEpochs", warmupEpochs);
        nonNegative("plateauPatience", plateauPatience);
        nonNegative("earlyStoppingPatience", earlyStoppingPatience);
        nonNegative("threads", threads);
        if (!(plateauFactor > 0 && plateauFactor < 1)) {
            throw new BadConfigException("plateauFactor must be in (0, 1), found " + plateauFactor);
        }
        nonNegativeReal("minLr", minLr);
        nonNegativeReal("weightDecay", weightDecay);
        nonNegativeReal("gradClipNorm", gradClipNorm);
        nonNegativeReal("noiseStd", noiseStd);
        nonNegativeReal("lineStateWeight", lineStateWeight);
        if (architecture != Architecture.CAUSAL && (lineStateWeight > 0 || spectrumTokens || lineDifference)) {
            throw new BadConfigException("lineStateWeight, spectrumTokens and lineDifference apply to the causal "
                    + "architecture only, found architecture " + architecture.id());
        }
        if (simulation != null && simulation.lines() < maxLines) {
            throw new BadConfigException("maxLines (" + maxLines + ") exceeds the simulated scans' lines ("
                    + simulation.lines() + ")");
        }
        if (!(trainRatio > 0 && valRatio > 0 && trainRatio + valRatio < 1 + 1e-12)) {
            throw new BadConfigException("trainRatio (" + trainRatio + ") and valRatio (" + valRatio
                    + ") must be positive and sum to at most 1");
        }
        if (!List.of("auto", "cpu", "gpu").contains(device)) {
            throw new BadConfigException("device must be auto, cpu or gpu, found '" + device + "'");
        }
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new BadConfigException(key + " must be positive, found " + value);
        }
    }

    private static void nonNegative(String key, int value) {
        if (value < 0) {
            throw new BadConfigException(key + " must not be negative, found " + value);
        }
    }

    private static void positiveReal(String key, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new BadConfigException(key + " must be a positive number, found " + value);
        }
    }

    private static void nonNegativeReal(String key, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new BadConfigException(key + " must be a non-negative number, found " + value);
        }
    }

    private static void unit(String key, double value, boolean closed) {
        if (!(value >= 0 && (closed ? value <= 1 : value < 1))) {
            throw new BadConfigException(key + " must be in [0, 1" + (closed ? "]" : ")") + ", found " + value);
        }
    }

    /** @return a builder holding the reference defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the reference recipe, unchanged */
    public static TrainingConfig defaults() {
        return builder().build();
    }

    /** @return a builder starting from this config's values */
    public Builder toBuilder() {
        try {
            return JSON.readerForUpdating(new Builder()).readValue(JSON.writeValueAsString(this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot copy the training config", e);
        }
    }

    /**
     * One config key as the command line and the environment offer it: what {@code train} turns
     * into its flags and {@code ConfigResolver} into its environment variables, from the one place
     * that also holds each key's type and default (the builder).
     *
     * @param name the key, as in JSON files and {@code --set name=value}
     * @param flag the {@code train} flag, or empty when the key is set with {@code --set} only
     * @param label the flag's parameter label
     * @param environment the environment variable that sets it, or empty for none
     * @param description what it sets, one sentence without a final period
     * @param defaultValue the reference default as text ({@code none} for null, lists comma-separated)
     */
    @API(status = API.Status.EXPERIMENTAL)
    public record Setting(String name, String flag, String label, String environment, String description,
            String defaultValue) {
    }

    /**
     * @return every config key in declaration order, with its flag, environment variable and default; the
     *     simulation's keys last, named {@code simulation.KEY} (they apply when training on the simulator)
     */
    public static List<Setting> settings() {
        List<Setting> out = new java.util.ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode defaults = JSON.valueToTree(defaults());
        for (java.lang.reflect.Field f : Builder.class.getDeclaredFields()) {
            Key k = f.getAnnotation(Key.class);
            if (k != null) {
                out.add(setting(f.getName(), k, defaults.get(f.getName())));
            }
        }
        com.fasterxml.jackson.databind.JsonNode simulation = JSON.valueToTree(SimulationConfig.defaults());
        for (java.lang.reflect.RecordComponent c : SimulationConfig.class.getRecordComponents()) {
            Key k = c.getAnnotation(Key.class);
            if (k != null) {
                out.add(setting(SIMULATION_PREFIX + c.getName(), k, simulation.get(c.getName())));
            }
        }
        return List.copyOf(out);
    }

    /** The prefix of the simulation's keys in {@link #settings()} and on the command line. */
    public static final String SIMULATION_PREFIX = "simulation.";

    private static Setting setting(String name, Key k, com.fasterxml.jackson.databind.JsonNode v) {
        String text = v == null || v.isNull() ? "none"
                : v.isArray() ? String.join(",", java.util.stream.StreamSupport.stream(v.spliterator(), false)
                        .map(com.fasterxml.jackson.databind.JsonNode::asText).toList())
                : v.asText();
        return new Setting(name, k.flag(), k.label(), k.env(), k.help(), text);
    }

    /** @return this config as indented JSON (the form written to {@code config.json}) */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the training config", e);
        }
    }

    /**
     * Reads a config from JSON. Every key must be known; missing keys take their defaults.
     *
     * @param json the JSON object
     * @return the validated config
     * @throws BadConfigException for unknown keys, wrong types or invalid values
     */
    public static TrainingConfig fromJson(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(json);
            if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o && !o.has("splitSeed") && o.has("seed")) {
                o.set("splitSeed", o.get("seed"));      // written before splitSeed existed: it split with seed
            }
            return JSON.readerForUpdating(builder()).<Builder>readValue(tree.toString()).build();
        } catch (JsonMappingException e) {
            // Jackson's own message names the Java type; the key is what the user wrote.
            List<JsonMappingException.Reference> path = e.getPath();
            String key = path.isEmpty() ? null : path.get(path.size() - 1).getFieldName();
            throw new BadConfigException("invalid training config: " + (key == null ? "" : key + ": ")
                    + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new BadConfigException("invalid training config: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Builds a {@link TrainingConfig}; starts from the reference defaults. Every setter is named after
     * the record component it sets, and the same names are the JSON keys. Each field is the one
     * definition of its key: type, default, and ({@link #settings()}) flag, environment variable and
     * description.
     */
    @API(status = API.Status.STABLE)
    public static final class Builder {
        @Key(flag = "--arch", label = "ARCH", help = "causal, vit or lrcn")
        @JsonProperty private Architecture architecture = Architecture.CAUSAL;
        @Key(flag = "--max-lines", label = "N", help = "Most lines per sample and the model's maximum")
        @JsonProperty private int maxLines = 128;
        @Key(flag = "--d-model", label = "N", env = "D_MODEL", help = "Transformer width")
        @JsonProperty private int dModel = 256;
        @Key(flag = "--heads", label = "N", env = "NUM_HEADS", help = "Attention heads, dividing --d-model")
        @JsonProperty private int numHeads = 8;
        @Key(flag = "--layers", label = "N", env = "NUM_LAYERS", help = "Transformer layers")
        @JsonProperty private int numLayers = 6;
        @Key(flag = "--ffn", label = "N", help = "Feed-forward width")
        @JsonProperty private int ffnDim = 1024;
        @Key(flag = "--dropout", label = "P", env = "DROPOUT", help = "Dropout probability")
        @JsonProperty private double dropout = 0.1;
        @Key(help = "Channels of the CNN stages, comma-separated (causal tokenizer, LRCN)")
        @JsonProperty private List<Integer> convChannels = List.of(32, 64, 128);
        @Key(flag = "--window-lines", label = "N", help = "LRCN window W in lines")
        @JsonProperty private int windowLines = 20;
        @Key(flag = "--lstm-hidden", label = "N", help = "LRCN LSTM units")
        @JsonProperty private int lstmHidden = 256;
        @Key(flag = "--lr", label = "LR", env = "LEARNING_RATE", help = "Peak learning rate")
        @JsonProperty private double learningRate = 1e-4;
        @Key(help = "Learning rate at the start of the warm-up")
        @JsonProperty private double warmupStartLr = 1e-6;
        @Key(flag = "--warmup-epochs", label = "N", help = "Epochs of linear warm-up")
        @JsonProperty private int warmupEpochs = 5;
        @Key(flag = "--schedule", label = "NAME", help = "Learning rate after warm-up: plateau, cosine or constant")
        @JsonProperty private Schedule schedule = Schedule.PLATEAU;
        @Key(help = "Plateau schedule: multiplier of the learning rate, in (0, 1)")
        @JsonProperty private double plateauFactor = 0.5;
        @Key(help = "Plateau schedule: epochs without improvement before the learning rate drops")
        @JsonProperty private int plateauPatience = 5;
        @Key(help = "Floor of the learning rate")
        @JsonProperty private double minLr = 1e-7;
        @Key(flag = "--weight-decay", label = "W", env = "WEIGHT_DECAY", help = "AdamW's decoupled weight decay")
        @JsonProperty private double weightDecay = 0.05;
        @Key(help = "Global gradient-norm clip, 0 for none")
        @JsonProperty private double gradClipNorm = 1.0;
        @Key(flag = "--batch-size", label = "N", env = "BATCH_SIZE", help = "Samples per batch")
        @JsonProperty private int batchSize = 32;
        @Key(flag = "--epochs", label = "N", env = "NUM_EPOCHS", help = "Most epochs")
        @JsonProperty private int epochs = 100;
        @Key(flag = "--patience", label = "N", env = "EARLY_STOPPING_PATIENCE", help = "Early-stopping patience in epochs, 0 for none")
        @JsonProperty private int earlyStoppingPatience = 15;
        @Key(help = "Weight the loss by inverse class frequency")
        @JsonProperty private boolean classWeights = true;
        @Key(help = "Line normalisation: per_line or none")
        @JsonProperty private Normalizer normalizer = Normalizer.PER_LINE;
        @Key(help = "Probability of a horizontal flip per sample")
        @JsonProperty private double flipProbability = 0.5;
        @Key(help = "Gaussian noise added in training, in normalised units")
        @JsonProperty private double noiseStd = 0.05;
        @Key(help = "Probability that a training line is zeroed")
        @JsonProperty private double lineDropout = 0.05;
        @Key(flag = "--min-lines", label = "N", help = "Fewest lines of a random partial-scan sample")
        @JsonProperty private int minLines = 10;
        @Key(flag = "--samples-per-scan", label = "N", help = "Partial samples drawn per training scan per epoch")
        @JsonProperty private int samplesPerScan = 1;
        @Key(flag = "--train-ratio", label = "R", env = "TRAIN_RATIO", help = "Training share of the split")
        @JsonProperty private double trainRatio = 0.70;
        @Key(flag = "--val-ratio", label = "R", env = "VAL_RATIO", help = "Validation share; the rest is test")
        @JsonProperty private double valRatio = 0.15;
        @Key(flag = "--seed", label = "N", env = "SEED", help = "Seed of the initialisation, augmentation and shuffling; not of the split")
        @JsonProperty private long seed = 42;
        @Key(flag = "--split-seed", label = "N", help = "Seed of the stratified train/validation/test split")
        @JsonProperty private long splitSeed = 42;
        @Key(flag = "--threads", label = "N", help = "Intra-op threads, 0 for the engine's")
        @JsonProperty private int threads = 0;
        @Key(flag = "--device", label = "DEV", help = "auto, cpu or gpu")
        @JsonProperty private String device = "auto";
        @Key(flag = "--runs-dir", label = "DIR", env = "CHECKPOINT_BASE_DIR", help = "Folder of run folders")
        @JsonProperty private String runsDir = "runs";
        @Key(env = "DATA_PATH", help = "The dataset file")
        @JsonProperty private String dataPath;
        @Key(flag = "--line-state-weight", label = "W", help = "Weight of the per-line tip-state loss (causal); above 0 the model gets a tip-state head")
        @JsonProperty private double lineStateWeight = 0;
        @Key(flag = "--spectrum-tokens", label = "BOOL", help = "Add each line's log power spectrum to its token (causal)")
        @JsonProperty private boolean spectrumTokens = false;
        @Key(flag = "--line-difference", label = "BOOL", help = "Let each token also see its line's difference from the previous line (causal)")
        @JsonProperty private boolean lineDifference = false;
        @Key(help = "Simulator settings for training on the fly (train --simulate)")
        @JsonProperty private SimulationConfig simulation;
        @Key(help = "Run or model folder whose best weights start the run (train --init)")
        @JsonProperty private String initFrom;

        private Builder() {
        }


        /** @param v model family @return this builder */
        public Builder architecture(Architecture v) { architecture = v; return this; }
        /** @param v most lines per sample @return this builder */
        public Builder maxLines(int v) { maxLines = v; return this; }
        /** @param v transformer width @return this builder */
        public Builder dModel(int v) { dModel = v; return this; }
        /** @param v attention heads @return this builder */
        public Builder numHeads(int v) { numHeads = v; return this; }
        /** @param v encoder layers @return this builder */
        public Builder numLayers(int v) { numLayers = v; return this; }
        /** @param v feed-forward width @return this builder */
        public Builder ffnDim(int v) { ffnDim = v; return this; }
        /** @param v dropout probability @return this builder */
        public Builder dropout(double v) { dropout = v; return this; }
        /** @param v CNN stage channels @return this builder */
        public Builder convChannels(List<Integer> v) { convChannels = v; return this; }
        /** @param v LRCN window in lines @return this builder */
        public Builder windowLines(int v) { windowLines = v; return this; }
        /** @param v LSTM units @return this builder */
        public Builder lstmHidden(int v) { lstmHidden = v; return this; }
        /** @param v peak learning rate @return this builder */
        public Builder learningRate(double v) { learningRate = v; return this; }
        /** @param v warm-up start learning rate @return this builder */
        public Builder warmupStartLr(double v) { warmupStartLr = v; return this; }
        /** @param v warm-up epochs @return this builder */
        public Builder warmupEpochs(int v) { warmupEpochs = v; return this; }
        /** @param v schedule after warm-up @return this builder */
        public Builder schedule(Schedule v) { schedule = v; return this; }
        /** @param v plateau multiplier @return this builder */
        public Builder plateauFactor(double v) { plateauFactor = v; return this; }
        /** @param v plateau patience in epochs @return this builder */
        public Builder plateauPatience(int v) { plateauPatience = v; return this; }
        /** @param v learning-rate floor @return this builder */
        public Builder minLr(double v) { minLr = v; return this; }
        /** @param v decoupled weight decay @return this builder */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /** @param v global gradient-norm clip, 0 disables @return this builder */
        public Builder gradClipNorm(double v) { gradClipNorm = v; return this; }
        /** @param v samples per batch @return this builder */
        public Builder batchSize(int v) { batchSize = v; return this; }
        /** @param v most epochs @return this builder */
        public Builder epochs(int v) { epochs = v; return this; }
        /** @param v early-stopping patience, 0 disables @return this builder */
        public Builder earlyStoppingPatience(int v) { earlyStoppingPatience = v; return this; }
        /** @param v use inverse-frequency class weights @return this builder */
        public Builder classWeights(boolean v) { classWeights = v; return this; }
        /** @param v line normalisation @return this builder */
        public Builder normalizer(Normalizer v) { normalizer = v; return this; }
        /** @param v horizontal flip probability @return this builder */
        public Builder flipProbability(double v) { flipProbability = v; return this; }
        /** @param v Gaussian noise std @return this builder */
        public Builder noiseStd(double v) { noiseStd = v; return this; }
        /** @param v line dropout probability @return this builder */
        public Builder lineDropout(double v) { lineDropout = v; return this; }
        /** @param v fewest lines of a partial sample @return this builder */
        public Builder minLines(int v) { minLines = v; return this; }
        /** @param v partial samples per scan per epoch @return this builder */
        public Builder samplesPerScan(int v) { samplesPerScan = v; return this; }
        /** @param v training share @return this builder */
        public Builder trainRatio(double v) { trainRatio = v; return this; }
        /** @param v validation share @return this builder */
        public Builder valRatio(double v) { valRatio = v; return this; }
        /** @param v seed of initialisation, augmentation and shuffling @return this builder */
        public Builder seed(long v) { seed = v; return this; }
        /** @param v seed of the train/validation/test split @return this builder */
        public Builder splitSeed(long v) { splitSeed = v; return this; }
        /** @param v intra-op threads, 0 for the default @return this builder */
        public Builder threads(int v) { threads = v; return this; }
        /** @param v auto, cpu or gpu @return this builder */
        public Builder device(String v) { device = v; return this; }
        /** @param v folder of run folders @return this builder */
        public Builder runsDir(String v) { runsDir = v; return this; }
        /** @param v dataset file, for provenance @return this builder */
        public Builder dataPath(String v) { dataPath = v; return this; }
        /** @param v auxiliary per-line tip-state loss weight, 0 disables the head @return this builder */
        public Builder lineStateWeight(double v) { lineStateWeight = v; return this; }
        /** @param v add log power spectra to the line tokens @return this builder */
        public Builder spectrumTokens(boolean v) { spectrumTokens = v; return this; }
        /** @param v let tokens see the difference from the previous line @return this builder */
        public Builder lineDifference(boolean v) { lineDifference = v; return this; }
        /** @param v simulator settings for training on the fly, null for a dataset @return this builder */
        public Builder simulation(SimulationConfig v) { simulation = v; return this; }
        /** @param v run or model folder to start from, null for random weights @return this builder */
        public Builder initFrom(String v) { initFrom = v; return this; }

        /**
         * @return the validated config
         * @throws BadConfigException if a value is out of range
         */
        public TrainingConfig build() {
            // Through Jackson rather than a positional call, so that a new key is its field and its
            // record component, nothing more; the record's constructor still validates.
            try {
                return JSON.convertValue(this, TrainingConfig.class);
            } catch (IllegalArgumentException e) {
                // The constructor's own exception, not Jackson's wrapper around it.
                for (Throwable c = e; c != null; c = c.getCause()) {
                    if (c instanceof BadConfigException || c instanceof NullPointerException) {
                        throw (RuntimeException) c;
                    }
                }
                throw e;
            }
        }
    }
}
