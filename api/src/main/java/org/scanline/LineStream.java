package org.scanline;

import org.apiguardian.api.API;

/**
 * A per-scan stream of lines into a {@link ScanLineClassifier}: push each line as the microscope
 * acquires it and get a prediction back after every line. A stream belongs to one thread; the
 * classifier that made it may serve many streams at once. A stream used from two threads at once
 * refuses the second with an {@link IllegalStateException} rather than corrupt its native state;
 * {@link #close()} from another thread is safe at any time.
 *
 * <pre>{@code
 * try (LineStream stream = classifier.newStream()) {
 *     for (float[] line : acquisition) {
 *         Prediction p = stream.push(line);
 *         if (!p.uncertain()) { act(p); break; }
 *     }
 * }
 * }</pre>
 *
 * <p>A bad line (wrong width, NaN or infinite pixels) or a push past the model's maximum number of
 * lines throws {@link BadDataException} and leaves the stream as it was before the call, so the
 * caller may push a corrected line or {@link #reset()}.
 */
@API(status = API.Status.STABLE)
public interface LineStream extends AutoCloseable {

    /**
     * Adds the next line of the scan (line 0 first) and returns the prediction after it.
     * The line is not modified; normalisation happens inside.
     *
     * @param line the raw pixels of one line, exactly {@link ScanLineClassifier#pixels()} long
     * @return the prediction given every line pushed so far
     * @throws BadDataException for a wrong width, a non-finite pixel, or a line beyond the maximum
     * @throws IllegalStateException if the stream or its classifier is closed, or another thread is
     *         inside this stream
     */
    Prediction push(float[] line);

    /** @return the number of lines pushed since creation or the last {@link #reset()} */
    int linesSeen();

    /**
     * Forgets every line pushed, ready for the next scan.
     *
     * @throws IllegalStateException as {@link #push}
     */
    void reset();

    /**
     * Releases the stream's native buffers; calling it twice is harmless. Called while another
     * thread is inside {@link #push}, it returns at once and that push releases them as it ends.
     */
    @Override
    void close();
}
