package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings {@code train} used to accept and then ignore or defer: a size flag beside {@code --init},
 * and {@code --estimate-only} with simulator flags that training would refuse (exit 0 before).
 */
class TrainSettingsTest {
    static final String SHIPPED = "../models/hsi100-causal-v4";

    @TempDir
    Path dir;

    /** @return exit code, what {@code train} printed on standard output, and the error stream */
    static String[] train(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CliRunner r = CliRunner.run(args);
            return new String[] {Integer.toString(r.code()), out.toString(StandardCharsets.UTF_8), r.err()};
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void initRefusesASizeFlagThatDiffersFromTheInitialWeightsNamingBothValues() {
        Path runs = dir.resolve("runs");
        String[] r = train("train", "--simulate", "--init", SHIPPED, "--d-model", "128", "--device", "cpu",
                "--runs-dir", runs.toString());
        assertEquals("1", r[0], r[1]);
        assertTrue(r[2].contains("dModel (--d-model): the initial weights have 96, the command line asks for 128"), r[2]);
        assertFalse(Files.exists(runs), "refused before anything trains");

        String[] size = train("train", "--simulate", "--init", SHIPPED, "--size", "small", "--runs-dir", runs.toString());
        assertEquals("1", size[0], size[1]);
        assertTrue(size[2].contains("--size small and --init " + SHIPPED + " both set the model's size"), size[2]);
    }

    @Test
    void estimateOnlyRefusesSimulatorSettingsThatTrainingWouldRefuseNamingTheFlag() {
        String[][] cases = {
            {"--steps-per-epoch", "0", "--steps-per-epoch (simulation.stepsPerEpoch) must be positive, found 0"},
            {"--valid-scans", "-5", "--valid-scans (simulation.validScans) must be positive, found -5"},
            {"--sim-pixels", "0", "--sim-pixels (simulation.pixels) must be at least 16, found 0"},
            {"--sim-difficulty", "NaN", "--sim-difficulty (simulation.difficulty) must be in [0, 3], found NaN"},
        };
        for (String[] c : cases) {
            String[] r = train("train", "--simulate", c[0], c[1], "--estimate-only", "--device", "cpu");
            assertEquals("1", r[0], String.join(" ", c) + ": " + r[1]);
            assertTrue(r[2].contains(c[2]), r[2]);
            assertFalse(r[1].contains("estimate"), "no estimate of a run that cannot start: " + r[1]);
        }
    }

    /** --simulate used to print "no measured estimate": now the steps and the simulator are timed. */
    @Test
    void aSimulatedRunGetsAMeasuredEstimateWithItsRange() {
        Path runs = dir.resolve("runs");
        String[] r = train("train", "--simulate", "--sim-lines", "32", "--sim-pixels", "32", "--steps-per-epoch", "10",
                "--valid-scans", "20", "--epochs", "2", "--device", "cpu", "--runs-dir", runs.toString(),
                "--estimate-only");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].matches("(?s).*estimate: ≈ [0-9.]+ (s|min|h|days) on the CPU \\([0-9.]+–[0-9.]+ (s|min|h|days) "
                + "by the fastest and the slowest of 4 timed steps\\): 2 epochs × \\(320 training samples \\+ 20 "
                + "validation scans\\) at [0-9.]+ samples/s measured here \\(mean sample 20 lines\\), simulating \\d+ "
                + "scans/s\n  timed at a load average of [0-9.]+ on \\d+ cores[^;]*; not timed: .*"), r[1]);
        assertFalse(Files.exists(runs), "--estimate-only trains nothing");
    }
}
