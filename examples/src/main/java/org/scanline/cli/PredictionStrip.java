package org.scanline.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.scanline.Prediction;
import org.scanline.io.AtomicOutput;
import org.scanline.view.HeightImage;

/**
 * A scan beside what the model said after every line: the image (line-levelled, with a colour
 * scale in physical units: {@link HeightImage}, the same rendering as the browser view), then a strip
 * with the predicted class after each line (faded while uncertain), then a strip with the tip state of each line, with tip-change events
 * marked, and a legend; lines beyond the model's maximum are greyed in the strips, below a dashed
 * red line, and named in the title and legend. One PNG per scan, so a person sees at a glance where
 * the model made up its mind and where the tip changed.
 */
final class PredictionStrip {
    static final Color[] CLASS_COLORS = {new Color(0x1b9e77), new Color(0x7570b3), new Color(0xd95f02), new Color(0xe7298a)};
    /** The strips below the last line the model read. */
    static final Color NOT_CLASSIFIED = new Color(0xbdbdbd);
    static final int SCALE = 3;
    private static final int STRIP = 28;
    private static final int GAP = 6;
    private static final int LEGEND_W = 300;
    private static final int BAR_W = 12;
    // the title on a row of its own, then the column headers: a long title ran into "class" and "tip"
    private static final int TITLE_H = 36;

    private PredictionStrip() {
    }

    /**
     * @param lines the scan's lines as acquired (any width; drawn as they are)
     * @param unit the unit of the heights, {@code m} for a Z channel
     * @param predictions the stream's prediction after each line (may be fewer than the lines)
     * @param classNames class names, index = colour
     * @param title text above the image
     * @param out the PNG to write
     */
    static void write(float[][] lines, String unit, List<Prediction> predictions, List<String> classNames, String title,
            Path out) {
        int h = lines.length;
        int w = lines[0].length;
        int imgW = w * SCALE;
        int imgH = h * SCALE;
        int width = imgW + 2 * (GAP + STRIP) + GAP + LEGEND_W;
        int height = TITLE_H + imgH + 4;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int classified = Math.min(predictions.size(), h);
        g.drawString(classified < h ? title + " (the model read the first " + classified + " of " + h + " lines)"
                : title, 4, 15);
        HeightImage.Unit u = HeightImage.Unit.of(unit);
        float[][] levelled = HeightImage.level(lines, u);
        HeightImage.Scale scale = HeightImage.scale(levelled, h, u);
        g.drawImage(HeightImage.render(levelled, scale), 0, TITLE_H, imgW, imgH, null);
        int classX = imgW + GAP;
        int stateX = classX + STRIP + GAP;
        for (int l = 0; l < predictions.size() && l < h; l++) {
            Prediction p = predictions.get(l);
            Color c = CLASS_COLORS[p.classIndex() % CLASS_COLORS.length];
            g.setColor(p.uncertain() ? blend(c, Color.WHITE, 0.6) : c);
            g.fillRect(classX, TITLE_H + l * SCALE, STRIP, SCALE);
            if (p.lineState().isPresent()) {
                g.setColor(CLASS_COLORS[p.lineState().get().index() % CLASS_COLORS.length]);
                g.fillRect(stateX, TITLE_H + l * SCALE, STRIP, SCALE);
            }
            if (p.tipChange().isPresent()) {
                int y = TITLE_H + p.tipChange().get().line() * SCALE;
                g.setColor(Color.BLACK);
                g.fillRect(stateX - 3, y - 1, STRIP + 6, 2);
            }
        }
        if (classified < h) {
            // Lines the model never read (a scan longer than its maximum): grey strips and a dashed line
            // across the scan, so the strips are not read as covering the whole picture.
            int y = TITLE_H + classified * SCALE;
            g.setColor(NOT_CLASSIFIED);
            g.fillRect(classX, y, STRIP, imgH - classified * SCALE);
            g.fillRect(stateX, y, STRIP, imgH - classified * SCALE);
            g.setColor(Color.RED);
            for (int x = 0; x < stateX + STRIP; x += 8) {
                g.fillRect(x, y - 1, 5, 2);
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("class", classX, TITLE_H - 3);
        g.drawString("tip", stateX + 4, TITLE_H - 3);
        int lx = stateX + STRIP + GAP + 6;
        int ly = TITLE_H + 12;
        for (int c = 0; c < classNames.size(); c++) {
            g.setColor(CLASS_COLORS[c % CLASS_COLORS.length]);
            g.fillRect(lx, ly - 10, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(classNames.get(c), lx + 18, ly);
            ly += 18;
        }
        g.drawString("pale: uncertain", lx, ly + 6);
        g.drawString("black bar: tip change", lx, ly + 24);
        g.drawString("line 0 at the top", lx, ly + 42);
        colourBar(g, scale, lx + 190, TITLE_H + 14, Math.min(imgH - 28, 160));
        if (classified < h) {
            g.setColor(NOT_CLASSIFIED);
            g.fillRect(lx, ly + 50, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString("lines " + classified + "–" + (h - 1) + ": not classified", lx + 18, ly + 60);
        }
        g.dispose();
        AtomicOutput.writeFile(out, tmp -> {
            // to a File, not a stream: ImageIO would otherwise buffer through a cache file of its own
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** The colour scale, white (its top) to black, with its ends in physical units. */
    private static void colourBar(Graphics2D g, HeightImage.Scale scale, int x, int y, int height) {
        for (int k = 0; k < height; k++) {
            g.setColor(new Color(HeightImage.afmhot(1 - k / (double) Math.max(1, height - 1))));
            g.fillRect(x, y + k, BAR_W, 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x, y, BAR_W, height);
        g.drawString(scale.unit().label(scale.hi()), x + BAR_W + 4, y + 10);
        g.drawString(scale.unit().label(scale.lo()), x + BAR_W + 4, y + height);
        g.drawString("each line", x - 10, y + height + 16);
        g.drawString("levelled", x - 10, y + height + 30);
    }

    private static Color blend(Color a, Color b, double t) {
        return new Color((int) (a.getRed() * (1 - t) + b.getRed() * t), (int) (a.getGreen() * (1 - t) + b.getGreen() * t),
                (int) (a.getBlue() * (1 - t) + b.getBlue() * t));
    }
}
