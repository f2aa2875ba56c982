package org.scanline.export;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;
import org.scanline.Normalizer;

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
 */
@API(status = API.Status.EXPERIMENTAL)
public record ExportMetadata(List<String> classNames, Normalizer normalizer, double temperature, String configJson,
        String runId, String metricsJson, String libraryVersion) {

    /** Checks and copies the values. */
    public ExportMetadata {
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(normalizer, "normalizer");
        configJson = configJson == null ? "{}" : configJson;
        runId = runId == null ? "" : runId;
        metricsJson = metricsJson == null ? "{}" : metricsJson;
        libraryVersion = libraryVersion == null ? OnnxExporter.libraryVersion() : libraryVersion;
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive number, found " + temperature);
        }
    }

    /**
     * @param temperature the calibrated temperature
     * @return a copy with that temperature
     */
    public ExportMetadata withTemperature(double temperature) {
        return new ExportMetadata(classNames, normalizer, temperature, configJson, runId, metricsJson, libraryVersion);
    }

    /**
     * @param metricsJson validation metrics as JSON
     * @return a copy with those metrics
     */
    public ExportMetadata withMetrics(String metricsJson) {
        return new ExportMetadata(classNames, normalizer, temperature, configJson, runId, metricsJson, libraryVersion);
    }
}
