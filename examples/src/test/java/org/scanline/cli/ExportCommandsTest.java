package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.ScanLineClassifier;
import org.scanline.dataset.Datasets;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;
import org.scanline.train.TrainingSession;

/** export → classify → stream on a tiny real run, through the command line. */
class ExportCommandsTest {
    static final int LINES = TinyNpz.LINES;
    @TempDir
    static Path dir;
    static Path data;
    static Path run;

    @BeforeAll
    static void trainTinyRun() {
        data = TinyNpz.threeClasses(dir);
        TrainingConfig config = TinyNpz.causalRun(dir, data).epochs(3).build();
        try (TrainedModel m = TrainingSession.create(config).fit(Datasets.read(data))) {
            run = m.runDirectory();
        }
    }

    static String[] execute(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(err));
            code = cl.execute(args);
        } finally {
            System.setOut(old);
        }
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString()};
    }

    @Test
    void exportCalibratesOnTheRunsValidationSplitAndTheFileClassifiesAndStreams() throws Exception {
        Path model = dir.resolve("model.onnx");
        String[] r = execute("export", run.toString(), "--out", model.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // as readable as any new file (a microscope's service account reads it), not createTempFile's 0600
            Path plain = Files.createFile(dir.resolve("plain-" + System.nanoTime()));
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(model));
            Files.delete(plain);
        }
        assertTrue(r[1].contains("ECE(15 bins)") && r[1].contains("max |logit diff|"), r[1]);
        try (ScanLineClassifier c = ScanLineClassifier.open(model)) {
            assertNotEquals(1.0, c.info().temperature());
            assertEquals(run.getFileName().toString(), c.info().runId());
            assertTrue(c.info().metricsJson().contains("balanced_accuracy"), c.info().metricsJson());
            assertEquals(List.of("a", "b", "c"), c.classNames());
        }
        String[] table = execute("classify", model.toString(), data.toString());
        assertEquals("0", table[0], table[2]);
        assertTrue(table[1].contains("accuracy") && table[1].lines().count() == 18 + 2, table[1]);
        String[] json = execute("classify", "--json", model.toString(), data.toString());
        var nodes = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json[1]);
        assertEquals(18, nodes.size());
        assertEquals(LINES, nodes.get(0).get("lines").asInt());
        String[] stream = execute("stream", model.toString(), data.toString(), "--scan", "4");
        assertEquals("0", stream[0], stream[2]);
        assertTrue(stream[1].contains("latency per line") && stream[1].contains("true class (the file's label): b"), stream[1]);
    }

    @Test
    void anInt8ExportPrintsItsAccuracyAgainstFloat32AndAFormat2ExportStillStreams() throws Exception {
        Path int8 = dir.resolve("int8.onnx");
        String[] r = execute("export", run.toString(), "--out", int8.toString(), "--int8", "--int8-max-drop", "100");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("int8 vs float32 on the validation split"), r[1]);
        Path old = dir.resolve("format2.onnx");
        assertEquals("0", execute("export", run.toString(), "--out", old.toString(), "--format", "2")[0]);
        try (ScanLineClassifier c = ScanLineClassifier.open(old)) {
            assertEquals(2, c.info().formatVersion());
        }
        String[] stream = execute("stream", old.toString(), data.toString(), "--scan", "4");
        assertEquals("0", stream[0], stream[2]);
        assertEquals("1", execute("export", run.toString(), "--out", old.toString(), "--format", "6")[0]);
    }

    @Test
    void badInputsAreMessagesNotStackTraces() throws Exception {
        String[] missing = execute("classify", dir.resolve("nope.onnx").toString(), data.toString());
        assertEquals("1", missing[0]);
        assertTrue(missing[2].contains("nope.onnx"), missing[2]);
        Path model = dir.resolve("m2.onnx");
        assertEquals("0", execute("export", run.toString(), "--out", model.toString(), "--no-calibrate")[0]);
        String[] noScan = execute("stream", model.toString(), data.toString(), "--scan", "99");
        assertEquals("1", noScan[0]);
        assertTrue(noScan[2].contains("scan 99"), noScan[2]);
        assertTrue(Files.exists(model));
    }
}
