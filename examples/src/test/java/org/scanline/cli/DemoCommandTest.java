package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.LineState;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;
import org.scanline.TipChange;
import org.scanline.dataset.SxmFiles;
import org.scanline.models.PretrainedModels;
import javax.imageio.ImageIO;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoPrintsARowForEveryLineOfEveryScanAndAPictureOfEach() throws Exception {
        Path noScans = Files.createDirectories(dir.resolve("no-sxm"));
        Path out = dir.resolve("out");
        CliRunner r = CliRunner.run("demo", "--per-class", "1", "--sxm", noScans.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String[] scans = r.out().split("\n-- scan ");
        assertEquals(1 + 4, scans.length, "one section per class: " + r.out());
        Pattern row = Pattern.compile("(?m)^\\s*(\\d+)  \\S.*$");
        for (int s = 1; s < scans.length; s++) {
            String section = scans[s].split("\nlatency per line")[0];
            Matcher m = row.matcher(section);
            int expected = 0;
            while (m.find()) {
                assertEquals(expected++, Integer.parseInt(m.group(1)), "rows in line order: " + section);
            }
            assertEquals(128, expected, "a row for each of the shipped model's 128 lines: " + section);
            assertTrue(scans[s].contains("tip changes reported: "), scans[s]);
            // The model's verdict is said as such, and the label as the truth, not a bare "label: X".
            assertTrue(scans[s].contains("\nfinal prediction after line 127: "), scans[s]);
            assertTrue(scans[s].matches("(?s).*\ntrue class \\(the file's label\\): [a-z /]+; the final prediction "
                    + "(agrees|differs).*"), scans[s]);
            assertFalse(scans[s].contains("\nlabel: "), scans[s]);
        }
        assertTrue(r.out().contains("skipped: no .sxm files in " + noScans), r.out());
        for (String png : List.of("scan-0-individual-atoms.png", "scan-1-asymmetries-dimers.png", "scan-2-rows.png",
                "scan-3-generic-defects.png")) {
            assertTrue(Files.size(out.resolve(png)) > 0, png);
            assertTrue(r.out().contains("wrote " + out.resolve(png).toAbsolutePath()), r.out());
        }
    }

    @Test
    void eachClassOffersItsScanWithATipChangeFirstThenTheOthersInOrder() {
        int[] labels = {0, 1, 0, 1, 1, 0, 2};
        int[] changes = {-1, -1, -1, -1, 30, 40, -1};
        assertEquals(List.of(5, 0, 4, 1, 6), DemoCommand.pick(labels, changes, 3, 2));
        assertEquals(List.of(5, 4, 6), DemoCommand.pick(labels, changes, 3, 1));
        assertEquals(List.of(5, 0, 2, 4, 1, 3, 6), DemoCommand.pick(labels, changes, 3, 5));
    }

    @Test
    void aCompactRowHoldsTheClassTheTipStateAndAConfirmedTipChange() {
        float[] probs = {0.1f, 0.55f, 0.3f, 0.05f};
        LineState state = new LineState(2, "rows", new float[] {0.1f, 0.1f, 0.8f, 0.0f});
        TipChange change = new TipChange(40, 42, "asymmetries/dimers", "rows", 0.8f);
        Prediction p = new Prediction(1, "asymmetries/dimers", probs, 43, true, Optional.of(state), Optional.of(change));
        assertEquals("   42  asymmetries/dimers 0.55?  rows               0.80  << tip change asymmetries/dimers -> rows "
                + "from line 40 (p 0.80)", StreamCommand.compactRow(42, p));
        Prediction plain = new Prediction(0, "individual atoms", new float[] {0.9f, 0.1f}, 1, false);
        assertEquals("    0  individual atoms   0.90   -", StreamCommand.compactRow(0, plain));
        assertEquals("tip changes reported: asymmetries/dimers -> rows from line 40 (after line 42)",
                DemoCommand.reportedChanges(List.of(plain, p)));
        assertEquals("tip changes reported: none", DemoCommand.reportedChanges(List.of(plain)));
    }

    /**
     * One bad file among the real scans used to stop the demo with no pictures; now it is skipped with
     * its reason and the others are shown. A scan is drawn whole, and lines it was not classified on (here
     * a scan stopped after 120 of 200 lines) are greyed in the strips, which used to end without a mark.
     */
    @Test
    void aBadSxmIsSkippedWithItsReasonAndALongScanMarksTheLinesTheModelDidNotRead() throws Exception {
        Path bad = Files.writeString(dir.resolve("a_truncated.sxm"), "not a Nanonis file");
        Path longScan = SxmFiles.write(dir.resolve("b_long.sxm"), 16, 200, "down", true, 2, 120);
        StringWriter out = new StringWriter();
        List<Path> pictures;
        try (ScanLineClassifier c = PretrainedModels.open()) {
            pictures = DemoCommand.streamRealScans(c, List.of(bad, longScan), new PrintWriter(out, true), dir);
        }
        assertTrue(out.toString().contains("\nskipped " + bad + ": "), out.toString());
        assertTrue(out.toString().contains("1 of 2 .sxm files skipped (a_truncated.sxm); the others are shown"),
                out.toString());
        assertTrue(out.toString().contains("final prediction after line 119: "), out.toString());
        assertEquals(List.of(dir.resolve("b_long.png")), pictures);

        BufferedImage png = ImageIO.read(pictures.get(0).toFile());
        int stripsFrom = 16 * PredictionStrip.SCALE;
        int grey = PredictionStrip.NOT_CLASSIFIED.getRGB();
        int top = png.getHeight() - 4 - 200 * PredictionStrip.SCALE;
        int[] read = new int[2];
        for (int x = stripsFrom; x < stripsFrom + 70; x++) {
            read[0] += png.getRGB(x, top + 100 * PredictionStrip.SCALE) == grey ? 1 : 0;
            read[1] += png.getRGB(x, top + 160 * PredictionStrip.SCALE + 1) == grey ? 1 : 0;
        }
        assertEquals(0, read[0], "line 100 was classified: its strips are coloured");
        assertTrue(read[1] >= 2 * 28, "line 160 was not read: both strips grey across, found " + read[1] + " px");
    }
}
