package org.scanline.backend;

import org.scanline.run.Provenance;
import org.scanline.run.Checkpoint;
import org.scanline.run.LoadedModel;
import org.scanline.run.RunFolder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.ScanDataset;
import org.scanline.run.MetricsCsv;
import org.scanline.train.TrainingConfig;

class RunFolderTest {
    @TempDir
    Path runs;

    @Test
    void aRunFolderHoldsProvenanceMetricsAndALoadableBestModel() throws IOException {
        ScanDataset data = TinyScans.make(4, 6);
        TrainingConfig config = TinyScans.config(Architecture.LRCN, runs).epochs(3).build();
        try (DjlTrainedModel m = (DjlTrainedModel) new DjlTrainingBackend().fit(config, data)) {
            Path dir = m.runDirectory();
            assertTrue(dir.getFileName().toString().matches("\\d{8}_\\d{6}"), dir.toString());
            JsonNode info = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("config.json").toFile());
            assertEquals(1, info.get("format").asInt());
            assertEquals("lrcn", info.get("config").get("architecture").asText());
            assertEquals("per_line", info.get("normalizer").asText());
            assertEquals(List.of("a", "b", "c"), RunFolder.open(dir).classNames());
            assertEquals(Provenance.contentSha256(data), info.get("dataset").get("contentSha256").asText());
            assertEquals(config, RunFolder.open(dir).config());
            List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
            assertEquals(MetricsCsv.HEADER, csv.get(0));
            assertEquals(1 + 2 * 3, csv.size());
            assertEquals(m.history(), RunFolder.open(dir).readMetrics());
            float[] x = new float[2 * 12 * 16];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            try (LoadedModel best = RunFolder.open(dir).loadModel(Checkpoint.BEST)) {
                assertEquals(m.bestValidation().orElseThrow().epoch(), best.epoch());
                float[] expected;
                try (var scope = best.manager().newSubManager()) {
                    expected = m.model().forward(new ai.djl.training.ParameterStore(scope, false),
                            scope.create(x, new ai.djl.ndarray.types.Shape(2, 12, 16)), false).toFloatArray();
                }
                assertArrayEquals(expected, best.logits(x, 2, 12), 0f);
                assertEquals(m.model().namedWeights().keySet(), best.model().namedWeights().keySet());
            }
        }
    }
}
