package org.scanline.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.scanline.io.AtomicOutput;
import org.scanline.simulate.Parameter;
import org.scanline.simulate.SimulatedScan;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.SimulatorConfig;

/**
 * A PNG grid of simulated scans, one row per class, drawn as a microscopist views them: each line
 * flattened, the scan scaled between its 0.5 and 99.5 percentiles, gold (afmhot) colour map.
 */
final class Montage {
    private static final int TILE = 176;
    private static final int GAP = 8;
    private static final int LABEL_W = 150;
    private static final int CAPTION_H = 18;
    private static final int TITLE_H = 34;

    private Montage() {
    }

    static void write(SimulatorConfig config, long seed, int perClass, Path out) {
        System.setProperty("java.awt.headless", "true");
        Simulator sim = new Simulator(config);
        int classes = SimulatorConfig.CLASS_NAMES.size();
        List<List<SimulatedScan>> picked = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            picked.add(new ArrayList<>());
        }
        int found = 0;
        for (long i = 0; found < classes * perClass && i < 100_000; i++) {
            SimulatedScan s = sim.scan(seed, i);
            List<SimulatedScan> row = picked.get(s.labelTrue());
            if (row.size() < perClass) {
                row.add(s);
                found++;
            }
        }
        int w = LABEL_W + perClass * (TILE + GAP) + GAP;
        int h = TITLE_H + classes * (TILE + CAPTION_H + GAP) + GAP;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(24, 24, 28));
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Simulated H:Si(100)-2×1 scans, " + config.version() + " (seed " + seed + ", true class per row)",
                GAP, 23);
        for (int c = 0; c < classes; c++) {
            int y0 = TITLE_H + c * (TILE + CAPTION_H + GAP);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            String[] words = SimulatorConfig.CLASS_NAMES.get(c).split(" |/");
            g.drawString(c + ":", GAP, y0 + TILE / 2 - 10);
            int ty = y0 + TILE / 2 + 8;
            for (String word : words) {
                g.drawString(word, GAP + 18, ty - 18);
                ty += 18;
            }
            List<SimulatedScan> row = picked.get(c);
            for (int k = 0; k < row.size(); k++) {
                SimulatedScan s = row.get(k);
                int x0 = LABEL_W + k * (TILE + GAP);
                g.drawImage(tile(s), x0, y0, TILE, TILE, null);
                if (s.changeLine() >= 0) {
                    int yl = y0 + (int) Math.round((double) s.changeLine() * TILE / s.lines());
                    g.setColor(new Color(90, 200, 255));
                    g.setStroke(new BasicStroke(2));
                    g.drawLine(x0 - 6, yl, x0 - 1, yl);
                }
                g.setColor(new Color(200, 200, 200));
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                double size = s.parameters().get(Parameter.SCAN_SIZE_NM);
                double sigma = s.parameters().get(Parameter.SIGMA_NM);
                String cap = String.format("%.1f nm  σ=%.3f", size, sigma);
                if (s.changeLine() >= 0) {
                    cap = String.format("%.1f nm  change@%d", size, s.changeLine());
                } else if (c == 3) {
                    cap = String.format("%.1f nm  unstable", size);
                }
                if (s.label() != s.labelTrue()) {
                    cap += "  (ann. " + s.label() + ")";
                }
                g.drawString(cap, x0 + 2, y0 + TILE + 13);
            }
        }
        g.dispose();
        AtomicOutput.writeFile(out, tmp -> {
            // to a File, not a stream: ImageIO would otherwise buffer through a cache file of its own
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    private static BufferedImage tile(SimulatedScan s) {
        int lines = s.lines();
        int pixels = s.pixels();
        float[] v = s.image().clone();
        for (int l = 0; l < lines; l++) {
            int b = l * pixels;
            double xm = (pixels - 1) / 2.0;
            double mean = 0;
            double sxy = 0;
            double sxx = 0;
            for (int j = 0; j < pixels; j++) {
                mean += v[b + j];
            }
            mean /= pixels;
            for (int j = 0; j < pixels; j++) {
                sxy += (j - xm) * (v[b + j] - mean);
                sxx += (j - xm) * (j - xm);
            }
            double slope = sxy / sxx;
            for (int j = 0; j < pixels; j++) {
                v[b + j] = (float) (v[b + j] - mean - slope * (j - xm));
            }
        }
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        double lo = sorted[(int) (0.005 * (sorted.length - 1))];
        double hi = sorted[(int) (0.995 * (sorted.length - 1))];
        double range = hi > lo ? hi - lo : 1;
        BufferedImage img = new BufferedImage(pixels, lines, BufferedImage.TYPE_INT_RGB);
        for (int l = 0; l < lines; l++) {
            for (int j = 0; j < pixels; j++) {
                double x = Math.max(0, Math.min(1, (v[l * pixels + j] - lo) / range));
                img.setRGB(j, l, afmhot(x));
            }
        }
        return img;
    }

    /** The gold ramp of STM images (matplotlib's afmhot): black, brown, orange, yellow, white. */
    static int afmhot(double x) {
        int r = (int) Math.round(255 * Math.max(0, Math.min(1, 2 * x)));
        int gr = (int) Math.round(255 * Math.max(0, Math.min(1, 2 * x - 0.5)));
        int b = (int) Math.round(255 * Math.max(0, Math.min(1, 2 * x - 1)));
        return (r << 16) | (gr << 8) | b;
    }
}
