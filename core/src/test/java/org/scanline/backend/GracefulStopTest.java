package org.scanline.backend;

import org.scanline.run.CheckpointFile;
import org.scanline.run.Checkpoint;
import org.scanline.run.RunFolder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scanline.io.AtomicOutput;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainingInterruptedException;

/**
 * SIGINT and SIGTERM stop training at the next batch boundary, keep {@code last.ckpt} of the last
 * complete epoch and end the JVM normally: Ctrl-C once crashed it (SIGSEGV in libtorch's backward,
 * an {@code hs_err_pid*.log}, an empty run folder). A run stopped before its first epoch ends
 * leaves no folder. In-process tests request the stop from a listener; child JVMs get real signals.
 */
class GracefulStopTest {
    @TempDir
    Path dir;

    @AfterEach
    void noRequestLingers() {
        GracefulStop.clear();
    }

    /** Requests a stop after batch {@code batch} of epoch {@code epoch} and counts the batches that follow. */
    static final class StopAt implements TrainingListener {
        final int epoch;
        final int batch;
        final List<String> after = new ArrayList<>();

        StopAt(int epoch, int batch) {
            this.epoch = epoch;
            this.batch = batch;
        }

        @Override
        public void onBatchEnd(TrainingContext ctx, int b, double meanLoss, double accuracy) {
            if (GracefulStop.requested().isPresent()) {
                after.add(ctx.epoch() + "/" + b);
            }
            if (ctx.epoch() == epoch && b == batch) {
                GracefulStop.request("test");
            }
        }
    }

    private List<Path> runs(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runs)) {
            return s.toList();
        }
    }

    @Test
    void aStopInTheSecondEpochEndsAtTheBatchBoundaryAndKeepsTheFirst() throws IOException {
        Path runs = dir.resolve("runs");
        StopAt stop = new StopAt(2, 1);
        TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class,
                () -> new DjlTrainingBackend(List.of(stop)).fit(ChildTraining.config(runs), TinyScans.make(6, 8)));
        assertEquals(List.of(), stop.after, "batches trained after the request");
        assertEquals(1, e.savedEpoch());
        Path run = e.runDirectory().orElseThrow();
        assertEquals(runs(runs), List.of(run));
        assertTrue(e.getMessage().startsWith("test: training stopped in epoch 2 before batch 2 of"), e.getMessage());
        assertTrue(e.getMessage().contains("last.ckpt keeps epoch 1 of 4"), e.getMessage());
        RunFolder folder = RunFolder.open(run);
        assertEquals(1, new com.fasterxml.jackson.databind.ObjectMapper().readTree(CheckpointFile.read(folder.checkpoint(Checkpoint.LAST)).header())
                .get("epoch").asInt());
        assertEquals(List.of(1, 1), folder.readMetrics().stream().map(EpochMetrics::epoch).toList());
        try (Stream<Path> s = Files.walk(run)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(AtomicOutput.TEMP_MARK)));
        }
    }

    @Test
    void aStopBeforeTheFirstEpochEndsRemovesTheRunFolder() throws IOException {
        Path runs = dir.resolve("runs");
        TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class,
                () -> new DjlTrainingBackend(List.of(new StopAt(1, 1))).fit(ChildTraining.config(runs),
                        TinyScans.make(6, 8)));
        assertTrue(e.runDirectory().isEmpty());
        assertEquals(0, e.savedEpoch());
        assertTrue(e.getMessage().contains("was removed"), e.getMessage());
        assertEquals(List.of(), runs(runs));

        GracefulStop.request("test");
        TrainingInterruptedException before = assertThrows(TrainingInterruptedException.class,
                () -> new DjlTrainingBackend().fit(ChildTraining.config(runs), TinyScans.make(6, 8)));
        assertTrue(before.getMessage().contains("before it started"), before.getMessage());
        assertEquals(List.of(), runs(runs));
    }

    /** Any failure before the first checkpoint leaves no run folder either. */
    @Test
    void aFailureBeforeTheFirstCheckpointRemovesTheRunFolder() throws IOException {
        Path runs = dir.resolve("runs");
        TrainingListener failing = new TrainingListener() {
            @Override
            public void onBatchEnd(TrainingContext ctx, int batch, double meanLoss, double accuracy) {
                throw new IllegalStateException("listener failed");
            }
        };
        assertThrows(IllegalStateException.class, () -> new DjlTrainingBackend(List.of(failing))
                .fit(ChildTraining.config(runs), TinyScans.make(6, 8)));
        assertEquals(List.of(), runs(runs));
    }

    // ---- real signals to a child JVM ----

    /** The child's output up to its end, the signal sent after {@code trigger}, and its exit code. */
    record Child(int exit, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }
    }

    private Child runChild(Path runs, String signal, String trigger) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                StopTarget.class.getName(), runs.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        boolean sent = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                if (line.startsWith("signals ") && signal != null && !line.contains(signal)) {
                    child.destroyForcibly();
                    Assumptions.abort("SIG" + signal + " is ignored in this environment: " + line);
                }
                if (!sent && signal != null && line.equals(trigger)) {
                    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start();
                    assertTrue(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0);
                    sent = true;
                }
            }
        }
        assertTrue(child.waitFor(2, TimeUnit.MINUTES));
        if (signal != null) {
            assertTrue(sent, "the child ended before " + trigger + ":\n" + String.join("\n", lines));
        }
        return new Child(child.exitValue(), lines);
    }

    private void assertNoCrashLog() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> logs = s.filter(p -> p.getFileName().toString().startsWith("hs_err_pid")).toList();
            assertEquals(List.of(), logs, "the JVM crashed");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalMidTrainingExits130WithTheLastEpochKeptAndTheRunResumes(String signal) throws Exception {
        Path runs = dir.resolve("runs");
        Child c = runChild(runs, signal, "batch 2 1");
        assertEquals(130, c.exit(), c::text);
        assertTrue(c.lines().contains("interrupted 1 " + ChildTraining.run(runs).orElseThrow()), c::text);
        assertTrue(c.text().contains("SIG" + signal + ": training stopped in epoch 2 before batch"), c::text);
        int after = c.lines().indexOf("batch 2 1");
        assertTrue(c.lines().subList(after + 1, c.lines().size()).stream().filter(l -> l.startsWith("batch ")).count() <= 1,
                () -> "more than the batch in progress ran after the signal:\n" + c.text());
        assertNoCrashLog();
        Path run = ChildTraining.run(runs).orElseThrow();
        assertTrue(Files.isRegularFile(RunFolder.open(run).checkpoint(Checkpoint.LAST)));

        Child resumed = runChild(runs, null, null);
        assertEquals(0, resumed.exit(), resumed::text);
        assertTrue(resumed.lines().contains("done"), resumed::text);
        assertEquals(8, RunFolder.open(run).readMetrics().size(), "4 epochs, train and valid");
        assertNoCrashLog();
    }

    @Test
    void sigintInTheFirstEpochExits130AndLeavesNoRunFolder() throws Exception {
        Path runs = dir.resolve("runs");
        Child c = runChild(runs, "INT", "batch 1 1");
        assertEquals(130, c.exit(), c::text);
        assertTrue(c.lines().contains("interrupted 0 -"), c::text);
        assertFalse(ChildTraining.run(runs).isPresent(), c::text);
        assertEquals(List.of(), runs(runs));
        assertNoCrashLog();
    }
}
