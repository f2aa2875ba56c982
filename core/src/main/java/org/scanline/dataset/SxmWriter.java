package org.scanline.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;
import org.scanline.BadDataException;

/**
 * Writes a Nanonis {@code .sxm} scan the way the instrument does, so that everything that reads real
 * files ({@link org.scanline.sxm.SxmScan}, {@code classify}, {@code demo}) can be fed simulated ones:
 * the text header ({@code :SCAN_PIXELS:}, {@code :SCAN_RANGE:} in metres, {@code :SCAN_DIR:},
 * {@code :BIAS:}, a tab-separated {@code :DATA_INFO:} table), {@code :SCANIT_END:}, three newlines,
 * the marker {@code 0x1A 0x04}, then big-endian float32 data channel by channel, forward then
 * backward. The two real scans in {@code shared/data/sxm} show the same bytes.
 *
 * <p>Traces are given as the reader returns them: line 0 first acquired (the file keeps acquisition
 * order whatever {@code :SCAN_DIR:} says) and pixel 0 at the left in both directions. The writer
 * stores a backward trace right to left, in the order the tip moved, as instruments do.
 *
 * <pre>{@code
 * SxmWriter.of(128, 128).rangeMeters(12e-9, 12e-9).direction("down").biasVolts(-2.0)
 *         .channel("Z", "m", forward, backward)      // [lines × pixels] each, backward may be null
 *         .write(Path.of("scan_0001.sxm"));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class SxmWriter {
    private final int pixels;
    private final int lines;
    private double rangeX = 1e-8;
    private double rangeY = 1e-8;
    private String direction = "down";
    private double bias = -1.0;
    private String comment = "";
    private final List<Channel> channels = new ArrayList<>();

    private record Channel(String name, String unit, float[] forward, float[] backward) {
    }

    private SxmWriter(int pixels, int lines) {
        if (pixels < 1 || lines < 1) {
            throw new BadDataException("sxm: a scan needs at least 1 pixel and 1 line, found " + pixels + " × " + lines);
        }
        this.pixels = pixels;
        this.lines = lines;
    }

    /**
     * @param pixels pixels per line
     * @param lines lines
     * @return a writer for a scan of that shape, 10 nm × 10 nm, {@code down}, −1 V, no channels yet
     */
    public static SxmWriter of(int pixels, int lines) {
        return new SxmWriter(pixels, lines);
    }

    /** @param width frame width (fast axis), m @param height frame height, m @return this */
    public SxmWriter rangeMeters(double width, double height) {
        if (!(width > 0 && height > 0) || Double.isInfinite(width) || Double.isInfinite(height)) {
            throw new BadDataException("sxm: scan range must be positive and finite, found " + width + " × " + height);
        }
        rangeX = width;
        rangeY = height;
        return this;
    }

    /** @param dir {@code up} or {@code down} @return this */
    public SxmWriter direction(String dir) {
        if (!"up".equals(dir) && !"down".equals(dir)) {
            throw new BadDataException("sxm: scan direction must be up or down, found " + dir);
        }
        direction = dir;
        return this;
    }

    /** @param volts sample bias @return this */
    public SxmWriter biasVolts(double volts) {
        bias = volts;
        return this;
    }

    /** @param text one line for {@code :COMMENT:} (e.g. where the scan came from) @return this */
    public SxmWriter comment(String text) {
        comment = text.replace('\n', ' ');
        return this;
    }

    /**
     * Adds a channel; its traces are copied when written, not kept.
     *
     * @param name channel name, e.g. {@code Z}
     * @param unit its unit, e.g. {@code m}
     * @param forward lines × pixels, line 0 first acquired, pixel 0 at the left
     * @param backward the same for the backward trace (pixel 0 at the left), or null for a forward-only channel
     * @return this
     */
    public SxmWriter channel(String name, String unit, float[] forward, float[] backward) {
        requireShape(name, forward);
        if (backward != null) {
            requireShape(name, backward);
        }
        channels.add(new Channel(name, unit, forward, backward));
        return this;
    }

    private void requireShape(String name, float[] trace) {
        if (trace == null || trace.length != (long) lines * pixels) {
            throw new BadDataException("sxm: channel " + name + " needs " + lines + " × " + pixels + " values, found "
                    + (trace == null ? "none" : trace.length));
        }
    }

    /** @return the whole file */
    public byte[] toBytes() {
        if (channels.isEmpty()) {
            throw new BadDataException("sxm: a scan needs at least one channel");
        }
        StringBuilder h = new StringBuilder();
        h.append(":NANONIS_VERSION:\n2\n:SCANIT_TYPE:\n              FLOAT            MSBFIRST\n");
        h.append(":SCAN_PIXELS:\n       ").append(pixels).append("       ").append(lines).append('\n');
        h.append(":SCAN_RANGE:\n           ").append(sci(rangeX, 6)).append("           ").append(sci(rangeY, 6)).append('\n');
        h.append(":SCAN_OFFSET:\n             0.000000E+0         0.000000E+0\n");
        h.append(":SCAN_ANGLE:\n            0.000E+0\n");
        h.append(":SCAN_DIR:\n").append(direction).append('\n');
        h.append(":BIAS:\n            ").append(sci(bias, 3)).append('\n');
        h.append(":COMMENT:\n").append(comment).append('\n');
        h.append(":DATA_INFO:\n\tChannel\tName\tUnit\tDirection\tCalibration\tOffset\n");
        int index = 0;
        for (Channel c : channels) {
            h.append('\t').append(index++).append('\t').append(c.name).append('\t').append(c.unit).append('\t')
                    .append(c.backward == null ? "forward" : "both").append("\t1.000E+0\t0.000E+0\n");
        }
        h.append("\n:SCANIT_END:\n\n\n");
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        int traces = 0;
        for (Channel c : channels) {
            traces += c.backward == null ? 1 : 2;
        }
        ByteBuffer buf = ByteBuffer.allocate(head.length + 2 + traces * lines * pixels * Float.BYTES)
                .order(ByteOrder.BIG_ENDIAN);
        buf.put(head).put((byte) 0x1a).put((byte) 0x04);
        for (Channel c : channels) {
            for (float v : c.forward) {
                buf.putFloat(v);
            }
            if (c.backward != null) {
                for (int l = 0; l < lines; l++) {
                    for (int p = pixels - 1; p >= 0; p--) {
                        buf.putFloat(c.backward[l * pixels + p]);
                    }
                }
            }
        }
        return buf.array();
    }

    /** Nanonis's number format: {@code 5.000000E-8}, an exponent without leading zeros. */
    private static String sci(double v, int digits) {
        String s = String.format(Locale.ROOT, "%." + digits + "E", v);
        return s.replaceFirst("E([+-])0+(\\d)", "E$1$2");
    }

    /**
     * @param file destination (replaced if it exists)
     * @return the file
     * @throws UncheckedIOException if it cannot be written
     */
    public Path write(Path file) {
        try {
            Files.write(file, toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }
}
