package org.scanline.train;

import java.nio.file.Path;
import java.util.Objects;
import java.util.ServiceLoader;
import org.apiguardian.api.API;
import org.scanline.BackendMissingException;
import org.scanline.ScanDataset;
import org.scanline.spi.Providers;
import org.scanline.spi.TrainingBackend;

/**
 * Entry point for training: binds to a {@link TrainingBackend} found on the classpath and runs it
 * with a validated {@link TrainingConfig}.
 *
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.builder().architecture(Architecture.CAUSAL).epochs(20).build();
 * try (TrainedModel model = TrainingSession.create(config).fit(dataset)) {
 *     System.out.println(model.runDirectory() + " " + model.bestValidation());
 * }
 * }</pre>
 *
 * <p>Without a backend on the classpath {@link #create} throws {@link BackendMissingException}
 * naming the artifact to add ({@value #DEFAULT_BACKEND_ARTIFACT}); inference with
 * {@code ScanLineClassifier} needs no backend.
 */
@API(status = API.Status.STABLE)
public final class TrainingSession {
    /** The artifact that provides the default backend. */
    public static final String DEFAULT_BACKEND_ARTIFACT = "org.scanline:scanline-core";

    private final TrainingConfig config;
    private final TrainingBackend backend;

    private TrainingSession(TrainingConfig config, TrainingBackend backend) {
        this.config = config;
        this.backend = backend;
    }

    /**
     * Creates a session on the backend found on the classpath.
     *
     * @param config the run's config
     * @return a session ready to {@link #fit}
     * @throws BackendMissingException if no compatible backend is found
     */
    public static TrainingSession create(TrainingConfig config) {
        return create(config, discover(ServiceLoader.load(TrainingBackend.class), System.getProperty(TrainingBackend.BACKEND_PROPERTY)));
    }

    /**
     * Creates a session on a given backend, bypassing discovery (tests, embedding).
     *
     * @param config the run's config
     * @param backend the backend to use
     * @return a session
     * @throws BackendMissingException if the backend was built for another SPI version
     */
    public static TrainingSession create(TrainingConfig config, TrainingBackend backend) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(backend, "backend");
        checkVersion(backend);
        return new TrainingSession(config, backend);
    }

    static TrainingBackend discover(Iterable<TrainingBackend> candidates, String wanted) {
        return Providers.choose(candidates, TrainingBackend::name, "training backend", TrainingBackend.BACKEND_PROPERTY,
                wanted, "no training backend on the classpath: add the artifact " + DEFAULT_BACKEND_ARTIFACT
                        + " (inference needs only scanline-api)");
    }

    private static void checkVersion(TrainingBackend backend) {
        if (backend.spiVersion() != TrainingBackend.SPI_VERSION) {
            throw new BackendMissingException("training backend '" + backend.name() + "' was built for SPI version "
                    + backend.spiVersion() + " but this scanline-api has version " + TrainingBackend.SPI_VERSION
                    + ": use matching versions of scanline-api and " + DEFAULT_BACKEND_ARTIFACT);
        }
    }

    /** @return the config this session trains with */
    public TrainingConfig config() {
        return config;
    }

    /** @return the name of the backend in use */
    public String backendName() {
        return backend.name();
    }

    /**
     * Trains on a dataset, splitting it as the config says, and writes a run folder.
     *
     * @param data the labelled scans
     * @return the trained model (close it)
     */
    public TrainedModel fit(ScanDataset data) {
        return backend.fit(config, Objects.requireNonNull(data, "data"));
    }

    /**
     * Continues an interrupted run; the config stored in the run folder wins over this session's.
     *
     * @param runDirectory the run folder
     * @param data the dataset the run was started on
     * @return the trained model (close it)
     */
    public TrainedModel resume(Path runDirectory, ScanDataset data) {
        return backend.resume(Objects.requireNonNull(runDirectory, "runDirectory"), Objects.requireNonNull(data, "data"));
    }

    /**
     * Trains on fresh simulated scans at every step (see {@link SimulationConfig}) and writes a run
     * folder.
     *
     * @return the trained model (close it)
     * @throws org.scanline.BadConfigException if the config has no {@link TrainingConfig#simulation()}
     */
    public TrainedModel fitOnSimulator() {
        if (config.simulation() == null) {
            throw new org.scanline.BadConfigException("fitOnSimulator needs a simulation in the training config "
                    + "(TrainingConfig.Builder.simulation(SimulationConfig.defaults()))");
        }
        return backend.fitOnSimulator(config);
    }

    /**
     * Continues an interrupted simulator-driven run; the config stored in the run folder wins.
     *
     * @param runDirectory the run folder
     * @return the trained model (close it)
     */
    public TrainedModel resumeOnSimulator(Path runDirectory) {
        return backend.resumeOnSimulator(Objects.requireNonNull(runDirectory, "runDirectory"));
    }
}
