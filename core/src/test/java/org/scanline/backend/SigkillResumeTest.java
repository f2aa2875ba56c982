package org.scanline.backend;

import org.scanline.run.CheckpointFile;
import org.scanline.run.Checkpoint;
import org.scanline.run.RunFolder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.io.AtomicOutput;
import org.scanline.model.Weight;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainedModel;

/**
 * Real SIGKILLs of a training JVM at several random points, each followed by a resume in a new JVM,
 * end with the same metrics and weights as an uninterrupted run of the same seed.
 *
 * <p>The kill points are drawn from a seeded {@link Random} (so a failure reproduces): during a
 * batch (a random delay after a random batch marker), and around an epoch end, where the child
 * writes {@code best.ckpt}, {@code metrics.csv} and {@code last.ckpt}. Every file is written to a
 * temporary sibling and renamed into place, so a kill in the middle of a write leaves the previous
 * complete file plus a partial temporary; the test also plants such partial temporaries (half of
 * {@code last.ckpt}, a truncated {@code metrics.csv}) after one kill, which is exactly the state a
 * kill mid-write leaves, since the write's few milliseconds are hard to hit reliably by timing.
 */
class SigkillResumeTest {
    static final int KILLS = 4;

    @TempDir
    Path dir;

    /** Starts (or resumes) the child and kills it at the chosen point; false if it finished first. */
    private boolean runAndKill(Path runs, boolean atEpochEnd, int afterMarkers, int delayMs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                KillTarget.class.getName(), runs.toString()).redirectErrorStream(true).start();
        int seen = 0;
        int batches = Integer.MAX_VALUE;
        StringBuilder log = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                log.append(line).append('\n');
                if (line.equals("done")) {
                    break;
                }
                String[] f = line.split(" ");
                if (f[0].equals("start")) {
                    batches = Integer.parseInt(f[2]);
                } else if (f[0].equals("batch")) {
                    // at an epoch end: the epoch's last batch (0- or 1-based), else the n-th batch seen
                    boolean hit = atEpochEnd ? Integer.parseInt(f[2]) >= batches - 1 : ++seen >= afterMarkers;
                    if (hit) {
                        break;
                    }
                }
            }
            if (line == null || line.equals("done")) {
                assertTrue(child.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, child.exitValue(), log::toString);
                return false;
            }
            Thread.sleep(delayMs);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        return true;
    }

    @Test
    void aRunKilledAtRandomPointsResumesToTheSameResult() throws Exception {
        Path runs = dir.resolve("killed");
        Random random = new Random(20261125);
        int kills = 0;
        List<String> points = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            // Even kills: a random delay within a batch (each batch sleeps 150 ms after its step).
            // Odd kills: after the last batches of an epoch, when validation and the checkpoint
            // writes follow, with a delay spread over that stretch.
            boolean atEpochEnd = k % 2 == 1;
            int markers = 1 + random.nextInt(4);
            int delay = atEpochEnd ? 150 + random.nextInt(400) : random.nextInt(150);
            if (!runAndKill(runs, atEpochEnd, markers, delay)) {
                break;
            }
            kills++;
            points.add((atEpochEnd ? "last batch of an epoch" : "batch marker " + markers) + " + " + delay + " ms");
            if (k == 1) {
                plantPartialWrites(runs);
            }
        }
        assertTrue(kills >= 3, "the run ended before the kills: " + points);
        System.out.println("SIGKILL points: " + points);
        Path run = ChildTraining.run(runs).orElseThrow();

        List<EpochMetrics> resumed;
        try (TrainedModel m = new DjlTrainingBackend().resume(run, TinyScans.make(6, 8))) {
            resumed = m.history();
        }
        try (Stream<Path> s = Files.walk(run)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(AtomicOutput.TEMP_MARK)),
                    "temporaries left in " + run);
        }
        List<EpochMetrics> full;
        Path fullRun;
        try (TrainedModel m = new DjlTrainingBackend().fit(ChildTraining.config(dir.resolve("full")), TinyScans.make(6, 8))) {
            full = m.history();
            fullRun = m.runDirectory();
        }
        assertEquals(strip(full), strip(resumed), "kills at " + points);
        assertEquals(strip(full), strip(RunFolder.open(run).readMetrics()), "metrics.csv after " + points);
        for (Checkpoint which : new Checkpoint[] {Checkpoint.LAST, Checkpoint.BEST}) {
            Map<String, Weight> a = CheckpointFile.read(RunFolder.open(fullRun).checkpoint(which)).tensors();
            Map<String, Weight> b = CheckpointFile.read(RunFolder.open(run).checkpoint(which)).tensors();
            assertEquals(a.keySet(), b.keySet());
            a.forEach((k, w) -> assertArrayEquals(w.data(), b.get(k).data(), 0f, which + " " + k));
        }
    }

    /** The files a kill in the middle of writing {@code last.ckpt} and {@code metrics.csv} leaves. */
    private static void plantPartialWrites(Path runs) throws IOException {
        Path run = ChildTraining.run(runs).orElseThrow();
        Path last = RunFolder.open(run).checkpoint(Checkpoint.LAST);
        if (Files.isRegularFile(last)) {
            byte[] b = Files.readAllBytes(last);
            Files.write(last.resolveSibling("." + last.getFileName() + AtomicOutput.TEMP_MARK + "1-1"),
                    java.util.Arrays.copyOf(b, b.length / 2));
        }
        Path csv = run.resolve("metrics.csv");
        if (Files.isRegularFile(csv)) {
            String text = Files.readString(csv);
            Files.writeString(csv.resolveSibling("." + csv.getFileName() + AtomicOutput.TEMP_MARK + "1-2"),
                    text.substring(0, text.length() * 2 / 3));
        }
    }

    private static List<EpochMetrics> strip(List<EpochMetrics> h) {
        return h.stream().map(m -> new EpochMetrics(m.epoch(), m.split(), m.loss(), m.accuracy(), m.balancedAccuracy(),
                m.auroc(), m.lr(), 0)).toList();
    }
}
