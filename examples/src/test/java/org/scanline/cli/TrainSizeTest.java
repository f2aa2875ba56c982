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
import org.scanline.dataset.Datasets;
import org.scanline.evaluation.TinyRuns;

/** {@code train} without a size on a CPU: the small preset, with a measured estimate printed before anything starts. */
class TrainSizeTest {
    @TempDir
    Path dir;

    String[] train(String... args) {
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
    void onTheCpuTheDefaultIsSmallAndTheReferenceIsOneFlagAwayEachWithAnEstimate() throws Exception {
        Path data = dir.resolve("tiny.npz");
        Datasets.writeNpz(TinyRuns.data(8, 4), data, false);
        Path runs = dir.resolve("runs");
        String[] small = train("train", "--data", data.toString(), "--device", "cpu", "--runs-dir", runs.toString(),
                "--estimate-only");
        assertEquals("0", small[0], small[2]);
        assertTrue(small[1].contains("size small (chosen for the CPU): causal, d_model 64, 2 layers, 4 heads, FFN 128, "
                + "8–10 lines"), small[1]);
        assertTrue(small[1].matches("(?s).*estimate: ≈ [0-9.]+ (s|min|h|days) on the CPU \\([^)]*\\): 25 epochs × \\(\\d+ training "
                + "samples \\+ \\d+ validation scans\\) at [0-9.]+ samples/s measured here.*"), small[1]);
        assertTrue(small[1].contains("the reference size (--size reference: causal, d_model 256, 6 layers"), small[1]);
        assertFalse(Files.exists(runs), "--estimate-only trains nothing");

        String[] ref = train("train", "--data", data.toString(), "--device", "cpu", "--size", "reference",
                "--estimate-only", "--epochs", "3", "--layers", "1");
        assertEquals("0", ref[0], ref[2]);
        assertTrue(ref[1].contains("size reference (--size reference): causal, d_model 256, 1 layers, 8 heads, FFN 1024"),
                ref[1]);
        assertTrue(ref[1].matches("(?s).*on the CPU \\([^)]*\\): 3 epochs.*"), "flags win over the preset: " + ref[1]);

        String[] bad = train("train", "--data", data.toString(), "--size", "huge");
        assertEquals("1", bad[0]);
        assertTrue(bad[2].contains("--size must be small, reference or auto, found 'huge'"), bad[2]);
    }

    @Test
    void trainingOnTheSimulatorPicksTheSameSizeInsteadOfSilentlyTrainingTheReferenceOne() {
        Path runs = dir.resolve("runs");
        String[] small = train("train", "--simulate", "--sim-lines", "32", "--sim-pixels", "32", "--device", "cpu",
                "--runs-dir", runs.toString(), "--estimate-only");
        assertEquals("0", small[0], small[2]);
        assertTrue(small[1].contains("size small (chosen for the CPU): causal, d_model 64, 2 layers, 4 heads, FFN 128, "
                + "8–32 lines, lr 1e-03, batch 32, 25 epochs; 250 steps of 32 fresh simulated scans per epoch"), small[1]);
        assertFalse(Files.exists(runs), "--estimate-only trains nothing");

        String[] ref = train("train", "--simulate", "--device", "cpu", "--size", "reference", "--epochs", "3",
                "--estimate-only");
        assertEquals("0", ref[0], ref[2]);
        assertTrue(ref[1].contains("size reference (--size reference): causal, d_model 256, 6 layers, 8 heads, FFN 1024, "
                + "10–128 lines, lr 1e-04, batch 32, 3 epochs"), "flags win over the preset: " + ref[1]);
    }
}
