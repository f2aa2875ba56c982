package org.scanline.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scanline.ScanDataset;
import org.scanline.analysis.RunResults;
import org.scanline.analysis.SyntheticRuns;
import org.scanline.spi.TrainingBackend;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;

/**
 * A training backend that trains nothing: it writes a synthetic run folder named after the config's
 * layer count and remembers what it was given. Not registered as a service: tests hand it to
 * {@code TrainingSession.create(config, backend)} so other tests keep the real backend.
 */
public final class FakeTrainingBackend implements TrainingBackend {
    static final List<TrainingConfig> SEEN = new ArrayList<>();
    static final List<Integer> DATA_SIZES = new ArrayList<>();

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public TrainedModel fit(TrainingConfig config, ScanDataset data) {
        SEEN.add(config);
        DATA_SIZES.add(data.count());
        Path dir = Path.of(config.runsDir()).resolve("fake_L" + config.numLayers());
        try {
            SyntheticRuns.write(dir, config, 6, 4, 0.05 * config.numLayers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<EpochMetrics> history = RunResults.read(dir).history();
        return new TrainedModel() {
            @Override public Path runDirectory() { return dir; }
            @Override public TrainingConfig config() { return config; }
            @Override public List<EpochMetrics> history() { return history; }
            @Override public void close() { }
        };
    }

    @Override
    public TrainedModel resume(Path runDirectory, ScanDataset data) {
        throw new UnsupportedOperationException("the fake backend does not resume");
    }

    @Override
    public TrainedModel fitOnSimulator(TrainingConfig config) {
        throw new UnsupportedOperationException("the fake backend does not simulate");
    }

    @Override
    public TrainedModel resumeOnSimulator(Path runDirectory) {
        throw new UnsupportedOperationException("the fake backend does not simulate");
    }
}
