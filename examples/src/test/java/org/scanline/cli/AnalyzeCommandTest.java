package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.analysis.SyntheticRuns;
import org.scanline.train.TrainingConfig;

class AnalyzeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void oneRunGivesTheReportAndItsPlots() throws Exception {
        Path run = SyntheticRuns.write(tmp.resolve("20251203_101500"), TrainingConfig.builder().epochs(50).build(), 50, 27, 0.66);
        CliRunner r = CliRunner.run("analyze", run.toString(), "--plots", tmp.resolve("plots").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("=== valid ===\nTotal epochs: 50"), r.out());
        assertTrue(r.out().contains("Valid loss stopped improving at epoch 27"), r.out());
        assertTrue(r.out().contains("Verdict: overfitting"), r.out());
        assertTrue(Files.size(tmp.resolve("plots/training_curves.png")) > 1000);
        JsonNode json = new ObjectMapper().readTree(CliRunner.run("analyze", "--json", run.toString()).out());
        assertEquals(27, json.at("/overfitting/best_valid_loss_epoch").asInt());
        assertEquals("not_fired", json.at("/overfitting/early_stopping").asText());
    }

    @Test
    void severalRunsGiveOneTableBestFirst() throws Exception {
        TrainingConfig base = TrainingConfig.builder().epochs(10).build();
        Path a = SyntheticRuns.write(tmp.resolve("a"), base.toBuilder().dModel(128).build(), 10, 5, 0.5);
        Path b = SyntheticRuns.write(tmp.resolve("b"), base.toBuilder().dModel(512).build(), 10, 7, 0.7);
        CliRunner r = CliRunner.run("analyze", a.toString(), b.toString(), "--plots", tmp.resolve("p").toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("run  dModel"), r.out());
        assertTrue(lines[2].startsWith("b ") && lines[3].startsWith("a "), r.out());
        assertTrue(Files.exists(tmp.resolve("p/validation_comparison.png")));
        assertTrue(Files.exists(tmp.resolve("p/a_training_curves.png")));
        String csv = CliRunner.run("analyze", "--csv", a.toString(), b.toString()).out();
        assertTrue(csv.startsWith("run,dModel,epochs,best_epoch,valid_bal_acc,valid_auroc,time_s\nb,512,"), csv);
    }

    @Test
    void aFolderThatIsNotARunIsAClearError() {
        CliRunner r = CliRunner.run("analyze", tmp.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no metrics.csv"), r.err());
    }
}
