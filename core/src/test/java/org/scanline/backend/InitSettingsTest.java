package org.scanline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.train.SimulationConfig;
import org.scanline.train.TrainingConfig;

/**
 * {@code train --init RUN} takes the model's size from the initial weights. A size given explicitly
 * used to be overridden without a word ({@code --d-model 128} trained d_model 96); now a given value
 * that differs is refused, naming the setting, both values and where the request came from. The
 * source is the shipped model folder (d_model 96, 3 layers, 128 pixels, line differences, a tip-state
 * head): only its {@code config.json} is read.
 */
class InitSettingsTest {
    static final Path SHIPPED = Path.of("../models/hsi100-causal-v4");
    static final int PIXELS = 128;

    static TrainingConfig asked(TrainingConfig.Builder b) {
        return b.architecture(Architecture.CAUSAL).initFrom(SHIPPED.toString()).build();
    }

    @Test
    void aSizeGivenThatDiffersFromTheInitialWeightsIsRefusedNamingBothValuesAndTheSource() {
        TrainingConfig c = asked(TrainingConfig.builder().dModel(128).numLayers(2));
        BadConfigException e = assertThrows(BadConfigException.class, () -> InitialWeights.adopt(c, PIXELS, Map.of(
                "dModel", new ConfigResolver.Given(LongNode.valueOf(128), "the command line"),
                "numLayers", new ConfigResolver.Given(LongNode.valueOf(2), "environment variable NUM_LAYERS"))));
        assertTrue(e.getMessage().contains("dModel (--d-model): the initial weights have 96, the command line asks for "
                + "128"), e.getMessage());
        assertTrue(e.getMessage().contains("numLayers (--layers): the initial weights have 3, environment variable "
                + "NUM_LAYERS asks for 2"), e.getMessage());
        assertTrue(e.getMessage().startsWith("--init " + SHIPPED), e.getMessage());
    }

    @Test
    void aSizeGivenEqualToTheSourcesOrNotGivenAtAllIsTheSources() {
        TrainingConfig same = InitialWeights.adopt(asked(TrainingConfig.builder().dModel(96)), PIXELS,
                Map.of("dModel", new ConfigResolver.Given(LongNode.valueOf(96), "the command line")));
        assertEquals(96, same.dModel());
        // The reference default (256) was not asked for: the source's size is taken, as fine-tuning must.
        TrainingConfig defaults = InitialWeights.adopt(asked(TrainingConfig.builder()), PIXELS, Map.of());
        assertEquals(96, defaults.dModel());
        assertEquals(3, defaults.numLayers());
    }

    @Test
    void droppingTheSourcesLineDifferencesOrTipStateHeadIsRefusedAddingIsNot() {
        BadConfigException e = assertThrows(BadConfigException.class, () -> InitialWeights.adopt(
                asked(TrainingConfig.builder().lineDifference(false).lineStateWeight(0)), PIXELS, Map.of(
                        "lineDifference", new ConfigResolver.Given(BooleanNode.FALSE, "config file c.yaml"),
                        "lineStateWeight", new ConfigResolver.Given(DoubleNode.valueOf(0), "the command line"))));
        assertTrue(e.getMessage().contains("lineDifference (--line-difference): the initial weights have true, config "
                + "file c.yaml asks for false"), e.getMessage());
        assertTrue(e.getMessage().contains("lineStateWeight (--line-state-weight): the initial weights have 0.5, the "
                + "command line asks for 0.0"), e.getMessage());
        TrainingConfig kept = InitialWeights.adopt(asked(TrainingConfig.builder().lineStateWeight(0.2)), PIXELS,
                Map.of("lineStateWeight", new ConfigResolver.Given(DoubleNode.valueOf(0.2), "the command line")));
        assertEquals(0.2, kept.lineStateWeight(), "a loss weight is a training setting: any value above 0 is kept");
    }

    @Test
    void givenHoldsWhatTheFileTheEnvironmentAndTheFlagsSetWithTheWinningSourceAndNoDefaults(@TempDir Path dir)
            throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), "dModel: 64\nepochs: 3\n");
        Map<String, ConfigResolver.Given> given = ConfigResolver.given(file, Map.of("D_MODEL", "80", "HOME", "/root"),
                Map.of("numLayers", "2"));
        assertEquals(java.util.Set.of("dModel", "epochs", "numLayers"), given.keySet());
        assertEquals(new ConfigResolver.Given(LongNode.valueOf(80), "environment variable D_MODEL"), given.get("dModel"));
        assertEquals("config file " + file, given.get("epochs").source());
        assertEquals(new ConfigResolver.Given(LongNode.valueOf(2), "the command line"), given.get("numLayers"));
    }

    /** Under --simulate the advice used to be "resample the data", which a simulated run has none of. */
    @Test
    void aPixelMismatchSaysWhatToChangeForDataAndForTheSimulator() {
        BadConfigException data = assertThrows(BadConfigException.class,
                () -> InitialWeights.adopt(asked(TrainingConfig.builder()), 64, Map.of()));
        assertTrue(data.getMessage().contains("the data have 64: resample the data to 128 pixels"), data.getMessage());
        SimulationConfig sim = new SimulationConfig(128, 64, 1, 1000, 2000, 10, 5, true);
        BadConfigException simulated = assertThrows(BadConfigException.class,
                () -> InitialWeights.adoptForSimulation(asked(TrainingConfig.builder()), sim, Map.of()));
        assertTrue(simulated.getMessage().contains("--sim-pixels asks for 64: simulate lines of 128 pixels "
                + "(--sim-pixels 128)"), simulated.getMessage());
        assertFalse(simulated.getMessage().contains("resample"), simulated.getMessage());
        TrainingConfig ok = InitialWeights.adoptForSimulation(asked(TrainingConfig.builder()),
                new SimulationConfig(128, 128, 1, 1000, 2000, 10, 5, true), Map.of());
        assertEquals(128, ok.simulation().pixels());
    }
}
