package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.run.RunFolder;
import picocli.CommandLine;

class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainWritesARunFolderAndResumeOfAFinishedRunKeepsIt() throws IOException {
        Path data = TinyNpz.twoClasses(dir);
        Path runs = dir.resolve("runs");
        Path cfg = Files.writeString(dir.resolve("c.yaml"), "dModel: 16\nnumHeads: 2\nnumLayers: 1\nffnDim: 16\n"
                + "convChannels: [4, 4, 8]\nmaxLines: 8\nminLines: 4\nwindowLines: 8\nbatchSize: 4\nthreads: 1\n");
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("train", "--data", data.toString(), "--config", cfg.toString(), "--arch", "causal",
                "--epochs", "2", "--runs-dir", runs.toString(), "--set", "warmupEpochs=0", "--device", "cpu");
        assertEquals(0, code, err.toString());
        Path run;
        try (Stream<Path> s = Files.list(runs)) {
            run = s.findFirst().orElseThrow();
        }
        assertEquals(16, RunFolder.open(run).config().dModel());
        assertEquals(4, RunFolder.open(run).readMetrics().size());
        assertEquals(0, Main.commandLine().execute("train", "--resume", run.toString()));
        assertEquals(4, RunFolder.open(run).readMetrics().size());
    }

    /** --resume used to drop every other setting silently; now a conflict is refused and a raised --epochs extends. */
    @Test
    void resumeRefusesConflictingSettingsAndExtendsAFinishedRunWhenEpochsAreRaised() throws IOException {
        Path data = TinyNpz.twoClasses(dir);
        Path runs = dir.resolve("runs");
        assertEquals(0, Main.commandLine().execute("train", "--data", data.toString(), "--arch", "causal", "--epochs", "2",
                "--d-model", "16", "--heads", "2", "--layers", "1", "--ffn", "16", "--max-lines", "8", "--min-lines", "4", "--window-lines", "8",
                "--batch-size", "4", "--threads", "1", "--device", "cpu", "--runs-dir", runs.toString(),
                "--set", "warmupEpochs=0"));
        Path run;
        try (Stream<Path> s = Files.list(runs)) {
            run = s.findFirst().orElseThrow();
        }
        String before = Files.readString(run.resolve("config.json"));

        CliRunner refused = CliRunner.run("train", "--resume", run.toString(), "--lr", "0.5", "--d-model", "32",
                "--epochs", "1");
        assertEquals(1, refused.code(), refused.err());
        double storedLr = RunFolder.open(run).config().learningRate();
        assertTrue(refused.err().contains("learningRate: the run has " + storedLr + ", the command line asks for 0.5"),
                refused.err());
        assertTrue(refused.err().contains("dModel: the run has 16, the command line asks for 32"), refused.err());
        assertTrue(refused.err().contains("epochs: the run has 2, the command line asks for 1"), refused.err());
        assertEquals(before, Files.readString(run.resolve("config.json")), "a refused resume changes nothing");
        assertEquals(4, RunFolder.open(run).readMetrics().size());

        assertEquals(0, Main.commandLine().execute("train", "--resume", run.toString(), "--epochs", "3", "--d-model", "16"));
        assertEquals(3, RunFolder.open(run).config().epochs());
        assertEquals(List.of(1, 1, 2, 2, 3, 3), RunFolder.open(run).readMetrics().stream().map(m -> m.epoch()).toList());
        assertTrue(RunFolder.open(run).info().get("amendments").toString().contains("\"epochs\":[2,3]"),
                RunFolder.open(run).info().toString());
    }

    @Test
    void aBadFlagValueIsAOneLineErrorAndExitCode1() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(1, cl.execute("train", "--data", dir.resolve("x.npz").toString(), "--epochs", "many"));
        assertTrue(err.toString().contains("epochs"), err.toString());
    }
}
