package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.ScanDataset;
import org.scanline.dataset.Datasets;
import org.scanline.dataset.NpyArray;
import org.scanline.dataset.NpzWriter;
import org.scanline.dataset.TestFiles;
import picocli.CommandLine;

class InspectCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path smallNpz() {
        float[] images = new float[5 * 2 * 3];
        int[] labels = {0, 1, 1, 1, 0};
        Path f = dir.resolve("small.npz");
        Datasets.writeNpz(new ScanDataset("mem", images, 5, 2, 3, labels, List.of("sharp", "blunt", "none")), f, true);
        return f;
    }

    @Test
    void textReportOfAnNpz() {
        Run r = run("inspect", smallNpz().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5 × 2 × 3"), r.out());
        assertTrue(r.out().contains("<f4"), r.out());
        assertTrue(r.out().contains("40.00 %") && r.out().contains("60.00 %"), r.out());
        assertTrue(r.out().contains("weight 0.833") && r.out().contains("weight 0.556"), r.out());
        assertTrue(r.out().contains("n/a (no scans)"), r.out());
    }

    @Test
    void jsonCountsNanInsteadOfFailing() throws Exception {
        float[] images = new float[2 * 2 * 2];
        images[3] = Float.NaN;
        Path f = dir.resolve("nan.npz");
        try (NpzWriter w = NpzWriter.create(f, false)) {
            w.write("images", NpyArray.of(images, 2, 2, 2));
            w.write("labels", NpyArray.of(new long[] {0, 3}, 2));
            w.commit();
        }
        Run r = run("inspect", f.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(1, j.get("non_finite_pixels").asInt());
        assertEquals(2, j.get("count").asInt());
        assertEquals("individual atoms", j.get("classes").get(0).get("name").asText());
        assertEquals(4, j.get("classes").size());
        assertEquals(0.5, j.get("classes").get(0).get("weight").asDouble(), 1e-12); // 2 / (4 · 1)
        assertTrue(j.get("classes").get(1).get("weight").isNull());
    }

    @Test
    void matFixture() throws Exception {
        Run r = run("inspect", "--json", TestFiles.fixture("matlab_v73.mat").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(3, j.get("count").asInt());
        assertEquals(4, j.get("lines").asInt());
        assertEquals("float64 (HDF5)", j.get("dtype").asText());
        assertEquals(33.333, j.get("classes").get(1).get("percent").asDouble(), 1e-3);
    }

    @Test
    void librariesDoNotLogToStdout() {
        // jhdf ships a simplelogger.properties sending INFO lines to System.out; ours must win.
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        try {
            assertEquals(0, run("inspect", "--json", TestFiles.fixture("plain_hdf5.mat").toString()).code());
        } finally {
            System.setOut(saved);
        }
        assertEquals("", captured.toString());
    }

    @Test
    void realSxmShowsTheHeader() {
        var f = TestFiles.sxm("Si_7x7_028.sxm");
        Assumptions.assumeTrue(f.isPresent(), "shared/data/sxm is not beside this checkout");
        Run r = run("inspect", f.get().toString(), "--channel", "Current", "--direction", "backward");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1 × 256 × 256"), r.out());
        assertTrue(r.out().contains("scan_dir:    down"), r.out());
        assertTrue(r.out().contains("Z [m] both, Current [A] both"), r.out());
        assertTrue(r.out().contains("Current backward"), r.out());
        assertTrue(r.out().contains("FLOAT MSBFIRST"), r.out());
    }

    @Test
    void badFileIsOneLineAndExitCode1() {
        Run r = run("inspect", dir.resolve("absent.npz").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("absent.npz"), r.err());
    }
}
