package org.scanline.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.model.Weight;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainedModel;

/** A real SIGKILL of a training JVM in the middle of an epoch, then a resume in this one. */
class SigkillResumeTest {
    @TempDir
    Path dir;

    @Test
    void aRunKilledMidEpochResumesToTheSameResult() throws Exception {
        Path killedRuns = dir.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                KillTarget.class.getName(), killedRuns.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("epoch 2")) {
                // wait for the second epoch to be checkpointed
            }
            assertTrue(line != null, "the child ended before epoch 2");
            Thread.sleep(200);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        Path run;
        try (Stream<Path> s = Files.list(killedRuns)) {
            run = s.findFirst().orElseThrow();
        }
        int savedEpoch = RunFolder.JSON.readTree(CheckpointFile.read(RunFolder.open(run).checkpoint(Checkpoint.LAST)).header())
                .get("epoch").asInt();
        assertTrue(savedEpoch >= 2 && savedEpoch < 4, "killed mid-run, after epoch " + savedEpoch);

        List<EpochMetrics> resumed;
        try (TrainedModel m = new DjlTrainingBackend().resume(run, TinyScans.make(6, 8))) {
            resumed = m.history();
        }
        List<EpochMetrics> full;
        Path fullRun;
        try (TrainedModel m = new DjlTrainingBackend().fit(KillTarget.config(dir.resolve("full")), TinyScans.make(6, 8))) {
            full = m.history();
            fullRun = m.runDirectory();
        }
        assertEquals(strip(full), strip(resumed));
        Map<String, Weight> a = CheckpointFile.read(RunFolder.open(fullRun).checkpoint(Checkpoint.LAST)).tensors();
        Map<String, Weight> b = CheckpointFile.read(RunFolder.open(run).checkpoint(Checkpoint.LAST)).tensors();
        a.forEach((k, w) -> assertArrayEquals(w.data(), b.get(k).data(), 0f, k));
    }

    private static List<EpochMetrics> strip(List<EpochMetrics> h) {
        return h.stream().map(m -> new EpochMetrics(m.epoch(), m.split(), m.loss(), m.accuracy(), m.balancedAccuracy(),
                m.auroc(), m.lr(), 0)).toList();
    }
}
