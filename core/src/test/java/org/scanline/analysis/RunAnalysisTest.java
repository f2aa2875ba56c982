package org.scanline.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.BadDataException;
import org.scanline.run.MetricsCsv;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainingConfig;

class RunAnalysisTest {
    @TempDir
    Path tmp;

    @Test
    void summarisesEachSplitLikeTheSeedAnalyser() throws Exception {
        TrainingConfig c = TrainingConfig.builder().epochs(50).earlyStoppingPatience(0).build();
        RunAnalysis a = RunAnalysis.of(RunResults.read(SyntheticRuns.write(tmp.resolve("r"), c, 50, 27, 0.66)));
        SplitSummary valid = a.splits().get("valid");
        assertEquals(50, valid.epochs());
        assertEquals(27, valid.bestLossEpoch());
        assertEquals(1.2, valid.bestLoss(), 1e-9);
        assertEquals(27, valid.bestBalancedAccuracyEpoch());
        assertEquals(0.66, valid.bestBalancedAccuracy(), 1e-9);
        assertEquals(50, valid.latest().epoch());
        SplitSummary train = a.splits().get("train");
        assertEquals(50, train.bestAccuracyEpoch());
        assertEquals(50, train.bestLossEpoch());
        String report = a.report();
        assertTrue(report.contains("=== valid ===\nTotal epochs: 50\n"), report);
        assertTrue(report.contains("Best loss: 1.200000 (epoch 27)"), report);
    }

    @Test
    void diagnosesOverfittingAndWhereValidLossStoppedImproving() throws Exception {
        TrainingConfig c = TrainingConfig.builder().epochs(50).earlyStoppingPatience(0).build();
        RunAnalysis.Diagnosis d = RunAnalysis.of(RunResults.read(SyntheticRuns.write(tmp.resolve("r"), c, 50, 27, 0.66)))
                .diagnosis().orElseThrow();
        assertTrue(d.overfitting());
        assertEquals(27, d.bestValidLossEpoch());
        assertEquals(23, d.epochsSinceBest());
        assertEquals(RunAnalysis.EarlyStopping.NOT_FIRED, d.earlyStopping());
        assertTrue(d.accuracyGap() > 0.1, "train leads valid at the end");
        assertTrue(d.verdict().startsWith("overfitting"), d.verdict());
    }

    @Test
    void recognisesThatEarlyStoppingFired() throws Exception {
        TrainingConfig c = TrainingConfig.builder().epochs(100).earlyStoppingPatience(15).build();
        RunAnalysis.Diagnosis d = RunAnalysis.of(RunResults.read(SyntheticRuns.write(tmp.resolve("r"), c, 42, 27, 0.66)))
                .diagnosis().orElseThrow();
        assertEquals(RunAnalysis.EarlyStopping.FIRED, d.earlyStopping());
        TrainingConfig longer = TrainingConfig.builder().epochs(100).earlyStoppingPatience(20).build();
        RunAnalysis.Diagnosis cut = RunAnalysis.of(RunResults.read(SyntheticRuns.write(tmp.resolve("s"), longer, 42, 27, 0.66)))
                .diagnosis().orElseThrow();
        assertEquals(RunAnalysis.EarlyStopping.INCOMPLETE, cut.earlyStopping(), "15 epochs < patience 20: interrupted");
    }

    @Test
    void aRunStillImprovingIsNotOverfitting() throws Exception {
        TrainingConfig c = TrainingConfig.builder().epochs(10).build();
        RunAnalysis.Diagnosis d = RunAnalysis.of(RunResults.read(SyntheticRuns.write(tmp.resolve("r"), c, 10, 10, 0.7)))
                .diagnosis().orElseThrow();
        assertFalse(d.overfitting());
        assertEquals(0, d.epochsSinceBest());
        assertTrue(d.verdict().contains("still improving"), d.verdict());
    }

    @Test
    void aRunAtChanceIsDiagnosedAsNotLearning() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("flat"));
        Files.writeString(dir.resolve("config.json"), "{\"classNames\":[\"a\",\"b\",\"c\",\"d\"],\"config\":"
                + TrainingConfig.builder().epochs(30).earlyStoppingPatience(8).build().toJson() + "}");
        List<EpochMetrics> rows = new java.util.ArrayList<>();
        for (int e = 1; e <= 26; e++) {
            rows.add(new EpochMetrics(e, "train", 1.40 - 0.0005 * e, 0.25, 0.25, 0.50, 1e-3, 2));
            rows.add(new EpochMetrics(e, "valid", e == 18 ? 1.3866 : 1.3900, 0.42, 0.25, e == 23 ? 0.579 : 0.50, 1e-3, 1));
        }
        MetricsCsv.write(dir.resolve("metrics.csv"), rows);
        RunAnalysis.Diagnosis d = RunAnalysis.of(RunResults.read(dir)).diagnosis().orElseThrow();
        assertTrue(d.verdict().startsWith("not learning"), d.verdict());
        assertEquals(RunAnalysis.EarlyStopping.FIRED, d.earlyStopping());
    }

    @Test
    void readsTopLevelConfigAndToleratesExtraColumnsAndNan() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("flat"));
        Files.writeString(dir.resolve("config.json"), TrainingConfig.builder().architecture(Architecture.VIT).build().toJson());
        Files.writeString(dir.resolve("metrics.csv"), "epoch,split,loss,accuracy,balanced_accuracy,auroc,lr,seconds,extra\n"
                + "1,train,1.0,0.5,0.4,nan,1e-4,3,x\n1,valid,1.1,0.4,0.3,0.6,1e-4,1,y\n");
        RunResults run = RunResults.read(dir);
        assertEquals("vit", run.settings().get("architecture"));
        assertEquals(Architecture.VIT, run.trainingConfig().architecture());
        assertTrue(Double.isNaN(run.split("train").get(0).auroc()));
        assertEquals(List.of("train", "valid"), run.splits());
        assertEquals(0.6, RunAnalysis.of(run).splits().get("valid").bestAuroc(), 1e-12);
    }

    @Test
    void badMetricsNameTheFileAndLine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve("metrics.csv"), MetricsCsv.HEADER + "\n1,train,oops,0.5,0.4,0.6,1e-4,3\n");
        BadDataException e = assertThrows(BadDataException.class, () -> RunResults.read(dir));
        assertTrue(e.getMessage().contains("metrics.csv line 2"), e.getMessage());
        Files.writeString(dir.resolve("metrics.csv"), "epoch,split,loss\n");
        e = assertThrows(BadDataException.class, () -> RunResults.read(dir));
        assertTrue(e.getMessage().contains("lacks column 'accuracy'"), e.getMessage());
        e = assertThrows(BadDataException.class, () -> RunResults.read(tmp.resolve("nothing")));
        assertTrue(e.getMessage().contains("nothing"), e.getMessage());
    }

    @Test
    void metricsCsvRoundTrips() throws Exception {
        List<EpochMetrics> rows = List.of(new EpochMetrics(1, "train", 1.25, 0.5, 0.25, 0.75, 1e-4, 12.5),
                new EpochMetrics(1, "valid", 1.5, 0.4, 0.3, 0.7, 1e-4, 1.5));
        Path f = tmp.resolve("m.csv");
        MetricsCsv.write(f, rows);
        assertEquals(rows, MetricsCsv.read(f));
        assertTrue(Files.readString(f).startsWith(MetricsCsv.HEADER + "\n"));
    }
}
