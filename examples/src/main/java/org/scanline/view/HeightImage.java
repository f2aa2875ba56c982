package org.scanline.view;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * How a scan is drawn for a person, in one place for the browser view and the demo's PNGs: every
 * line levelled on its own (its least-squares straight line subtracted: Gwyddion's default "align
 * rows" view, which removes the plane tilt and the line-to-line offsets that dominate raw heights),
 * heights in a display unit (pm for metres), the colour scale spanning the 0.5th to 99.5th percentile
 * of the levelled heights so far, and the afmhot ramp. The page's script draws with the same ramp
 * ({@code afmhot} in {@code view.js}); the levelled heights and the scale it draws come from here.
 *
 * <pre>{@code
 * float[][] levelled = HeightImage.level(rawLines, HeightImage.Unit.of("m"));
 * HeightImage.Scale scale = HeightImage.scale(levelled, levelled.length, HeightImage.Unit.of("m"));
 * BufferedImage img = HeightImage.render(levelled, scale);
 * }</pre>
 */
@API(status = API.Status.INTERNAL)
public final class HeightImage {
    private static final double LOW_PERCENTILE = 0.005;
    private static final double HIGH_PERCENTILE = 0.995;

    private HeightImage() {
    }

    /**
     * The unit heights are shown in.
     *
     * @param name what the scale says: {@code pm} for heights in metres, else the data's own unit
     * @param factor display value = stored value × factor
     */
    public record Unit(String name, double factor) {
        /**
         * @param stored the unit heights are stored in: {@code m} (a Nanonis Z channel, the simulator),
         *     anything else is shown as it is
         * @return the display unit
         */
        public static Unit of(String stored) {
            return "m".equals(stored) ? new Unit("pm", 1e12) : new Unit(stored == null ? "" : stored, 1);
        }

        /**
         * @param value a height in this unit
         * @return it for a label: pm below 1 nm in magnitude, else nm, for heights in metres
         */
        public String label(double value) {
            if (name.equals("pm") && Math.abs(value) >= 1000) {
                return String.format(Locale.ROOT, "%.2f nm", value / 1000);
            }
            return String.format(Locale.ROOT, "%.0f %s", value, name).strip();
        }
    }

    /**
     * A colour scale: {@code lo} is black, {@code hi} white.
     *
     * @param lo lowest height, in {@code unit}
     * @param hi highest height, in {@code unit}
     * @param unit the display unit
     */
    public record Scale(double lo, double hi, Unit unit) {
        /**
         * @param value a height in the display unit (NaN for a missing pixel)
         * @return its position on the scale, 0 to 1 (0.5 for NaN or an empty scale)
         */
        public double position(double value) {
            if (!Double.isFinite(value) || !(hi > lo)) {
                return 0.5;
            }
            return Math.max(0, Math.min(1, (value - lo) / (hi - lo)));
        }
    }

    /**
     * @param raw a line as acquired (not modified)
     * @param unit the display unit
     * @return the line minus its least-squares straight line over its finite pixels, in the display
     *     unit; non-finite pixels stay NaN, and a line with fewer than two finite pixels is all NaN
     *     but for one finite pixel, which becomes 0
     */
    public static float[] levelLine(float[] raw, Unit unit) {
        int n = 0;
        double sx = 0;
        double sy = 0;
        for (int j = 0; j < raw.length; j++) {
            if (Float.isFinite(raw[j])) {
                n++;
                sx += j;
                sy += raw[j];
            }
        }
        float[] out = new float[raw.length];
        if (n == 0) {
            Arrays.fill(out, Float.NaN);
            return out;
        }
        double mx = sx / n;
        double my = sy / n;
        double sxy = 0;
        double sxx = 0;
        for (int j = 0; j < raw.length; j++) {
            if (Float.isFinite(raw[j])) {
                sxy += (j - mx) * (raw[j] - my);
                sxx += (j - mx) * (j - mx);
            }
        }
        double slope = sxx > 0 ? sxy / sxx : 0;
        for (int j = 0; j < raw.length; j++) {
            out[j] = Float.isFinite(raw[j]) ? (float) ((raw[j] - my - slope * (j - mx)) * unit.factor()) : Float.NaN;
        }
        return out;
    }

    /**
     * @param raw lines as acquired
     * @param unit the display unit
     * @return every line levelled ({@link #levelLine})
     */
    public static float[][] level(float[][] raw, Unit unit) {
        float[][] out = new float[raw.length][];
        for (int l = 0; l < raw.length; l++) {
            out[l] = levelLine(raw[l], unit);
        }
        return out;
    }

    /**
     * @param levelled levelled lines in the display unit
     * @param rows how many of them (the lines so far)
     * @param unit the display unit
     * @return the scale from the 0.5th to the 99.5th percentile of their finite heights, so that a few
     *     spikes do not wash the picture out; [0, 0] without finite heights
     */
    public static Scale scale(float[][] levelled, int rows, Unit unit) {
        return scale(levelled, rows, unit, 1);
    }

    /**
     * {@link #scale(float[][], int, Unit)} from every {@code stride}-th height only: an estimate that
     * costs a {@code stride}-th of the sorting, for a scale redrawn while a large scan grows.
     *
     * @param levelled levelled lines in the display unit
     * @param rows how many of them
     * @param unit the display unit
     * @param stride take every this many heights, 1 for all
     * @return the scale
     */
    public static Scale scale(float[][] levelled, int rows, Unit unit, int stride) {
        int n = 0;
        for (int l = 0; l < rows; l++) {
            n += levelled[l].length;
        }
        float[] v = new float[n / stride + 1];
        int k = 0;
        int seen = 0;
        for (int l = 0; l < rows; l++) {
            for (float x : levelled[l]) {
                if (seen++ % stride == 0 && Float.isFinite(x) && k < v.length) {
                    v[k++] = x;
                }
            }
        }
        if (k == 0) {
            return new Scale(0, 0, unit);
        }
        Arrays.sort(v, 0, k);
        return new Scale(v[(int) (LOW_PERCENTILE * (k - 1))], v[(int) Math.ceil(HIGH_PERCENTILE * (k - 1))], unit);
    }

    /**
     * @param levelled levelled lines, line 0 at the top
     * @param scale the colour scale
     * @return one pixel per height, coloured with {@link #afmhot}
     */
    public static BufferedImage render(float[][] levelled, Scale scale) {
        int w = levelled.length == 0 ? 1 : Math.max(1, levelled[0].length);
        BufferedImage img = new BufferedImage(w, Math.max(1, levelled.length), BufferedImage.TYPE_INT_RGB);
        for (int l = 0; l < levelled.length; l++) {
            for (int x = 0; x < levelled[l].length && x < w; x++) {
                img.setRGB(x, l, afmhot(scale.position(levelled[l][x])));
            }
        }
        return img;
    }

    /**
     * The gold ramp of STM images (matplotlib's afmhot): black, brown, orange, yellow, white.
     * {@code view.js} has the same three lines.
     *
     * @param x position on the scale, 0 to 1
     * @return 0xRRGGBB
     */
    public static int afmhot(double x) {
        int r = (int) Math.round(255 * Math.max(0, Math.min(1, 2 * x)));
        int g = (int) Math.round(255 * Math.max(0, Math.min(1, 2 * x - 0.5)));
        int b = (int) Math.round(255 * Math.max(0, Math.min(1, 2 * x - 1)));
        return (r << 16) | (g << 8) | b;
    }
}
