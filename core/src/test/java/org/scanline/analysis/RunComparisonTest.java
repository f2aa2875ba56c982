package org.scanline.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.train.TrainingConfig;

class RunComparisonTest {
    @TempDir
    Path tmp;

    private List<RunResults> runs() throws Exception {
        TrainingConfig base = TrainingConfig.builder().epochs(20).runsDir("elsewhere").build();
        return List.of(
                RunResults.read(SyntheticRuns.write(tmp.resolve("a"), base.toBuilder().learningRate(1e-3).build(), 20, 8, 0.55)),
                RunResults.read(SyntheticRuns.write(tmp.resolve("b"), base.toBuilder().learningRate(1e-4).numLayers(8).build(), 20, 12, 0.71)),
                RunResults.read(SyntheticRuns.write(tmp.resolve("c"), base.toBuilder().runsDir("x").threads(2).build(), 20, 10, 0.62)));
    }

    @Test
    void showsOnlyDifferingKeysAndSortsBestFirst() throws Exception {
        RunComparison c = RunComparison.of(runs());
        assertEquals(List.of("numLayers", "learningRate"), c.differingKeys(), "runsDir/threads are not differences");
        assertEquals(List.of("b", "c", "a"), c.rows().stream().map(RunComparison.Row::run).toList());
        RunComparison.Row best = c.rows().get(0);
        assertEquals(0.71, best.validBalancedAccuracy(), 1e-9);
        assertEquals(12, best.bestEpoch());
        assertEquals(20, best.epochs());
        assertEquals(20 * (10.0 + 2.0), best.seconds(), 1e-9, "train and valid phases both count");
        String table = c.table();
        String[] lines = table.split("\n");
        assertTrue(lines[0].startsWith("run  numLayers  learningRate  epochs  best_epoch  valid_bal_acc"), table);
        assertTrue(lines[2].startsWith("b "), table);
        assertTrue(lines[2].contains("0.7100"), table);
    }

    @Test
    void keysAnArchitectureDoesNotReadAreNotDifferences() throws Exception {
        TrainingConfig base = TrainingConfig.builder().epochs(10).build();
        List<RunResults> runs = List.of(
                RunResults.read(SyntheticRuns.write(tmp.resolve("causal"), base.toBuilder().dModel(64).build(), 10, 5, 0.5)),
                RunResults.read(SyntheticRuns.write(tmp.resolve("lrcn8"),
                        base.toBuilder().architecture(org.scanline.Architecture.LRCN).windowLines(8).build(), 10, 5, 0.6)),
                RunResults.read(SyntheticRuns.write(tmp.resolve("lrcn30"),
                        base.toBuilder().architecture(org.scanline.Architecture.LRCN).windowLines(30).build(), 10, 5, 0.4)));
        RunComparison c = RunComparison.of(runs);
        assertEquals(List.of("architecture", "windowLines"), c.differingKeys(),
                "dModel is read by the causal run only; windowLines differs between the lrcn runs");
        RunComparison.Row causal = c.rows().stream().filter(r -> r.run().equals("causal")).findFirst().orElseThrow();
        assertEquals(null, causal.settings().get("windowLines"));
        assertTrue(c.table().split("\n")[3].matches("causal +causal +- .*"), c.table());
    }

    @Test
    void csvAndJsonCarryTheSameRows() throws Exception {
        Path a = tmp.resolve("a");
        RunComparison c = RunComparison.of(runs());
        String[] csv = c.toCsv().split("\n");
        assertEquals("run,numLayers,learningRate,epochs,best_epoch,valid_bal_acc,valid_auroc,time_s", csv[0]);
        assertTrue(csv[1].startsWith("b,8,1.0E-4,20,12,0.71"), csv[1]);
        JsonNode json = new ObjectMapper().readTree(c.toJson());
        assertEquals("b", json.at("/runs/0/run").asText());
        assertEquals(8, json.at("/runs/0/settings/numLayers").asInt());
        assertTrue(json.at("/runs/0/test_balanced_accuracy").isNull());
        assertTrue(Files.isDirectory(a));
    }

    @Test
    void addsTestColumnsWhenEvaluationExists() throws Exception {
        List<RunResults> runs = runs();
        Files.writeString(tmp.resolve("a/evaluation.json"), "{\"overall\":{\"balanced_accuracy\":0.5,\"auroc\":0.8}}");
        RunComparison c = RunComparison.of(List.of(RunResults.read(tmp.resolve("a")), runs.get(1)));
        assertTrue(c.table().contains("test_bal_acc"), c.table());
        RunComparison.Row a = c.rows().stream().filter(r -> r.run().equals("a")).findFirst().orElseThrow();
        assertEquals(0.5, a.testBalancedAccuracy(), 0);
        assertEquals(0.8, a.testAuroc(), 0);
    }
}
