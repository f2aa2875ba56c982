package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scanline.Architecture;
import org.scanline.ModelFormat;

/** The exporter writes what the runtime requires, under the names {@link ModelFormat} gives. */
class ModelFormatContractTest {
    @Test
    void everyRequiredKeyIsWrittenAndTheWeightTypeIsNamed() {
        for (Architecture a : Architecture.values()) {
            Map<String, String> fp32 = OnnxExporter.metadataProps(TinyModels.spec(a), TinyModels.metadata(a, 1), false,
                    ModelFormat.VERSION);
            assertTrue(fp32.keySet().containsAll(ModelFormat.REQUIRED_KEYS), a + ": " + fp32.keySet());
            assertTrue(fp32.keySet().stream().allMatch(k -> k.startsWith(ModelFormat.PRODUCER + ".")), fp32.keySet().toString());
            assertEquals(ModelFormat.WEIGHTS_FLOAT32, fp32.get(ModelFormat.KEY_WEIGHTS));
            assertEquals(ModelFormat.WEIGHTS_INT8, OnnxExporter.metadataProps(TinyModels.spec(a), TinyModels.metadata(a, 1),
                    true, ModelFormat.VERSION).get(ModelFormat.KEY_WEIGHTS));
        }
    }
}
