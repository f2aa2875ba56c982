package org.scanline.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.BadModelException;
import org.scanline.Normalizer;
import org.scanline.ScanDataset;

class EvaluatorTest {
    private static final int[] LABELS = {0, 1, 2, 3, 1, 1, 2, 0, 3, 1};

    @TempDir
    Path tmp;

    @Test
    void perLineModelIsEvaluatedAtEveryLengthFromOnePass() {
        ScanDataset data = FakePredictors.data(LABELS, 16, 8, 5);
        int[] calls = {0};
        ScanPredictor counting = countCalls(FakePredictors.perLine(128), calls);
        Evaluation e = Evaluator.builder().batchSize(4).build().evaluate(data, counting, null);
        assertArrayEquals(IntStream.rangeClosed(1, 16).toArray(), e.linesSeen());
        assertEquals(3, calls[0], "10 scans in batches of 4: one pass per batch, not per length");
        for (int i = 0; i < 16; i++) {
            double expected = e.linesSeen()[i] <= 5 ? 0.25 : 1.0; // uniform → class 0 for all: recall 1 of 4 classes
            assertEquals(expected, e.metrics().get(i).balancedAccuracy(), 1e-12, "lines " + e.linesSeen()[i]);
            assertEquals(e.linesSeen()[i] <= 5 ? 0.5 : 1.0, e.metrics().get(i).macroAuroc(), 1e-12);
        }
        assertEquals(Optional.of(6), e.linesTo95());
        assertEquals(1.0, e.overall().balancedAccuracy(), 0);
    }

    @Test
    void wholeInputModelGetsPrefixesAtTheDefaultLengths() {
        ScanDataset data = FakePredictors.data(LABELS, 16, 8, 5);
        Evaluation e = Evaluator.builder().batchSize(3).build().evaluate(data, FakePredictors.wholeInput(128), null);
        assertArrayEquals(new int[] {1, 2, 3, 4, 6, 8, 12, 16}, e.linesSeen());
        Evaluation perLine = Evaluator.builder().build().evaluate(data, FakePredictors.perLine(128), null);
        for (int i = 0; i < e.linesSeen().length; i++) {
            int t = e.linesSeen()[i] - 1;
            assertArrayEquals(perLine.probabilities().get(t), e.probabilities().get(i),
                    "a prefix of " + e.linesSeen()[i] + " lines ends with the same line either way");
        }
        assertEquals(Optional.of(6), e.linesTo95());
        assertTrue(e.notes().get(0).contains("one forward pass per length"), e.notes().toString());
    }

    @Test
    void explicitLengthsAlwaysEndWithTheFullScanAndRespectTheModelMaximum() {
        ScanDataset data = FakePredictors.data(LABELS, 16, 8, 5);
        Evaluation e = Evaluator.builder().lengths(new int[] {8, 2, 99}).build()
                .evaluate(data, FakePredictors.wholeInput(12), null);
        assertArrayEquals(new int[] {2, 8, 12}, e.linesSeen());
        assertTrue(e.notes().get(0).contains("evaluated up to 12 (the model's maximum)"), e.notes().toString());
    }

    @Test
    void linesTo95RequiresStayingAboveTheTarget() {
        ScanDataset data = FakePredictors.data(LABELS, 16, 8, 5);
        // informative at line 3 only, uninformative at 4-5, informative again from 6: 95 % is reached for good at 7
        ScanPredictor flaky = new ScanPredictor() {
            @Override public int classCount() { return 4; }
            @Override public boolean perLine() { return true; }
            @Override public int maxLines() { return 16; }
            @Override public float[] predict(float[] batch, int n, int lines, int pixels) {
                float[] out = FakePredictors.perLine(16).predict(batch, n, lines, pixels);
                for (int s = 0; s < n; s++) {
                    int label = Math.round(batch[(s * lines + lines - 1) * pixels] - 10);
                    for (int t = 0; t < lines; t++) {
                        for (int c = 0; c < 4; c++) {
                            boolean knows = t == 2 || t >= 6;
                            out[(s * lines + t) * 4 + c] = knows ? (c == label ? 1 : 0) : 0.25f;
                        }
                    }
                }
                return out;
            }
        };
        Evaluation e = Evaluator.builder().build().evaluate(data, flaky, null);
        assertEquals(1.0, e.metrics().get(2).balancedAccuracy(), 0, "line 3 alone is right");
        assertEquals(Optional.of(7), e.linesTo95());
    }

    @Test
    void normalisesCopiesWithTheRunsNormaliser() {
        ScanDataset data = FakePredictors.data(LABELS, 6, 8, 99);
        float[] before = data.images().clone();
        ScanPredictor checking = new ScanPredictor() {
            @Override public int classCount() { return 4; }
            @Override public boolean perLine() { return true; }
            @Override public int maxLines() { return 6; }
            @Override public float[] predict(float[] batch, int n, int lines, int pixels) {
                for (int l = 0; l < n * lines; l++) {
                    double mean = 0;
                    for (int p = 0; p < pixels; p++) {
                        mean += batch[l * pixels + p];
                    }
                    assertEquals(0, mean / pixels, 1e-5, "line " + l + " is centred");
                }
                return FakePredictors.perLine(6).predict(batch, n, lines, pixels);
            }
        };
        Evaluator.builder().normalizer(Normalizer.PER_LINE).build().evaluate(data, checking, null);
        assertArrayEquals(before, data.images(), "the caller's data is left alone");
    }

