package org.scanline.sxm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.io.InputFiles;

/**
 * A Nanonis {@code .sxm} scan: its header and every channel's forward and backward trace as
 * lines × pixels.
 *
 * <h2>File layout</h2>
 * A text header of {@code :KEY:} lines, each followed by its value, ends with {@code :SCANIT_END:};
 * the binary data starts after the two-byte marker {@code 0x1A 0x04}. {@code :SCAN_PIXELS:} gives
 * pixels per line, then lines; {@code :SCANIT_TYPE:} gives the element type ({@code FLOAT MSBFIRST}:
 * big-endian float32). The {@code :DATA_INFO:} table lists the channels in file order; each channel
 * stores its forward trace and then its backward trace (if its direction is {@code both}), each one
 * full image of lines × pixels, row by row.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>Line 0 is the first line acquired</b>, whatever {@code :SCAN_DIR:} says. Nanonis writes rows
 *   in acquisition order: this is why viewers flip {@code up} scans vertically before display (e.g.
 *   {@code orientateData} in ETH's {@code matlab_nanonis} flips only for {@code up}), while a
 *   {@code down} scan's first row is already the top of the image. A line-by-line classifier needs
 *   acquisition order, so we never flip; {@link #topDown} gives the display orientation.</li>
 *   <li><b>Backward traces are mirrored</b>: the file stores them in the order the tip moved, right to
 *   left; we reverse each line so pixel p is the same place in both traces (the forward trace and the
 *   mirrored backward trace of the real scans correlate; unmirrored they do not).</li>
 *   <li><b>NaN pixels are returned as they are</b>: a scan stopped early leaves its unacquired lines
 *   NaN. {@link #acquiredLines} counts the complete lines; building a {@code ScanDataset} rejects
 *   non-finite pixels with their count and first position.</li>
 * </ul>
 *
 * <pre>{@code
 * SxmScan scan = SxmScan.read(Path.of("Si_7x7_028.sxm"));
 * float[][] z = scan.trace("Z", TraceDirection.FORWARD); // [line][pixel], line 0 acquired first
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class SxmScan {
    private static final int MAX_HEADER = 1 << 20;
    private static final int MAX_SIDE = 1 << 16;

    private final Path file;
    private final Map<String, String> header;
    private final int lines;
    private final int pixels;
    private final List<SxmChannel> channels;
    private final List<float[]> traces;
    private final long dataOffset;

    private SxmScan(Path file, Map<String, String> header, int lines, int pixels, List<SxmChannel> channels,
            List<float[]> traces, long dataOffset) {
        this.file = file;
        this.header = header;
        this.lines = lines;
        this.pixels = pixels;
        this.channels = channels;
        this.traces = traces;
        this.dataOffset = dataOffset;
    }

    /**
     * Reads a whole {@code .sxm} file.
     *
     * @param file the file
     * @return the scan
     * @throws BadDataException if the file is not a complete, supported Nanonis scan, or not a regular
     *     file (a FIFO or {@code /dev/zero} is refused before it is opened, never read without end)
     * @throws UncheckedIOException if it cannot be read, with the operating system's reason
     */
    public static SxmScan read(Path file) {
        InputFiles.requireRegular(file, "a Nanonis .sxm scan");
        byte[] bytes;
        // The whole file and its decoded traces (as many bytes again) are held at once.
        long limit = Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 3);
        try {
            long size = Files.size(file);
            if (size > limit) {
                throw new BadDataException(file + ": " + size + " bytes is larger than a Nanonis scan this JVM can "
                        + "hold (at most " + limit + " bytes, a third of the heap)");
            }
            bytes = InputFiles.readAtMost(file, limit, "a Nanonis scan this JVM can hold (a third of the heap)");
        } catch (IOException e) {
            throw InputFiles.cannotRead(file, e);
        }
        return parse(file, bytes);
    }

    static SxmScan parse(Path file, byte[] bytes) {
        String where = file.toString();
        int end = indexOf(bytes, ":SCANIT_END:".getBytes(StandardCharsets.US_ASCII), 0, Math.min(bytes.length, MAX_HEADER));
        if (end < 0) {
            throw new BadDataException(where + ": not a Nanonis .sxm scan (no :SCANIT_END: in the first "
                    + Math.min(bytes.length, MAX_HEADER) + " bytes)");
        }
        String text = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        if (!text.startsWith(":NANONIS_VERSION:")) {
            throw new BadDataException(where + ": not a Nanonis .sxm scan (it does not start with :NANONIS_VERSION:)");
        }
        Map<String, String> header = parseHeader(text);
        int marker = indexOf(bytes, new byte[] {0x1a, 0x04}, end, Math.min(bytes.length, end + 4096));
        if (marker < 0) {
            throw new BadDataException(where + ": no data marker \\x1A\\x04 after :SCANIT_END:");
        }
        long dataOffset = marker + 2L;

        int[] size = ints(header, "SCAN_PIXELS", 2, where);
        int pixels = size[0];
        int lines = size[1];
        if (pixels <= 0 || lines <= 0 || pixels > MAX_SIDE || lines > MAX_SIDE) {
            throw new BadDataException(where + ": :SCAN_PIXELS: " + pixels + " × " + lines
                    + " is not a plausible scan size (1 to " + MAX_SIDE + " each)");
        }
        ByteOrder order = elementOrder(header.get("SCANIT_TYPE"), where);
        List<SxmChannel> channels = parseChannels(header.get("DATA_INFO"), where);
        long image = (long) lines * pixels;
        long traceCount = channels.stream().mapToLong(SxmChannel::traceCount).sum();
        long need = traceCount * image * Float.BYTES;
        long have = bytes.length - dataOffset;
        if (need > have) {
            throw new BadDataException(where + ": " + channels.size() + " channel(s), " + traceCount + " trace(s) of "
                    + lines + " × " + pixels + " need " + need + " bytes of data, only " + have + " follow the marker");
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(order);
        List<float[]> traces = new ArrayList<>();
        long pos = dataOffset;
        for (SxmChannel ch : channels) {
            for (int t = 0; t < ch.traceCount(); t++) {
                boolean backward = ch.traceCount() == 2 ? t == 1 : ch.direction().equals("backward");
                float[] out = new float[(int) image];
                for (int l = 0; l < lines; l++) {
                    int row = (int) (pos + (long) l * pixels * Float.BYTES);
                    for (int p = 0; p < pixels; p++) {
                        int dst = backward ? pixels - 1 - p : p;
                        out[l * pixels + dst] = bb.getFloat(row + p * Float.BYTES);
                    }
                }
                traces.add(out);
                pos += image * Float.BYTES;
            }
        }
        return new SxmScan(file, Collections.unmodifiableMap(header), lines, pixels, List.copyOf(channels),
                traces, dataOffset);
    }

    private static Map<String, String> parseHeader(String text) {
        Map<String, String> header = new LinkedHashMap<>();
        String key = null;
        StringBuilder value = new StringBuilder();
        for (String raw : text.split("\r?\n", -1)) {
            String line = raw.strip();
            if (line.length() > 1 && line.startsWith(":") && line.endsWith(":") && !raw.startsWith("\t")) {
                if (key != null) {
                    header.put(key, value.toString().strip());
                }
                key = line.substring(1, line.length() - 1);
                value.setLength(0);
            } else if (key != null) {
                if (value.length() > 0) {
                    value.append('\n');
                }
                value.append(raw.stripTrailing());
            }
        }
        if (key != null) {
            header.put(key, value.toString().strip());
        }
        return header;
    }

    private static ByteOrder elementOrder(String type, String where) {
        String t = type == null ? "" : type.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        return switch (t) {
            case "FLOAT MSBFIRST" -> ByteOrder.BIG_ENDIAN;
            case "FLOAT LSBFIRST" -> ByteOrder.LITTLE_ENDIAN;
            default -> throw new BadDataException(where + ": :SCANIT_TYPE: '" + type
                    + "' is not supported (FLOAT MSBFIRST or FLOAT LSBFIRST)");
        };
    }

    private static List<SxmChannel> parseChannels(String table, String where) {
        if (table == null || table.isBlank()) {
            throw new BadDataException(where + ": no :DATA_INFO: channel table");
        }
        List<SxmChannel> out = new ArrayList<>();
        String[] rows = table.strip().split("\n");
        for (int r = 1; r < rows.length; r++) {
            String row = rows[r].strip();
            if (row.isEmpty()) {
                continue;
            }
            String[] f = row.split("\t");
            if (f.length < 4) {
                throw new BadDataException(where + ": :DATA_INFO: row '" + row + "' has fewer than 4 columns");
            }
            String dir = f[3].strip().toLowerCase(Locale.ROOT);
            if (!dir.equals("both") && !dir.equals("forward") && !dir.equals("backward")) {
                throw new BadDataException(where + ": channel " + f[1].strip() + " has direction '" + f[3].strip()
                        + "' (expected both, forward or backward)");
            }
            try {
                out.add(new SxmChannel(Integer.parseInt(f[0].strip()), f[1].strip(), f[2].strip(), dir,
                        f.length > 4 ? Double.parseDouble(f[4].strip()) : 1.0,
                        f.length > 5 ? Double.parseDouble(f[5].strip()) : 0.0));
            } catch (NumberFormatException e) {
                throw new BadDataException(where + ": :DATA_INFO: row '" + row + "' has a malformed number");
            }
        }
        if (out.isEmpty()) {
            throw new BadDataException(where + ": :DATA_INFO: lists no channels");
        }
        return out;
    }

    private static int[] ints(Map<String, String> header, String key, int count, String where) {
        double[] d = numbers(header, key, count, where);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            if (d[i] != Math.rint(d[i]) || Math.abs(d[i]) > Integer.MAX_VALUE) {
                throw new BadDataException(where + ": :" + key + ": value " + d[i] + " is not an integer");
            }
            out[i] = (int) d[i];
        }
        return out;
    }

    private static double[] numbers(Map<String, String> header, String key, int count, String where) {
        String v = header.get(key);
        if (v == null) {
            throw new BadDataException(where + ": header has no :" + key + ":");
        }
        String[] parts = v.strip().split("\\s+");
        if (parts.length < count) {
            throw new BadDataException(where + ": :" + key + ": '" + v + "' needs " + count + " number(s)");
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            try {
                out[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new BadDataException(where + ": :" + key + ": '" + v + "' is not numeric");
            }
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from, int to) {
        outer:
        for (int i = Math.max(0, from); i <= to - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** @return the file read */
    public Path file() {
        return file;
    }

    /** @return every header entry, key without colons to its text value (multi-line values keep their lines) */
    public Map<String, String> header() {
        return header;
    }

    /** @return lines per scan (the second number of {@code :SCAN_PIXELS:}) */
    public int lines() {
        return lines;
    }

    /** @return pixels per line (the first number of {@code :SCAN_PIXELS:}) */
    public int pixels() {
        return pixels;
    }

    /** @return the scanned area, width then height, in metres ({@code :SCAN_RANGE:}) */
    public double[] rangeMeters() {
        return numbers(header, "SCAN_RANGE", 2, file.toString());
    }

    /**
     * The physical sampling of the scan, for {@link org.scanline.ScanLineClassifier#newStream(org.scanline.Sampling, int)}
     * and {@link org.scanline.ScanLineClassifier#classifyAcquired(float[][], org.scanline.Sampling)}: the
     * frame's width and height ({@code :SCAN_RANGE:}, metres) over its pixels and lines ({@code :SCAN_PIXELS:}).
     *
     * @return the sampling, or empty when the header has no usable {@code :SCAN_RANGE:} (missing, not
     *     numeric, zero or negative)
     */
    public java.util.Optional<org.scanline.Sampling> sampling() {
        if (!header.containsKey("SCAN_RANGE")) {
            return java.util.Optional.empty();
        }
        try {
            double[] range = rangeMeters();
            return java.util.Optional.of(org.scanline.Sampling.ofFrame(range[0] * 1e9, range[1] * 1e9, pixels, lines));
        } catch (BadDataException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** @return {@code :SCAN_DIR:}, {@code up} or {@code down} */
    public String scanDirection() {
        return header.getOrDefault("SCAN_DIR", "").strip();
    }

    /** @return the sample bias in volts ({@code :BIAS:}), or NaN if the header has none */
    public double biasVolts() {
        return header.containsKey("BIAS") ? numbers(header, "BIAS", 1, file.toString())[0] : Double.NaN;
    }

    /** @return the channels in file order */
    public List<SxmChannel> channels() {
        return channels;
    }

    /** @return the byte offset of the first data value (after the {@code \x1A\x04} marker) */
    public long dataOffset() {
        return dataOffset;
    }

    /**
     * One trace as a flat row-major array, line 0 acquired first, backward traces mirrored.
     *
     * @param channel channel name (case-insensitive), e.g. {@code Z}
     * @param direction forward or backward
     * @return the backing array (lines × pixels); callers must not modify it
     * @throws BadDataException if the file has no such channel or trace
     */
    public float[] traceFlat(String channel, TraceDirection direction) {
        int k = 0;
        for (SxmChannel ch : channels) {
            if (ch.name().equalsIgnoreCase(channel)) {
                boolean fwd = direction == TraceDirection.FORWARD;
                if (fwd ? !ch.hasForward() : !ch.hasBackward()) {
                    throw new BadDataException(file + ": channel " + ch.name() + " has no "
                            + direction.name().toLowerCase(Locale.ROOT) + " trace (direction " + ch.direction() + ")");
                }
                return traces.get(k + (ch.traceCount() == 2 && !fwd ? 1 : 0));
            }
            k += ch.traceCount();
        }
        throw new BadDataException(file + ": no channel '" + channel + "' (found "
                + channels.stream().map(SxmChannel::name).toList() + ")");
    }

    /**
     * One trace as lines × pixels (a copy).
     *
     * @param channel channel name
     * @param direction forward or backward
     * @return {@code [line][pixel]}, line 0 acquired first
     */
    public float[][] trace(String channel, TraceDirection direction) {
        float[] flat = traceFlat(channel, direction);
        float[][] out = new float[lines][pixels];
        for (int l = 0; l < lines; l++) {
            System.arraycopy(flat, l * pixels, out[l], 0, pixels);
        }
        return out;
    }

    /**
     * The trace in display orientation: top of the image first. Equal to {@link #trace} for
     * {@code down} scans, flipped vertically for {@code up} scans.
     *
     * @param channel channel name
     * @param direction forward or backward
     * @return {@code [row][pixel]} with row 0 at the top of the image
     */
    public float[][] topDown(String channel, TraceDirection direction) {
        float[][] t = trace(channel, direction);
        if ("up".equalsIgnoreCase(scanDirection())) {
            Collections.reverse(java.util.Arrays.asList(t));
        }
        return t;
    }

    /**
     * @param channel channel name
     * @param direction forward or backward
     * @return the lines acquired: the leading lines of which at most half the pixels are NaN or
     *     infinite ({@link org.scanline.ScanLineClassifier#acquiredLines}; a dead pixel is repaired later)
     */
    public int acquiredLines(String channel, TraceDirection direction) {
        return org.scanline.ScanLineClassifier.acquiredLines(trace(channel, direction));
    }

    @Override
    public String toString() {
        return "SxmScan[" + file + ": " + lines + " × " + pixels + ", " + scanDirection() + ", channels "
                + channels.stream().map(SxmChannel::name).toList() + "]";
    }
}
