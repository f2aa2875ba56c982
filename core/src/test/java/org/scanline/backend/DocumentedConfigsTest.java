package org.scanline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
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
    }
}
