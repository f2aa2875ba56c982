package org.scanline;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a model file says about itself, read from its metadata: enough to feed it correctly and to
 * trace where it came from.
 *
 * @param formatVersion version of the model-file contract ({@code scanline.format})
 * @param architecture the architecture
 * @param classNames class names, index = class
 * @param pixels pixels per line the model expects
 * @param maxLines most lines the model accepts
 * @param normalizer the normaliser the model was trained with, applied by the runtime
 * @param temperature calibration temperature dividing the logits (1 = uncalibrated)
 * @param runId the training run the model came from
 * @param libraryVersion scanline version that wrote the file
 * @param configJson the full training config as JSON
 * @param metricsJson validation metrics as JSON
 * @param lineStateNames names of the per-line tip states the model predicts (format ≥ 2); empty when the
 *     model has no tip-state head
 * @param sampling the physical sampling the model was trained on ({@code scanline.sampling}, format ≥ 5);
 *     empty when the file does not say, and lines are then resampled by pixel count alone
 */
@API(status = API.Status.STABLE)
public record ModelInfo(int formatVersion, Architecture architecture, List<String> classNames, int pixels,
        int maxLines, Normalizer normalizer, double temperature, String runId, String libraryVersion,
        String configJson, String metricsJson, List<String> lineStateNames, Optional<SamplingRange> sampling) {

    /**
     * Model information without a known sampling (format ≤ 4, or a model trained on frames of unknown size).
     *
     * @param formatVersion version of the model-file contract
     * @param architecture the architecture
     * @param classNames class names
     * @param pixels pixels per line
     * @param maxLines most lines
     * @param normalizer the normaliser
     * @param temperature calibration temperature
     * @param runId the training run
     * @param libraryVersion scanline version that wrote the file
     * @param configJson training config JSON
     * @param metricsJson validation metrics JSON
     * @param lineStateNames names of the per-line tip states, or empty
     */
    public ModelInfo(int formatVersion, Architecture architecture, List<String> classNames, int pixels, int maxLines,
            Normalizer normalizer, double temperature, String runId, String libraryVersion, String configJson,
            String metricsJson, List<String> lineStateNames) {
        this(formatVersion, architecture, classNames, pixels, maxLines, normalizer, temperature, runId, libraryVersion,
                configJson, metricsJson, lineStateNames, Optional.empty());
    }

    /**
     * Model information without tip states (format 1, or a model without a tip-state head).
     *
     * @param formatVersion version of the model-file contract
     * @param architecture the architecture
     * @param classNames class names
     * @param pixels pixels per line
     * @param maxLines most lines
     * @param normalizer the normaliser
     * @param temperature calibration temperature
     * @param runId the training run
     * @param libraryVersion scanline version that wrote the file
     * @param configJson training config JSON
     * @param metricsJson validation metrics JSON
     */
    public ModelInfo(int formatVersion, Architecture architecture, List<String> classNames, int pixels, int maxLines,
            Normalizer normalizer, double temperature, String runId, String libraryVersion, String configJson,
            String metricsJson) {
        this(formatVersion, architecture, classNames, pixels, maxLines, normalizer, temperature, runId, libraryVersion,
                configJson, metricsJson, List.of());
    }

    /** Copies the class list and checks the values. */
    public ModelInfo {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(normalizer, "normalizer");
        classNames = List.copyOf(classNames);
        lineStateNames = List.copyOf(Objects.requireNonNull(lineStateNames, "lineStateNames"));
        Objects.requireNonNull(sampling, "sampling");
        if (classNames.size() < 2) {
            throw new BadModelException("a model needs at least 2 classes, found " + classNames);
        }
        if (pixels <= 0 || maxLines <= 0) {
            throw new BadModelException("pixels and max lines must be positive, found " + pixels + " and " + maxLines);
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new BadModelException("temperature must be a positive number, found " + temperature);
        }
    }

    /** @return the number of classes */
    public int classCount() {
        return classNames.size();
    }

    /** @return whether the model predicts the tip state of every line (and streams report tip changes) */
    public boolean hasLineStates() {
        return !lineStateNames.isEmpty();
    }
}
