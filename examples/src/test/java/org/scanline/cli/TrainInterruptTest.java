package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.run.Checkpoint;
import org.scanline.run.RunFolder;

/**
 * Ctrl-C during {@code scanline train}, in a real child JVM: exit code 130, the last complete
 * epoch's {@code last.ckpt} kept, the resume command printed, and no {@code hs_err_pid*.log}.
 */
class TrainInterruptTest {
    @TempDir
    Path dir;

    /** Whether this process (and so a child) ignores SIGINT, as a background job of a plain shell does. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & (1L << (2 - 1))) != 0;
            }
        }
        return false;
    }

    private static Optional<Path> run(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(runs)) {
            return s.findFirst();
        }
    }

    @Test
    void ctrlCExits130KeepsTheLastEpochAndPrintsTheResumeCommand() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/kill")) || Files.isExecutable(Path.of("/usr/bin/kill")),
                "needs kill(1)");
        Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this environment, so a child ignores it too");
        Path data = TinyNpz.twoClasses(dir);
        Path runs = dir.resolve("runs");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                Main.class.getName(), "train", "--data", data.toString(), "--arch", "causal", "--epochs", "1000",
                "--d-model", "16", "--heads", "2", "--layers", "1", "--ffn", "16", "--max-lines", "8", "--window-lines", "8",
                "--min-lines", "4", "--batch-size", "4", "--threads", "1", "--device", "cpu",
                "--runs-dir", runs.toString(), "--set", "samplesPerScan=10")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "unreadable output: " + e;
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            Optional<Path> run = Optional.empty();
            while (System.nanoTime() < deadline && child.isAlive()) {
                run = run(runs);
                // by path: the folder exists a moment before its config.json
                if (run.isPresent() && Files.isRegularFile(run.get().resolve("checkpoints").resolve("last.ckpt"))) {
                    break;
                }
                Thread.sleep(20);
            }
            assertTrue(child.isAlive() && run.isPresent(), () -> "no epoch finished: " + output.getNow(""));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start();
            assertTrue(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0);
            assertTrue(child.waitFor(2, TimeUnit.MINUTES), "still running after SIGINT");
            String log = output.get(1, TimeUnit.MINUTES);
            assertEquals(130, child.exitValue(), log);
            assertTrue(log.contains("SIGINT: training stopped"), log);
            assertTrue(log.contains("resume with: scanline train --resume " + run.get()), log);
            assertTrue(Files.isRegularFile(RunFolder.open(run.get()).checkpoint(Checkpoint.LAST)));
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith("hs_err_pid")).toList(),
                        "the JVM crashed:\n" + log);
            }
        } finally {
            child.destroyForcibly();
        }
    }
}
