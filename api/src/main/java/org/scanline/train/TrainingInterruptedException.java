package org.scanline.train;

import java.nio.file.Path;
import java.util.Optional;
import org.apiguardian.api.API;
import org.scanline.ScanlineException;

/**
 * Training stopped at a batch boundary because it was asked to (SIGINT, SIGTERM): the run folder
 * keeps {@code last.ckpt} of the last complete epoch, from which {@link TrainingSession#resume}
 * continues; the partial epoch is trained again, so the resumed run equals an uninterrupted one.
 * Stopped before any epoch completed, nothing was saved and the new run folder was removed.
 *
 * <pre>{@code
 * try (TrainedModel m = session.fit(data)) {
 *     ...
 * } catch (TrainingInterruptedException e) {
 *     e.runDirectory().ifPresent(run -> System.err.println("resume with: scanline train --resume " + run));
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public class TrainingInterruptedException extends ScanlineException {
    private static final long serialVersionUID = 1L;

    private final transient Path runDirectory;
    private final int savedEpoch;

    /**
     * @param message what stopped training, where, and what was kept
     * @param runDirectory the run folder to resume, or null if none was kept
     * @param savedEpoch the epoch {@code last.ckpt} holds, 0 if none
     */
    public TrainingInterruptedException(String message, Path runDirectory, int savedEpoch) {
        super(message);
        this.runDirectory = runDirectory;
        this.savedEpoch = savedEpoch;
    }

    /** @return the run folder holding {@code last.ckpt}; empty if nothing was saved and the folder was removed */
    public Optional<Path> runDirectory() {
        return Optional.ofNullable(runDirectory);
    }

    /** @return the last complete epoch saved in {@code last.ckpt}, 0 if none */
    public int savedEpoch() {
        return savedEpoch;
    }
}
