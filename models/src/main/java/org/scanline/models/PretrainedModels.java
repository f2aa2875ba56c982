package org.scanline.models;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apiguardian.api.API;
import org.scanline.BadModelException;
import org.scanline.ScanLineClassifier;

/**
 * The classifiers shipped with scanline, read from this artifact's class path: acquisition
 * software that adds {@code org.scanline:scanline-models} next to {@code scanline-api} has a
 * working classifier without a file path. Each model has a card in {@code docs/models/}.
 *
 * <pre>{@code
 * try (ScanLineClassifier classifier = PretrainedModels.open();
 *      LineStream stream = classifier.newStream()) {
 *     Prediction p = stream.push(line);
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class PretrainedModels {
    /**
     * The default model: causal, 128 px × 128 lines, trained on the simulator's H:Si(100) scans, with
     * a per-line tip-state head; format 5, so it knows the physical sampling it was trained on and
     * carries the surface check (docs/models/hsi100-causal-v5.md). Its weights are
     * {@link #PREVIOUS}'s.
     */
    public static final String DEFAULT = "hsi100-causal-v5";
    /** The previous default, the same weights in format 4: no sampling, no surface check. */
    public static final String PREVIOUS = "hsi100-causal-v4";
    /** Every shipped model, by name. */
    public static final List<String> NAMES = List.of(DEFAULT, PREVIOUS);

    private PretrainedModels() {
    }

    /**
     * Opens the default model in fp32 with the default options.
     *
     * @return the classifier (close it)
     */
    public static ScanLineClassifier open() {
        return open(DEFAULT, false, ScanLineClassifier.Options.defaults());
    }

    /**
     * @param name one of {@link #NAMES}
     * @param int8 the int8 file (smaller and faster; its accuracy against fp32 is on the model card)
     * @param options classifier options
     * @return the classifier (close it)
     * @throws BadModelException if no model has that name
     */
    public static ScanLineClassifier open(String name, boolean int8, ScanLineClassifier.Options options) {
        String resource = resource(name, int8);
        try (InputStream in = PretrainedModels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BadModelException("no shipped model '" + name + "' (" + resource + ") on the class path; "
                        + "shipped models: " + NAMES);
            }
            return ScanLineClassifier.open(in, options);
        } catch (IOException e) {
            throw new BadModelException(resource + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * @param name model name
     * @param int8 the int8 file
     * @return the class-path resource holding it
     */
    public static String resource(String name, boolean int8) {
        return "/org/scanline/models/" + name + "/" + (int8 ? "model-int8.onnx" : "model.onnx");
    }
}
