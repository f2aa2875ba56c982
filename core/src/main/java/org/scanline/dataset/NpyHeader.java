package org.scanline.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.scanline.BadDataException;

/**
 * The header of one {@code .npy} array: element type as stored, byte order, memory order and shape.
 * Parsed from the Python dict literal numpy writes, format versions 1.0, 2.0 and 3.0.
 *
 * @param descr the dtype descriptor exactly as stored, e.g. {@code <f4} or {@code <U19}
 * @param dtype the element type
 * @param order byte order of the stored elements
 * @param itemSize bytes per stored element
 * @param fortranOrder true if the data is stored column-major
 * @param shape dimensions (empty for a scalar)
 * @param headerLength bytes before the data: magic, version, length field and dict
 */
@API(status = API.Status.EXPERIMENTAL)
public record NpyHeader(String descr, NpyDtype dtype, ByteOrder order, int itemSize, boolean fortranOrder,
        long[] shape, int headerLength) {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Largest element count a Java array can hold (a few below Integer.MAX_VALUE, as in ArrayList). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int MAX_HEADER = 1 << 20;

    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    /** @return a copy of the dimensions (empty for a scalar) */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** @return the number of elements (1 for a scalar) */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** @return the bytes of data the header announces */
    public long dataBytes() {
        return Math.multiplyExact(elementCount(), (long) itemSize);
    }

    /** @return the rank (0 for a scalar) */
    public int rank() {
        return shape.length;
    }

    /** @return the shape as a Python-style tuple, e.g. {@code (3, 4)} or {@code ()} */
    public String shapeString() {
        return tuple(shape);
    }

    static String tuple(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /**
     * Reads and validates a header. Nothing is allocated from the announced sizes: the caller checks
     * {@link #dataBytes()} against what the file holds before reading data.
     *
     * @param in stream positioned at the magic string
     * @param source file (and entry) name for messages
     * @return the header
     * @throws IOException if the stream fails
     * @throws BadDataException if the header is not a supported numpy header
     */
    static NpyHeader read(InputStream in, String source) throws IOException {
        byte[] pre = in.readNBytes(8);
        if (pre.length < 8 || !Arrays.equals(Arrays.copyOf(pre, 6), MAGIC)) {
            throw new BadDataException(source + ": not a .npy array (the magic string \\x93NUMPY is missing)");
        }
        int major = pre[6] & 0xff;
        int lengthBytes;
        if (major == 1) {
            lengthBytes = 2;
        } else if (major == 2 || major == 3) {
            lengthBytes = 4;
        } else {
            throw new BadDataException(source + ": .npy format version " + major + "." + (pre[7] & 0xff)
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        byte[] lenBytes = in.readNBytes(lengthBytes);
        if (lenBytes.length < lengthBytes) {
            throw new BadDataException(source + ": .npy header is truncated");
        }
        long dictLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            dictLength = (dictLength << 8) | (lenBytes[i] & 0xff);
        }
        if (dictLength > MAX_HEADER) {
            throw new BadDataException(source + ": .npy header claims " + dictLength + " bytes (at most "
                    + MAX_HEADER + " accepted)");
        }
        byte[] dictBytes = in.readNBytes((int) dictLength);
        if (dictBytes.length < dictLength) {
            throw new BadDataException(source + ": .npy header is truncated (" + dictBytes.length + " of "
                    + dictLength + " bytes)");
        }
        String dict = new String(dictBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(dict, 8 + lengthBytes + (int) dictLength, source);
    }

    static NpyHeader parse(String dict, int headerLength, String source) {
        Matcher d = DESCR.matcher(dict);
        if (!d.find()) {
            throw new BadDataException(source + ": .npy header has no simple 'descr' (structured dtypes are not "
                    + "supported): " + dict.strip());
        }
        String descr = d.group(1);
        Matcher f = FORTRAN.matcher(dict);
        if (!f.find()) {
            throw new BadDataException(source + ": .npy header has no 'fortran_order': " + dict.strip());
        }
        Matcher s = SHAPE.matcher(dict);
        if (!s.find()) {
            throw new BadDataException(source + ": .npy header has no 'shape': " + dict.strip());
        }
        long[] shape = parseShape(s.group(1), source);
        if (descr.length() < 2) {
            throw new BadDataException(source + ": unsupported dtype '" + descr + "'");
        }
        char endian = descr.charAt(0);
        ByteOrder order;
        String rest;
        if (endian == '<' || endian == '|' || endian == '=') {
            order = ByteOrder.LITTLE_ENDIAN;
            rest = descr.substring(1);
        } else if (endian == '>') {
            order = ByteOrder.BIG_ENDIAN;
            rest = descr.substring(1);
        } else {
            order = ByteOrder.LITTLE_ENDIAN;
            rest = descr;
        }
        char kind = rest.charAt(0);
        int width;
        try {
            width = Integer.parseInt(rest.substring(1));
        } catch (NumberFormatException e) {
            throw new BadDataException(source + ": unsupported dtype '" + descr + "'");
        }
        NpyDtype dtype = NpyDtype.of(kind, width);
        if (dtype == null || width <= 0) {
            throw new BadDataException(source + ": unsupported dtype '" + descr
                    + "' (supported: bool, int8/16/32/64, uint8/16/32, float32/64, unicode and byte strings)");
        }
        int itemSize = dtype == NpyDtype.UNICODE ? Math.multiplyExact(width, 4) : width;
        NpyHeader h = new NpyHeader(descr, dtype, order, itemSize, "True".equals(f.group(1)), shape, headerLength);
        long count;
        try {
            count = h.elementCount();
            h.dataBytes();
        } catch (ArithmeticException e) {
            throw new BadDataException(source + ": shape " + h.shapeString() + " overflows");
        }
        if (count > MAX_ELEMENTS) {
            throw new BadDataException(source + ": shape " + h.shapeString() + " has " + count
                    + " elements; a Java array holds at most " + MAX_ELEMENTS);
        }
        return h;
    }

    private static long[] parseShape(String body, String source) {
        String[] parts = body.split(",");
        int n = 0;
        long[] dims = new long[parts.length];
        for (String p : parts) {
            String t = p.strip();
            if (t.endsWith("L")) {
                t = t.substring(0, t.length() - 1);
            }
            if (t.isEmpty()) {
                continue;
            }
            try {
                dims[n] = Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new BadDataException(source + ": .npy shape '(" + body + ")' is not a tuple of integers");
            }
            if (dims[n] < 0) {
                throw new BadDataException(source + ": .npy shape '(" + body + ")' has a negative dimension");
            }
            n++;
        }
        return Arrays.copyOf(dims, n);
    }

    /**
     * Formats a version 1.0 (or 2.0 when the dict is longer than 65,535 bytes) header padded so the
     * data starts at a multiple of 64 bytes, as numpy does.
     */
    static byte[] format(String descr, boolean fortranOrder, long[] shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + tuple(shape) + ", }";
        int pre = 10;
        int total = pre + dict.length() + 1;
        int major = 1;
        if (total + 64 > 0xffff) {
            major = 2;
            pre = 12;
            total = pre + dict.length() + 1;
        }
        int padded = (total + 63) / 64 * 64;
        String full = dict + " ".repeat(padded - total) + "\n";
        byte[] text = full.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[pre + text.length];
        System.arraycopy(MAGIC, 0, out, 0, 6);
        out[6] = (byte) major;
        out[7] = 0;
        int len = text.length;
        out[8] = (byte) len;
        out[9] = (byte) (len >>> 8);
        if (major == 2) {
            out[10] = (byte) (len >>> 16);
            out[11] = (byte) (len >>> 24);
        }
        System.arraycopy(text, 0, out, pre, text.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && descr.equals(h.descr) && fortranOrder == h.fortranOrder
                && Arrays.equals(shape, h.shape) && headerLength == h.headerLength;
    }

    @Override
    public int hashCode() {
        return descr.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "NpyHeader[" + descr + " " + shapeString() + (fortranOrder ? " fortran" : "") + "]";
    }
}
