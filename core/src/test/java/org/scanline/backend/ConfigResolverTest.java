package org.scanline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.train.TrainingConfig;

class ConfigResolverTest {
    @TempDir
    Path dir;

    @Test
    void laterSourcesWinDefaultsFileEnvironmentFlags() throws IOException {
        Path yaml = Files.writeString(dir.resolve("c.yaml"),
                "architecture: lrcn\nepochs: 7\nlearningRate: 0.002\nbatchSize: 16\nconvChannels: [8, 16]\n");
        TrainingConfig c = ConfigResolver.resolve(yaml, Map.of("LEARNING_RATE", "0.003", "BATCH_SIZE", "12",
                "CHECKPOINT_BASE_DIR", "/tmp/r", "UNRELATED", "x"), Map.of("batchSize", "4"));
        assertEquals(Architecture.LRCN, c.architecture());
        assertEquals(7, c.epochs());
        assertEquals(0.003, c.learningRate());
        assertEquals(4, c.batchSize());
        assertEquals("/tmp/r", c.runsDir());
        assertEquals(List.of(8, 16), c.convChannels());
        assertEquals(TrainingConfig.defaults().dModel(), c.dModel());
        assertEquals(List.of(8, 16, 32), ConfigResolver.resolve(null, Map.of(), Map.of("convChannels", "8,16,32")).convChannels());
    }

    @Test
    void jsonFilesAndEveryEnvironmentVariableAreRead() throws IOException {
        Path json = Files.writeString(dir.resolve("c.json"), "{\"numLayers\": 2}");
        Map<String, String> env = Map.ofEntries(Map.entry("LEARNING_RATE", "0.01"), Map.entry("BATCH_SIZE", "3"),
                Map.entry("NUM_EPOCHS", "4"), Map.entry("SEED", "5"), Map.entry("WEIGHT_DECAY", "0.5"),
                Map.entry("EARLY_STOPPING_PATIENCE", "6"), Map.entry("D_MODEL", "64"), Map.entry("NUM_HEADS", "4"),
                Map.entry("NUM_LAYERS", "3"), Map.entry("DROPOUT", "0.2"), Map.entry("DATA_PATH", "d.npz"),
                Map.entry("TRAIN_RATIO", "0.8"), Map.entry("VAL_RATIO", "0.1"), Map.entry("CHECKPOINT_BASE_DIR", "out"));
        TrainingConfig c = ConfigResolver.resolve(json, env, Map.of());
        assertEquals(List.of(0.01, 3, 4, 5L, 0.5, 6, 64, 4, 3, 0.2, "d.npz", 0.8, 0.1, "out"),
                List.of(c.learningRate(), c.batchSize(), c.epochs(), c.seed(), c.weightDecay(), c.earlyStoppingPatience(),
                        c.dModel(), c.numHeads(), c.numLayers(), c.dropout(), c.dataPath(), c.trainRatio(), c.valRatio(),
                        c.runsDir()));
    }

    @Test
    void unknownKeysAndBadValuesNameTheirSource() throws IOException {
        Path yaml = Files.writeString(dir.resolve("bad.yaml"), "learningrate: 0.1\n");
        BadConfigException e = assertThrows(BadConfigException.class, () -> ConfigResolver.resolve(yaml, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("bad.yaml") && e.getMessage().contains("learningrate"), e.getMessage());
        e = assertThrows(BadConfigException.class, () -> ConfigResolver.resolve(null, Map.of("BATCH_SIZE", "big"), Map.of()));
        assertTrue(e.getMessage().contains("BATCH_SIZE"), e.getMessage());
        e = assertThrows(BadConfigException.class, () -> ConfigResolver.resolve(null, Map.of(), Map.of("epochz", "1")));
        assertTrue(e.getMessage().contains("epochz"), e.getMessage());
        assertThrows(BadConfigException.class, () -> ConfigResolver.resolve(null, Map.of(), Map.of("dModel", "30", "numHeads", "8")));
    }

    private BadConfigException refused(String name, String text) throws IOException {
        Path f = Files.writeString(dir.resolve(name), text);
        BadConfigException e = assertThrows(BadConfigException.class, () -> ConfigResolver.resolve(f, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        return e;
    }

    @Test
    void aFractionForAnIntegerSettingIsRefusedNotTruncated() throws IOException {
        for (String[] file : new String[][] {{"f.yaml", "dModel: 32.7\n"}, {"f.json", "{\"dModel\": 32.7}"},
                {"g.yaml", "epochs: 3.0\n"}}) {
            BadConfigException e = refused(file[0], file[1]);
            String key = file[1].contains("epochs") ? "epochs" : "dModel";
            assertTrue(e.getMessage().contains(key + " must be an integer"), e.getMessage());
        }
        assertEquals(0.5, ConfigResolver.resolve(Files.writeString(dir.resolve("ok.yaml"), "dropout: 0.5\n"), Map.of(),
                Map.of()).dropout(), "a fraction where a number belongs is fine");
    }

    @Test
    void aKeyWrittenTwiceIsRefused() throws IOException {
        BadConfigException yaml = refused("twice.yaml", "epochs: 3\nbatchSize: 4\nepochs: 30\n");
        assertTrue(yaml.getMessage().contains("epochs"), yaml.getMessage());
        BadConfigException json = refused("twice.json", "{\"epochs\": 3, \"epochs\": 30}");
        assertTrue(json.getMessage().contains("epochs"), json.getMessage());
    }

    @Test
    void aConfigThatIsNotARegularFileIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("c.yaml");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no mkfifo on this system");
            return;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo failed");
        BadConfigException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> assertThrows(BadConfigException.class, () -> ConfigResolver.resolve(fifo, Map.of(), Map.of())));
        assertTrue(e.getMessage().contains(fifo.toString()) && e.getMessage().contains("FIFO"), e.getMessage());
    }

    @Test
    void anUnreadableConfigSaysPermissionDenied() throws IOException {
        Path f = Files.writeString(dir.resolve("secret.yaml"), "epochs: 3\n");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(f),
                "running as root: chmod 000 does not stop this process reading, so 'Permission denied' cannot happen here");
        BadConfigException e = assertThrows(BadConfigException.class, () -> ConfigResolver.resolve(f, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("Permission denied"), e.getMessage());
    }
}
