package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.Normalizer;
import org.scanline.dataset.SxmFiles;
import org.scanline.export.ExportMetadata;
import org.scanline.model.ModelSpec;
import org.scanline.export.OnnxExporter;
import org.scanline.model.ModelFixtures;
import org.scanline.model.ScanModel;
import org.scanline.train.TrainingConfig;

/**
 * Nanonis files as an instrument writes them, through classify, stream and the demo's last step: another
 * width than the model's, unacquired NaN lines, more lines than the model reads, a chosen channel.
 */
class RealScansCommandTest {
    static final int PIXELS = 16;
    static final int MAX_LINES = 12;
    @TempDir
    static Path dir;
    static Path model;

    /** An untrained tiny causal model: the commands' handling of the files is under test, not its accuracy. */
    @BeforeAll
    static void exportTinyModel() {
        TrainingConfig config = TrainingConfig.builder().architecture(Architecture.CAUSAL).maxLines(MAX_LINES).dModel(16)
                .numHeads(2).numLayers(1).ffnDim(16).convChannels(List.of(4, 4, 8)).windowLines(8).minLines(1).build();
        model = dir.resolve("tiny.onnx");
        try (NDManager m = NDManager.newBaseManager()) {
            ScanModel net = ModelFixtures.seeded(m, config, PIXELS, 3, 5);
            OnnxExporter.write(model, ModelSpec.of(config, PIXELS, 3), net.namedWeights(), new ExportMetadata(
                    List.of("a", "b", "c"), Normalizer.PER_LINE, 1.0, config.toJson(), "test", "{}", null), false);
        }
    }

    static CliRunner run(String... args) {
        var out = new java.io.ByteArrayOutputStream();
        var old = System.out;
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            CliRunner r = CliRunner.run(args);
            return new CliRunner(r.code(), out.toString(java.nio.charset.StandardCharsets.UTF_8) + r.out(), r.err());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void classifyTakesAFolderOfSxmFilesOfAnyWidthPartialOrLong() throws Exception {
        Path scans = Files.createDirectories(dir.resolve("session"));
        SxmFiles.write(scans.resolve("a_wide.sxm"), 64, 8, "down", true, 2, 8);
        SxmFiles.write(scans.resolve("b_narrow.sxm"), 8, 8, "up", true, 2, 8);
        SxmFiles.write(scans.resolve("c_partial.sxm"), 16, 10, "down", true, 2, 6);
        SxmFiles.write(scans.resolve("d_long.sxm"), 16, 20, "down", true, 2, 20);
        SxmFiles.write(scans.resolve("e_not_started.sxm"), 16, 4, "down", true, 2, 0);
        Files.writeString(scans.resolve("notes.txt"), "not a scan");
        CliRunner r = run("classify", model.toString(), scans.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertEquals(5, rows.size(), r.out());
        assertEquals(8, rows.get(0).path("lines").asInt());
        assertEquals(64, rows.get(0).path("pixels_in_file").asInt());
        assertEquals(8, rows.get(1).path("lines").asInt(), "a narrower scan is resampled, not an error");
        assertEquals(6, rows.get(2).path("acquired_lines").asInt());
        assertEquals(6, rows.get(2).path("lines").asInt(), "a partial scan is classified from its acquired lines");
        assertTrue(rows.get(3).path("lines").asInt() >= MAX_LINES / 2 && rows.get(3).path("lines").asInt() <= MAX_LINES,
                "a long scan is followed to its last line: " + rows.get(3));
        assertEquals(20, rows.get(3).path("acquired_lines").asInt());
        assertTrue(rows.get(4).path("predicted").isNull(), "no complete line: no prediction");
        assertTrue(r.err().contains("64 pixels per line resampled to the model's 16"), r.err());
        assertTrue(r.err().contains("8 pixels per line resampled to the model's 16"), r.err());
        assertTrue(r.err().contains("1 scan(s) have more lines than the model reads (12): followed to their last line"),
                r.err());
        assertTrue(r.err().contains("partially acquired"), r.err());
        assertTrue(r.err().contains("no complete line yet"), r.err());
    }

    @Test
    void zeroOrNegativeLinesAreAnError() throws Exception {
        Path f = SxmFiles.write(dir.resolve("z.sxm"), 16, 8, "down", true, 2, 8);
        for (String n : new String[] {"0", "-3"}) {
            CliRunner c = run("classify", model.toString(), f.toString(), "--lines", n);
            assertEquals(1, c.code(), c.out());
            assertTrue(c.err().contains("--lines must be at least 1, found " + n), c.err());
            CliRunner s = run("stream", model.toString(), f.toString(), "--lines", n);
            assertEquals(1, s.code(), s.out());
            assertTrue(s.err().contains("--lines must be at least 1"), s.err());
        }
        CliRunner ok = run("classify", model.toString(), f.toString(), "--lines", "3", "--json");
        assertEquals(3, new ObjectMapper().readTree(ok.out()).get(0).path("lines").asInt(), ok.err());
    }

    @Test
    void streamResamplesSaysWhereItStopsAndPicksTheChannel() throws Exception {
        Path f = SxmFiles.write(dir.resolve("long_narrow.sxm"), 8, 20, "up", true, 4, 20);
        CliRunner r = run("stream", model.toString(), f.toString(), "--channel", "Current", "--direction", "backward");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("8 pixels per line resampled to the model's 16"), r.out());
        assertTrue(r.out().contains("followed past the model's 12 lines"), r.out());
        assertTrue(r.out().contains("\n   19 "), "the last line is streamed: " + r.out());
        CliRunner bad = run("stream", model.toString(), f.toString(), "--channel", "Phase");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("no channel 'Phase'") && bad.err().contains("Current"), bad.err());
    }

    @Test
    void theDemosRealScanStepTakesAScanNarrowerThanTheModel() throws Exception {
        // Before resampling this threw ArrayIndexOutOfBoundsException: block-averaging assumed wider scans.
        Path f = SxmFiles.write(dir.resolve("narrow.sxm"), 8, 10, "down", true, 2, 10);
        StringWriter out = new StringWriter();
        List<Path> pictures;
        try (org.scanline.ScanLineClassifier c = org.scanline.ScanLineClassifier.open(model)) {
            pictures = DemoCommand.streamRealScans(c, List.of(f), new PrintWriter(out, true), dir);
        }
        assertTrue(out.toString().contains("narrow.sxm: 10 × 8 px"), out.toString());
        assertTrue(out.toString().contains("latency per line"), out.toString());
        assertEquals(List.of(dir.resolve("narrow.png")), pictures);
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(pictures.get(0).toFile());
        assertTrue(png.getHeight() >= 10 * 3, "the picture holds the scan's 10 lines: " + png.getHeight());
    }
}
