package org.scanline.export;

import org.scanline.model.ModelSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;
import org.scanline.Normalizer;
import org.scanline.SamplingRange;
import org.scanline.simulate.SimulatorConfig;
import org.scanline.train.SimulationConfig;
import org.scanline.run.Provenance;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainingConfig;
import org.scanline.run.RunFolder;

/**
 * What an exported file says about itself beyond its graph: the {@code scanline.*} metadata
 * values of DESIGN.md (the architecture, pixels and maximum lines come from the {@link ModelSpec}).
 *
 * @param classNames class names, index = class
 * @param normalizer the normaliser the model was trained with
 * @param temperature calibration temperature (1 = uncalibrated)
 * @param configJson the full training config as JSON
 * @param runId the training run
 * @param metricsJson validation metrics as JSON
 * @param libraryVersion the scanline version writing the file
 * @param sampling the physical sampling the model was trained on ({@code scanline.sampling}), or null when
 *     the training frames' size is not known
 */
@API(status = API.Status.EXPERIMENTAL)
public record ExportMetadata(List<String> classNames, Normalizer normalizer, double temperature, String configJson,
        String runId, String metricsJson, String libraryVersion, SamplingRange sampling) {

    /**
     * Metadata without a known sampling.
     *
     * @param classNames class names, index = class
     * @param normalizer the normaliser the model was trained with
     * @param temperature calibration temperature (1 = uncalibrated)
     * @param configJson the full training config as JSON
     * @param runId the training run
     * @param metricsJson validation metrics as JSON
     * @param libraryVersion the scanline version writing the file
     */
    public ExportMetadata(List<String> classNames, Normalizer normalizer, double temperature, String configJson,
            String runId, String metricsJson, String libraryVersion) {
        this(classNames, normalizer, temperature, configJson, runId, metricsJson, libraryVersion, null);
    }

    /** Checks and copies the values. */
    public ExportMetadata {
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(normalizer, "normalizer");
        configJson = configJson == null ? "{}" : configJson;
        runId = runId == null ? "" : runId;
        metricsJson = metricsJson == null ? "{}" : metricsJson;
        libraryVersion = libraryVersion == null ? Provenance.libraryVersion() : libraryVersion;
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive number, found " + temperature);
        }
    }

    /**
     * The metadata of a run folder's checkpoint: its classes, normaliser and config, the folder's
     * name as run id, and the validation metrics of the checkpoint's epoch from {@code metrics.csv}.
     *
     * @param run the run folder
     * @param epoch the epoch of the exported checkpoint
     * @return the metadata, temperature 1
     */
    public static ExportMetadata of(RunFolder run, int epoch) {
        return new ExportMetadata(run.classNames(), run.config().normalizer(), 1.0, run.config().toJson(),
                run.directory().getFileName().toString(), validationMetricsJson(run, epoch), null,
                trainedSampling(run.config()));
    }

    /**
     * The metadata of a model that has no run folder (a benchmark, a test): no metrics.
     *
     * @param config the config the model was built from (its normaliser and JSON are recorded)
     * @param classNames class names, index = class
     * @param runId what to record as the run
     * @return the metadata, temperature 1
     */
    public static ExportMetadata of(TrainingConfig config, List<String> classNames, String runId) {
        return new ExportMetadata(classNames, config.normalizer(), 1.0, config.toJson(), runId, "{}", null,
                trainedSampling(config));
    }

    /**
     * The sampling of the frames a run trained on, when it says: a run trained on the fly from the
     * simulator saw its square frames (edges {@link SimulatorConfig#frameMinNm()} to
     * {@link SimulatorConfig#frameMaxNm()} of the simulator's defaults, which training on the fly uses) at the
     * simulation's pixels and lines. A run trained from a dataset file does not know its frames.
     *
     * @param config the run's training config
     * @return the range, or null
     */
    static SamplingRange trainedSampling(TrainingConfig config) {
        SimulationConfig sim = config.simulation();
        if (sim == null) {
            return null;
        }
        SimulatorConfig frames = SimulatorConfig.defaults();
        return new SamplingRange(frames.frameMinNm() / sim.pixels(), frames.frameMaxNm() / sim.pixels(),
                frames.frameMinNm() / sim.lines(), frames.frameMaxNm() / sim.lines());
    }

    /**
     * @param sampling the physical sampling the model was trained on, or null
     * @return a copy with it
     */
    public ExportMetadata withSampling(SamplingRange sampling) {
        return new ExportMetadata(classNames, normalizer, temperature, configJson, runId, metricsJson, libraryVersion,
                sampling);
    }

    /** The validation row of an epoch from metrics.csv, as JSON (the last such row when there are several). */
    static String validationMetricsJson(RunFolder run, int epoch) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (EpochMetrics e : run.readMetrics()) {
            if (e.epoch() == epoch && !e.split().startsWith("train")) {
                m.put("epoch", e.epoch());
                m.put("split", e.split());
                m.put("loss", e.loss());
                m.put("accuracy", e.accuracy());
                m.put("balanced_accuracy", e.balancedAccuracy());
                m.put("auroc", e.auroc());
            }
        }
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param temperature the calibrated temperature
     * @return a copy with that temperature
     */
    public ExportMetadata withTemperature(double temperature) {
        return new ExportMetadata(classNames, normalizer, temperature, configJson, runId, metricsJson, libraryVersion, sampling);
    }

    /**
     * @param metricsJson validation metrics as JSON
     * @return a copy with those metrics
     */
    public ExportMetadata withMetrics(String metricsJson) {
        return new ExportMetadata(classNames, normalizer, temperature, configJson, runId, metricsJson, libraryVersion, sampling);
    }
}
