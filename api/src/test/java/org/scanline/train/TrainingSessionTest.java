package org.scanline.train;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scanline.BackendMissingException;
import org.scanline.ScanDataset;
import org.scanline.spi.TrainingBackend;

class TrainingSessionTest {

    /** A backend that records what it was asked to do. */
    private static final class FakeBackend implements TrainingBackend {
        private final String name;
        private final int version;
        TrainingConfig fitConfig;
        ScanDataset fitData;

        FakeBackend(String name, int version) {
            this.name = name;
            this.version = version;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int spiVersion() {
            return version;
        }

        @Override
        public TrainedModel fit(TrainingConfig config, ScanDataset data) {
            fitConfig = config;
            fitData = data;
            return null;
        }

        @Override
        public TrainedModel resume(Path runDirectory, ScanDataset data) {
            return null;
        }

        @Override
        public TrainedModel fitOnSimulator(TrainingConfig config) {
            fitConfig = config;
            return null;
        }

        @Override
        public TrainedModel resumeOnSimulator(Path runDirectory) {
            return null;
        }
    }

    @Test
    void noBackendOnTheApiClasspathNamesTheArtifact() {
        BackendMissingException e = assertThrows(BackendMissingException.class,
                () -> TrainingSession.create(TrainingConfig.defaults()));
        assertTrue(e.getMessage().contains("org.scanline:scanline-core"), e.getMessage());
    }

    @Test
    void backendForAnotherSpiVersionIsRefusedNamingBoth() {
        FakeBackend old = new FakeBackend("old", TrainingBackend.SPI_VERSION + 41);
        BackendMissingException e = assertThrows(BackendMissingException.class,
                () -> TrainingSession.create(TrainingConfig.defaults(), old));
        assertTrue(e.getMessage().contains("version " + (TrainingBackend.SPI_VERSION + 41))
                && e.getMessage().contains("version " + TrainingBackend.SPI_VERSION), e.getMessage());
    }

    @Test
    void propertySelectsAmongSeveral() {
        FakeBackend a = new FakeBackend("a", TrainingBackend.SPI_VERSION);
        FakeBackend b = new FakeBackend("b", TrainingBackend.SPI_VERSION);
        assertSame(b, TrainingSession.discover(List.of(a, b), "b"));
        assertSame(a, TrainingSession.discover(List.of(a, b), null), "first found without the property");
        BackendMissingException e = assertThrows(BackendMissingException.class,
                () -> TrainingSession.discover(List.of(a, b), "c"));
        assertTrue(e.getMessage().contains("'c'") && e.getMessage().contains("[a, b]"), e.getMessage());
    }

    @Test
    void fitHandsConfigAndDataToTheBackend() {
        FakeBackend a = new FakeBackend("a", TrainingBackend.SPI_VERSION);
        TrainingConfig config = TrainingConfig.builder().epochs(2).build();
        ScanDataset data = new ScanDataset("mem", new float[4], 1, 2, 2, new int[] {0}, List.of("x"));
        TrainingSession.create(config, a).fit(data);
        assertSame(config, a.fitConfig);
        assertSame(data, a.fitData);
    }
}