    @Test
    void refusesPredictorsThatDoNotFitOrDoNotReturnProbabilities() {
        ScanDataset data = FakePredictors.data(LABELS, 6, 8, 2);
        ScanPredictor logits = new ScanPredictor() {
            @Override public int classCount() { return 4; }
            @Override public boolean perLine() { return false; }
            @Override public int maxLines() { return 6; }
            @Override public float[] predict(float[] batch, int n, int lines, int pixels) {
                float[] out = new float[n * 4];
                java.util.Arrays.fill(out, -2.5f);
                return out;
            }
        };
        BadModelException e = assertThrows(BadModelException.class,
                () -> Evaluator.builder().build().evaluate(data, logits, null));
        assertTrue(e.getMessage().contains("-2.5 as a probability"), e.getMessage());
        ScanPredictor threeClasses = new ScanPredictor() {
            @Override public int classCount() { return 3; }
            @Override public boolean perLine() { return true; }
            @Override public int maxLines() { return 6; }
            @Override public float[] predict(float[] batch, int n, int lines, int pixels) {
                return new float[n * lines * 3];
            }
        };
        e = assertThrows(BadModelException.class, () -> Evaluator.builder().build().evaluate(data, threeClasses, null));
        assertTrue(e.getMessage().contains("predicts 3 classes") && e.getMessage().contains("has 4"), e.getMessage());
        ScanPredictor shortOutput = new ScanPredictor() {
            @Override public int classCount() { return 4; }
            @Override public boolean perLine() { return true; }
            @Override public int maxLines() { return 6; }
            @Override public float[] predict(float[] batch, int n, int lines, int pixels) {
                return new float[n * 4];
            }
        };
        e = assertThrows(BadModelException.class, () -> Evaluator.builder().build().evaluate(data, shortOutput, null));
        assertTrue(e.getMessage().contains("should return"), e.getMessage());
    }

    @Test
    void absentClassIsNotedAndLeftOutOfTheAverages() {
        ScanDataset data = FakePredictors.data(new int[] {0, 1, 2, 1, 0, 2}, 8, 4, 0);
        Evaluation e = Evaluator.builder().build().evaluate(data, FakePredictors.perLine(8), null);
        assertEquals(1.0, e.overall().balancedAccuracy(), 0);
        assertEquals(1.0, e.overall().macroAuroc(), 0);
        assertArrayEquals(new int[] {3}, e.overall().aurocClassesSkipped());
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("'unstable' is absent")), e.notes().toString());
    }

    @Test
    void writesEvaluationJsonAndPredictionsCsv() throws Exception {
        ScanDataset data = FakePredictors.data(LABELS, 16, 8, 5);
        int[] ids = IntStream.range(0, LABELS.length).map(i -> 100 + i).toArray();
        Evaluation e = Evaluator.builder().build().evaluate(data, FakePredictors.perLine(128), ids);
        EvaluationFiles.write(tmp, e, Map.of("run", "r1", "split", "test"));
        List<String> csv = Files.readAllLines(tmp.resolve("predictions.csv"));
        assertEquals("scan,lines_seen,label,predicted,prob_good,prob_blunt,prob_double,prob_unstable", csv.get(0));
        assertEquals(1 + LABELS.length * 16, csv.size());
        assertEquals("100,1,good,good,0.250000,0.250000,0.250000,0.250000", csv.get(1));
        assertEquals("101,16,blunt,blunt,0.00000,1.00000,0.00000,0.00000", csv.get(32));
        JsonNode json = new ObjectMapper().readTree(tmp.resolve("evaluation.json").toFile());
        assertEquals("test", json.get("split").asText());
        assertEquals(1.0, json.at("/overall/balanced_accuracy").asDouble(), 0);
        assertEquals(16, json.at("/overall/lines_seen").asInt());
        assertEquals(16, json.get("by_lines_seen").size());
        assertEquals(0.25, json.at("/by_lines_seen/0/balanced_accuracy").asDouble(), 1e-12);
        assertEquals(4, json.at("/overall/per_class/1/support").asInt());
        assertEquals(4, json.at("/overall/confusion_matrix/1/1").asInt());
        assertEquals(6, json.get("lines_to_95pct").asInt());
        double[][] curve = EvaluationFiles.curve(json, "balanced_accuracy");
        assertEquals(16, curve[0].length);
        assertEquals(1.0, curve[1][15], 0);
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(2, files.count(), "only the two outputs, no temporary files");
        }
    }

    @Test
    void classNamesWithCommasAreQuotedInTheCsv() {
        assertEquals("plain", EvaluationFiles.csv("plain"));
        assertEquals("\"tip, blunt\"", EvaluationFiles.csv("tip, blunt"));
        assertEquals("\"say \"\"hi\"\"\"", EvaluationFiles.csv("say \"hi\""));
    }

    private static ScanPredictor countCalls(ScanPredictor p, int[] calls) {
        return new ScanPredictor() {
            @Override public int classCount() { return p.classCount(); }
            @Override public boolean perLine() { return p.perLine(); }
            @Override public int maxLines() { return p.maxLines(); }
            @Override public float[] predict(float[] batch, int n, int lines, int pixels) {
                calls[0]++;
                return p.predict(batch, n, lines, pixels);
            }
        };
    }
}
