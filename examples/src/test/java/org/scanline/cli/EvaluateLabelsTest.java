package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.ScanDataset;
import org.scanline.dataset.NpyArray;
import org.scanline.dataset.NpzWriter;
import org.scanline.evaluation.TinyRuns;

/** {@code evaluate --label-key} and {@code --out}: scoring against the simulator's true labels, elsewhere than the run. */
class EvaluateLabelsTest {
    @TempDir
    Path tmp;

    @Test
    void scoresAgainstLabelsTrueWherePresentAndWritesToOut() throws Exception {
        ScanDataset d = TinyRuns.data(8, 4);
        int[] annotated = d.labels();
        int[] truth = annotated.clone();
        truth[0] = (truth[0] + 1) % 3;                 // label noise: the annotation of a few scans is wrong
        truth[5] = (truth[5] + 1) % 3;
        truth[10] = (truth[10] + 2) % 3;
        Path data = tmp.resolve("sim.npz");
        try (NpzWriter w = NpzWriter.create(data, false)) {
            w.write("images", NpyArray.of(d.images(), d.count(), d.lines(), d.pixels()));
            w.write("labels", NpyArray.of(annotated, d.count()));
            w.write("labels_true", NpyArray.of(truth, d.count()));
            w.write("class_names", NpyArray.ofStrings(new String[] {"a", "b", "c"}, 3));
            w.commit();
        }
        Path run = TinyRuns.train(Architecture.CAUSAL, data, tmp.resolve("runs"), 2);

        Path out = tmp.resolve("eval-true");
        CliRunner r = CliRunner.run("evaluate", run.toString(), "--out", out.toString(), "--split", "all");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Scored against 'labels_true' (training used 'labels')"), r.out());
        JsonNode t = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        assertEquals("labels_true", t.path("labels").asText());
        assertTrue(Files.exists(out.resolve("predictions.csv")));
        assertFalse(Files.exists(run.resolve("evaluation.json")), "--out leaves the run folder as it was");

        CliRunner a = CliRunner.run("evaluate", run.toString(), "--label-key", "labels", "--split", "all");
        assertEquals(0, a.code(), a.err());
        JsonNode ann = new ObjectMapper().readTree(run.resolve("evaluation.json").toFile());
        assertEquals("labels", ann.path("labels").asText());
        assertNotEquals(t.path("overall").path("confusion_matrix").toString(),
                ann.path("overall").path("confusion_matrix").toString(), "the three relabelled scans move");

        CliRunner bad = CliRunner.run("evaluate", run.toString(), "--label-key", "labels_noisy");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("no 'labels_noisy' array to score against"), bad.err());
    }
}
