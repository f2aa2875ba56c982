package org.scanline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.train.TrainingConfig;

/** The config files the docs tell users to pass to {@code train --config} load, with the values the docs state. */
class DocumentedConfigsTest {
    @Test
    void small25IsTheRecipeOfResultsMd() {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("docs/configs"))) {
            root = root.getParent();
        }
        Assumptions.assumeTrue(root != null, "docs/configs not found above the working directory");
        TrainingConfig c = ConfigResolver.resolve(root.resolve("docs/configs/small25.yaml"), Map.of(), Map.of());
        assertEquals(64, c.maxLines());
        assertEquals(16, c.minLines());
        assertEquals(64, c.dModel());
        assertEquals(2, c.numLayers());
        assertEquals(List.of(16, 32, 64), c.convChannels());
        assertEquals(1e-3, c.learningRate());
        assertEquals(25, c.epochs());
        assertEquals(6, c.earlyStoppingPatience());
        assertEquals(0.02, c.lineDropout());
        assertEquals(42, c.splitSeed());
        assertEquals(256, c.lstmHidden());
    }

    /** The file names the small preset instead of copying it, and resolves to the recipe it spelt out before. */
    @Test
    void small25ReadsTheSmallPresetAndResolvesAsWrittenOut(@TempDir Path dir) throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("docs/configs"))) {
            root = root.getParent();
        }
        Assumptions.assumeTrue(root != null, "docs/configs not found above the working directory");
        Path spelt = dir.resolve("small25-spelt-out.yaml");
        Files.writeString(spelt, ""
                + "maxLines: 64\n"
                + "minLines: 16\n"
                + "dModel: 64\n"
                + "numHeads: 4\n"
                + "numLayers: 2\n"
                + "ffnDim: 128\n"
                + "convChannels: [16, 32, 64]\n"
                + "learningRate: 1.0e-3\n"
                + "warmupEpochs: 1\n"
                + "warmupStartLr: 1.0e-4\n"
                + "batchSize: 32\n"
                + "samplesPerScan: 1\n"
                + "epochs: 25\n"
                + "earlyStoppingPatience: 6\n"
                + "plateauPatience: 2\n"
                + "noiseStd: 0.05\n"
                + "flipProbability: 0.5\n"
                + "lineDropout: 0.02\n"
                + "threads: 1\n");
        assertTrue(Files.readString(root.resolve("docs/configs/small25.yaml")).contains("size: small"));
        assertEquals(ConfigResolver.resolve(spelt, Map.of(), Map.of()),
                ConfigResolver.resolve(root.resolve("docs/configs/small25.yaml"), Map.of(), Map.of()));
    }
}
