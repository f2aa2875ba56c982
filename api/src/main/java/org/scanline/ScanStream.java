package org.scanline;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A stream of a scan's lines as the instrument acquires them, at the instrument's own sampling: any
 * pixel count, any frame size, any number of lines. The runtime brings the lines to the model's
 * physical sampling (along the line by physical length, with tiles where a line is longer than the
 * model's field; across lines by taking them at the model's spacing), repairs isolated non-finite
 * pixels, and follows the scan past the model's {@link ModelInfo#maxLines()} to its last line.
 * Made by {@link ScanLineClassifier#newStream(Sampling, int)}; one thread at a time.
 *
 * <pre>{@code
 * try (ScanStream stream = classifier.newStream(Sampling.ofFrame(20, 20, 512, 512), 512)) {
 *     for (float[] line : acquisition) {
 *         stream.push(line).filter(p -> !p.uncertain()).ifPresent(this::act);
 *     }
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public interface ScanStream extends AutoCloseable {

    /**
     * Adds the next acquired line (line 0 first). The line is not modified.
     *
     * @param line the raw pixels of one line, as many as the stream was made for; isolated NaN or
     *     infinite pixels are repaired, a line with too many is skipped and counted
     * @return the prediction given every line so far; empty until the first line at the model's
     *     spacing is complete (a fine frame needs several acquired lines for one model line) and
     *     while only skipped lines have arrived
     * @throws BadDataException for a line of the wrong width (the stream is left as it was)
     * @throws IllegalStateException if the stream or its classifier is closed
     */
    Optional<Prediction> push(float[] line);

    /** @return the prediction after the last line, or empty if there is none yet */
    Optional<Prediction> latest();

    /** @return acquired lines pushed since creation or the last {@link #reset()}, skipped ones included */
    int linesPushed();

    /** @return acquired lines skipped because too many of their pixels were NaN or infinite */
    int linesSkipped();

    /** @return isolated NaN or infinite pixels repaired by interpolation along their line */
    int pixelsRepaired();

    /** @return the sampling the stream was made for */
    Sampling sampling();

    /** Forgets every line pushed, ready for the next frame of the same sampling. */
    void reset();

    /** Releases the stream's native buffers; calling it twice is harmless. */
    @Override
    void close();
}
