package org.scanline.backend;

import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;
import org.scanline.ScanDataset;
import org.scanline.spi.TrainingBackend;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;

/**
 * The DJL/PyTorch training backend, registered in
 * {@code META-INF/services/org.scanline.spi.TrainingBackend} under the name {@code djl}. Use it
 * through {@link org.scanline.train.TrainingSession}; the extra listeners constructor is for
 * embedding and tests.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class DjlTrainingBackend implements TrainingBackend {
    private final List<TrainingListener> listeners;

    /** The backend as {@link java.util.ServiceLoader} creates it. */
    public DjlTrainingBackend() {
        this(List.of());
    }

    /** @param listeners extra listeners, called after the built-in ones (early stopping, checkpoints, progress) */
    public DjlTrainingBackend(List<TrainingListener> listeners) {
        this.listeners = List.copyOf(listeners);
        System.setProperty("ai.djl.offline", "true");
    }

    @Override
    public String name() {
        return TrainingLoop.BACKEND;
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public TrainedModel fit(TrainingConfig config, ScanDataset data) {
        return TrainingLoop.fit(config, data, listeners);
    }

    @Override
    public TrainedModel resume(Path runDirectory, ScanDataset data) {
        return TrainingLoop.resume(runDirectory, data, listeners);
    }

    @Override
    public TrainedModel fitOnSimulator(TrainingConfig config) {
        return TrainingLoop.fitOnSimulator(config, listeners);
    }

    @Override
    public TrainedModel resumeOnSimulator(Path runDirectory) {
        return TrainingLoop.resumeOnSimulator(runDirectory, listeners);
    }
}
