package org.scanline.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;
import org.scanline.dataset.Datasets;
import org.scanline.run.Checkpoint;
import org.scanline.run.LoadedModel;
import org.scanline.run.RunFolder;
import org.scanline.run.RunSplits;

/** Evaluation of real (tiny, briefly trained) DJL models from their run folders. */
class RunEvaluatorTest {
    private static final int LINES = TinyRuns.LINES;
    private static final int PIXELS = TinyRuns.PIXELS;

    @TempDir
    Path tmp;

    /** Writes {@code data} to {@code tmp/tiny.npz} and trains a run of architecture {@code a} on that file. */
    private Path train(Architecture a, ScanDataset data) {
        Path file = tmp.resolve("tiny.npz");
        Datasets.writeNpz(data, file, false);
        return TinyRuns.train(a, file, tmp.resolve("runs"), 3);
    }

    @Test
    void causalRunIsEvaluatedOnItsOwnTestSplitAndOnePassEqualsPrefixes() throws Exception {
        ScanDataset data = TinyRuns.data(8, 1);
        Path run = train(Architecture.CAUSAL, data);

        RunEvaluator.Result r = RunEvaluator.evaluate(run, null, "test", Checkpoint.BEST, Evaluator.builder().batchSize(4));
        Evaluation e = r.evaluation();
        int[] test = RunSplits.of(RunFolder.open(run).config(), data).test();
        assertArrayEquals(test, e.scanIds(), "the run's own test scans");
        assertEquals(6, test.length, "a quarter of 24 scans");
        assertArrayEquals(java.util.stream.IntStream.rangeClosed(1, LINES).toArray(), e.linesSeen());
        assertTrue(e.linesTo95().isPresent());

        // the probabilities after t lines from the one full pass equal a pass over the first t lines only
        try (LoadedModel m = RunFolder.open(run).loadModel(Checkpoint.BEST)) {
            ModelPredictor p = new ModelPredictor(m);
            ScanDataset sub = data.subset(test, "t");
            for (int t : new int[] {1, 4, LINES}) {
                float[] x = new float[test.length * t * PIXELS];
                for (int s = 0; s < test.length; s++) {
                    System.arraycopy(sub.images(), s * LINES * PIXELS, x, s * t * PIXELS, t * PIXELS);
                }
                m.normalizer().normalizeScans(x, (long) test.length * t, PIXELS);
                float[] probs = p.predict(x, test.length, t, PIXELS);
                float[] expected = e.probabilities().get(t - 1);
                for (int s = 0; s < test.length; s++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(probs[((s * t) + t - 1) * 3 + c], expected[s * 3 + c], 1e-5, "scan " + s + " after " + t + " lines");
                    }
                }
            }
        }

        JsonNode json = new ObjectMapper().readTree(run.resolve("evaluation.json").toFile());
        assertEquals("causal", json.get("architecture").asText());
        assertEquals("test", json.get("split").asText());
        assertEquals(e.overall().balancedAccuracy(), json.at("/overall/balanced_accuracy").asDouble(), 1e-12);
        assertEquals(1 + test.length * LINES, Files.readAllLines(run.resolve("predictions.csv")).size());
    }

    @Test
    void vitIsEvaluatedAtASubsetAndAnotherDatasetOnlyAsAWhole() throws Exception {
        Path run = train(Architecture.VIT, TinyRuns.data(8, 2));
        Evaluation e = RunEvaluator.evaluate(run, null, "valid", Checkpoint.LAST, Evaluator.builder()).evaluation();
        assertArrayEquals(new int[] {1, 2, 3, 4, 6, 8, 10}, e.linesSeen());
        assertEquals(6, e.scans());
        // the same split, normalisation and weights as training's last validation pass: the same numbers
        org.scanline.train.EpochMetrics last = org.scanline.analysis.RunResults.read(run).split("valid").get(2);
        assertEquals(last.balancedAccuracy(), e.overall().balancedAccuracy(), 1e-9);
        assertEquals(last.accuracy(), e.overall().accuracy(), 1e-9);
        assertEquals(last.auroc(), e.overall().macroAuroc(), 1e-4);

        Path other = tmp.resolve("other.npz");
        Datasets.writeNpz(TinyRuns.data(2, 9), other, false);
        BadDataException bad = assertThrows(BadDataException.class,
                () -> RunEvaluator.evaluate(run, other, "test", Checkpoint.BEST, Evaluator.builder()));
        assertTrue(bad.getMessage().contains("--split all"), bad.getMessage());
        Evaluation whole = RunEvaluator.evaluate(run, other, "all", Checkpoint.BEST, Evaluator.builder()).evaluation();
        assertEquals(6, whole.scans());

        Files.delete(tmp.resolve("tiny.npz"));   // the data file the run recorded
        BadDataException gone = assertThrows(BadDataException.class,
                () -> RunEvaluator.evaluate(run, null, "test", Checkpoint.BEST, Evaluator.builder()));
        assertTrue(gone.getMessage().contains("give --data FILE"), gone.getMessage());
    }
}
