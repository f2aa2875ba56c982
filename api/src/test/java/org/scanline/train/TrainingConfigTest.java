package org.scanline.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.Normalizer;

class TrainingConfigTest {

    @Test
    void jsonRoundTripIsEqual() {
        TrainingConfig c = TrainingConfig.builder().architecture(Architecture.values()[Architecture.values().length - 1])
                .epochs(3).dModel(64).numHeads(4).batchSize(8).convChannels(List.of(8, 16))
                .normalizer(Normalizer.NONE).seed(123).learningRate(3e-4).build();
        String json = c.toJson();
        assertEquals(c, TrainingConfig.fromJson(json));
        assertEquals(TrainingConfig.defaults(), TrainingConfig.fromJson(TrainingConfig.defaults().toJson()));
        assertEquals(TrainingConfig.defaults(), TrainingConfig.fromJson("{}"), "missing keys take defaults");
    }

    @Test
    void unknownKeyIsAnError() {
        BadConfigException e = assertThrows(BadConfigException.class, () -> TrainingConfig.fromJson("{\"epochz\": 3}"));
        assertTrue(e.getMessage().contains("epochz"), e.getMessage());
    }

    @Test
    void invalidValuesNameTheKey() {
        BadConfigException heads = assertThrows(BadConfigException.class,
                () -> TrainingConfig.builder().dModel(100).numHeads(8).build());
        assertTrue(heads.getMessage().contains("dModel") && heads.getMessage().contains("numHeads"), heads.getMessage());
        BadConfigException batch = assertThrows(BadConfigException.class,
                () -> TrainingConfig.fromJson("{\"batchSize\": 0}"));
        assertTrue(batch.getMessage().contains("batchSize"), batch.getMessage());
        BadConfigException type = assertThrows(BadConfigException.class,
                () -> TrainingConfig.fromJson("{\"epochs\": \"many\"}"));
        assertTrue(type.getMessage().contains("invalid training config"), type.getMessage());
    }

    @Test
    void noCoercionOfFractionsAndNoDuplicateKeys() {
        BadConfigException fraction = assertThrows(BadConfigException.class,
                () -> TrainingConfig.fromJson("{\"dModel\": 32.7}"));
        assertTrue(fraction.getMessage().contains("dModel"), fraction.getMessage());
        BadConfigException twice = assertThrows(BadConfigException.class,
                () -> TrainingConfig.fromJson("{\"epochs\": 3, \"epochs\": 30}"));
        assertTrue(twice.getMessage().contains("epochs"), twice.getMessage());
    }

    /** A setting the chosen architecture does not use is neither checked nor named in an error. */
    @Test
    void errorsNameOnlySettingsTheArchitectureUses() {
        TrainingConfig lrcn = TrainingConfig.builder().architecture(Architecture.LRCN).dModel(100).numHeads(8)
                .numLayers(0).ffnDim(0).dropout(1.5).build();
        assertEquals(100, lrcn.dModel(), "kept as given");
        TrainingConfig vit = TrainingConfig.builder().architecture(Architecture.VIT).convChannels(List.of())
                .windowLines(1000).lstmHidden(0).build();
        assertEquals(1000, vit.windowLines());
        TrainingConfig.builder().architecture(Architecture.CAUSAL).windowLines(0).lstmHidden(-1).build();

        BadConfigException window = assertThrows(BadConfigException.class,
                () -> TrainingConfig.builder().architecture(Architecture.LRCN).windowLines(1000).dModel(100).build());
        assertTrue(window.getMessage().startsWith("windowLines (1000)"), window.getMessage());
        BadConfigException heads = assertThrows(BadConfigException.class,
                () -> TrainingConfig.builder().architecture(Architecture.VIT).dModel(100).windowLines(1000).build());
        assertTrue(heads.getMessage().startsWith("dModel (100) must be divisible"), heads.getMessage());
        BadConfigException conv = assertThrows(BadConfigException.class,
                () -> TrainingConfig.builder().architecture(Architecture.CAUSAL).convChannels(List.of()).build());
        assertTrue(conv.getMessage().startsWith("convChannels"), conv.getMessage());
    }
}
