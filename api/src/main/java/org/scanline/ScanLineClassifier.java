package org.scanline;

import java.util.List;
import org.apiguardian.api.API;

/**
 * A trained tip-state classifier loaded from one {@code .onnx} file: classify full or partial
 * scans, or stream lines one by one as the microscope acquires them.
 *
 * <p>One classifier is meant to be shared (one per microscope) and is thread-safe; each
 * {@link LineStream} belongs to one thread. Normalisation is applied inside, exactly as in
 * training. The classifier holds native memory: close it when done.
 *
 * <pre>{@code
 * try (ScanLineClassifier classifier = ScanLineClassifier.open(Path.of("model.onnx"));
 *      LineStream stream = classifier.newStream()) {
 *     Prediction p = stream.push(firstLine);
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE)
public interface ScanLineClassifier extends AutoCloseable {

    /** @return what the model file says about itself */
    ModelInfo info();

    /** @return the class names, index = class */
    default List<String> classNames() {
        return info().classNames();
    }

    /** @return pixels per line the model expects */
    default int pixels() {
        return info().pixels();
    }

    /** @return the model's architecture */
    default Architecture architecture() {
        return info().architecture();
    }

    /**
     * Classifies a full or partial scan (line 0 first).
     *
     * @param scan lines × pixels, 1 to {@link ModelInfo#maxLines()} lines; not modified
     * @return the prediction after the last line
     * @throws BadDataException for a wrong width, non-finite pixels, no lines or too many lines
     */
    Prediction classify(float[][] scan);

    /**
     * Classifies several scans with one model call where their line counts agree.
     *
     * @param scans scans, each lines × pixels
     * @return one prediction per scan, in order
     * @throws BadDataException as {@link #classify(float[][])}, naming the scan index
     */
    List<Prediction> classifyBatch(List<float[][]> scans);

    /** @return a new stream positioned before line 0 */
    LineStream newStream();

    /** Releases the native session; streams still open fail on their next push. Idempotent. */
    @Override
    void close();
}
