package org.scanline.spi;

import java.nio.file.Path;
import org.apiguardian.api.API;
import org.scanline.ScanDataset;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;

/**
 * A training backend, found at run time through {@link java.util.ServiceLoader} the way SLF4J
 * finds its provider. A backend jar lists its implementation in
 * {@code META-INF/services/org.scanline.spi.TrainingBackend}; {@code scanline-core} ships the
 * DJL/PyTorch one. With several on the classpath, the system property {@value #BACKEND_PROPERTY}
 * picks one by {@link #name()}.
 *
 * <p>Implementations return {@link #SPI_VERSION} from {@link #spiVersion()}: the constant is
 * compiled into the implementation, so it records the version the backend was built against and
 * {@code TrainingSession} refuses a backend built for another one, naming both.
 */
@API(status = API.Status.EXPERIMENTAL)
public interface TrainingBackend {

    /** Version of this interface; bump on any incompatible change. */
    int SPI_VERSION = 2;

    /** System property naming the backend to use when several are present. */
    String BACKEND_PROPERTY = "scanline.backend";

    /** @return short unique name, e.g. {@code djl} */
    String name();

    /** @return {@link #SPI_VERSION} as seen when the backend was compiled */
    int spiVersion();

    /**
     * Trains a model and writes a run folder under {@link TrainingConfig#runsDir()}.
     *
     * @param config validated config
     * @param data the whole labelled dataset; the backend splits it as configured
     * @return the trained model with its run folder and history
     */
    TrainedModel fit(TrainingConfig config, ScanDataset data);

    /**
     * Continues an interrupted run from its last complete epoch.
     *
     * @param runDirectory the run folder to continue, written by this backend
     * @param data the dataset the run was started on (its hash is checked)
     * @return the trained model once the run finishes
     */
    TrainedModel resume(Path runDirectory, ScanDataset data);

    /**
     * Trains on scans drawn fresh from the built-in simulator at every step, validating on a fixed
     * held-out simulated set ({@link TrainingConfig#simulation()} must be set).
     *
     * @param config validated config with a simulation
     * @return the trained model with its run folder and history
     */
    TrainedModel fitOnSimulator(TrainingConfig config);

    /**
     * Continues an interrupted simulator-driven run from its last complete epoch.
     *
     * @param runDirectory the run folder, written by {@link #fitOnSimulator}
     * @return the trained model once the run finishes
     */
    TrainedModel resumeOnSimulator(Path runDirectory);
}
