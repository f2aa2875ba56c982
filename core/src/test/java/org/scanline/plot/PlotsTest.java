package org.scanline.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.analysis.RunResults;
import org.scanline.analysis.SyntheticRuns;
import org.scanline.train.TrainingConfig;

class PlotsTest {
    @TempDir
    Path tmp;

    /** Where to keep the PNGs for a look by eye: -Dscanline.plots.keep=DIR. */
    private Path out() throws Exception {
        String keep = System.getProperty("scanline.plots.keep");
        return keep == null ? tmp : Files.createDirectories(Path.of(keep));
    }

    private static BufferedImage image(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null, png + " is not a readable image");
        return img;
    }

    private static long colours(BufferedImage img) {
        return Stream.iterate(0, i -> i + 7).limit((long) img.getWidth() * img.getHeight() / 7)
                .map(i -> img.getRGB(i % img.getWidth(), i / img.getWidth())).distinct().count();
    }

    @Test
    void drawsTrainingCurvesAndComparison() throws Exception {
        TrainingConfig c = TrainingConfig.builder().epochs(40).build();
        RunResults a = RunResults.read(SyntheticRuns.write(tmp.resolve("20251203_101500"), c, 40, 17, 0.66));
        RunResults b = RunResults.read(SyntheticRuns.write(tmp.resolve("20251204_090000"), c, 30, 25, 0.71));
        Path dir = out();
        Plots.trainingCurves(a, dir.resolve("training_curves.png"));
        BufferedImage img = image(dir.resolve("training_curves.png"));
        assertEquals(3 * 560, img.getWidth(), "three panels side by side");
        assertTrue(colours(img) > 10, "not a blank image");
        Plots.validationComparison(List.of(a, b), dir.resolve("comparison.png"));
        assertTrue(colours(image(dir.resolve("comparison.png"))) > 10);
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary files left");
        }
    }

    @Test
    void drawsConfusionMatrixAndLinesSeen() throws Exception {
        Path dir = out();
        long[][] counts = {{50, 3, 2, 0}, {4, 310, 20, 6}, {1, 30, 120, 9}, {0, 12, 8, 200}};
        Plots.confusionMatrix(counts, List.of("good", "blunt", "double", "unstable"), "Confusion matrix (synthetic)",
                dir.resolve("confusion.png"));
        assertEquals(640, image(dir.resolve("confusion.png")).getWidth());
        double[] x = new double[128];
        double[] y1 = new double[128];
        double[] y2 = new double[128];
        for (int i = 0; i < 128; i++) {
            x[i] = i + 1;
            y1[i] = 0.25 + 0.45 * (1 - Math.exp(-(i + 1) / 20.0));
            y2[i] = 0.25 + 0.40 * (1 - Math.exp(-(i + 1) / 35.0));
        }
        Plots.versusLinesSeen("Balanced accuracy vs lines seen (synthetic)", "balanced accuracy",
                List.of(new Plots.Curve("causal", x, y1), new Plots.Curve("lrcn", x, y2)), 0.95 * y1[127], "95 % of causal full scan",
                dir.resolve("lines_seen.png"));
        assertTrue(colours(image(dir.resolve("lines_seen.png"))) > 10);
        assertThrows(IllegalArgumentException.class,
                () -> Plots.confusionMatrix(counts, List.of("a", "b"), "t", dir.resolve("bad.png")));
        assertTrue(Files.notExists(dir.resolve("bad.png")));
    }
}
