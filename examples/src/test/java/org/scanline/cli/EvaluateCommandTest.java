package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.dataset.Datasets;
import org.scanline.evaluation.TinyRuns;

class EvaluateCommandTest {
    @TempDir
    Path tmp;

    @Test
    void evaluatesATrainedRunThenAnalyzeShowsItsTestResults() throws Exception {
        Path data = tmp.resolve("tiny.npz");
        Datasets.writeNpz(TinyRuns.data(8, 4), data, false);
        Path run = TinyRuns.train(Architecture.LRCN, data, tmp.resolve("runs"), 3);

        CliRunner r = CliRunner.run("evaluate", run.toString(), "--plots", tmp.resolve("plots").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(lrcn), best checkpoint of epoch"), r.out());
        assertTrue(r.out().contains("test split: 6 scans"), r.out());
        assertTrue(r.out().contains("Confusion matrix (rows: true, columns: predicted)"), r.out());
        JsonNode json = new ObjectMapper().readTree(run.resolve("evaluation.json").toFile());
        // Three epochs may leave the model at chance: then a warning stands where "lines needed" would mislead.
        assertTrue(json.path("chance").path("at_chance").asBoolean()
                ? r.out().contains("warning: the model") && !r.out().contains("Lines needed")
                : r.out().contains("Lines needed for 95% of the full-scan balanced accuracy"), r.out());
        assertEquals(TinyRuns.LINES, json.get("by_lines_seen").size());
        for (String png : new String[] {"confusion_matrix.png", "metrics_vs_lines.png", "training_curves.png"}) {
            assertTrue(Files.size(tmp.resolve("plots").resolve(png)) > 1000, png);
        }

        CliRunner a = CliRunner.run("analyze", run.toString(), run.toString(), "--csv");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().split("\n")[0].contains("test_bal_acc"), a.out());

        CliRunner bad = CliRunner.run("evaluate", run.toString(), "--split", "holdout");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("unknown split 'holdout'"), bad.err());
    }
}
