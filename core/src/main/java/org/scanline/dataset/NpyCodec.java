package org.scanline.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.scanline.BadDataException;

/**
 * Decodes and encodes {@code .npy} data in fixed-size chunks, straight between a stream and the
 * target primitive array: no full-size byte copy of the data ever exists.
 */
final class NpyCodec {
    /** Bytes decoded per read; large enough to amortise the stream, small next to any real data set. */
    static final int CHUNK = 1 << 20;

    private NpyCodec() {
    }

    /** Receives encoded bytes. */
    @FunctionalInterface
    interface ChunkSink {
        void accept(byte[] buf, int off, int len) throws IOException;
    }

    /**
     * Checks, before anything is allocated, that the data the header announces fits both the bytes
     * available and the heap.
     *
     * @param available bytes after the header in the file or entry, or -1 if unknown
     */
    static void checkAvailable(NpyHeader h, long available, String source) {
        long need = h.dataBytes();
        if (available >= 0 && need > available) {
            throw new BadDataException(source + ": header announces " + NpyHeader.tuple(h.shape()) + " " + h.descr()
                    + " = " + need + " bytes of data, but only " + available + " follow (truncated file?)");
        }
        long javaBytes = h.elementCount() * Math.max(1, h.dtype().isString() ? 16 : h.dtype().fixedSize());
        long max = Runtime.getRuntime().maxMemory();
        if (javaBytes > max) {
            throw new BadDataException(source + ": " + NpyHeader.tuple(h.shape()) + " " + h.descr() + " needs "
                    + javaBytes + " bytes in memory; this JVM may use at most " + max + " (raise -Xmx)");
        }
    }

    /** Reads the data after {@code h} into a new array of the natural Java type. */
    static NpyArray read(InputStream in, NpyHeader h, long available, String source) throws IOException {
        checkAvailable(h, available, source);
        int n = (int) h.elementCount();
        Object dst = NpyArray.allocate(h.dtype(), n);
        decode(in, h, dst, 0, source);
        return NpyArray.wrap(h.dtype(), dst, h.shape());
    }

    /**
     * Reads numeric data after {@code h}, converted to float, into {@code dst} from {@code offset}:
     * the path for large image arrays, which then exist once in memory.
     */
    static void readFloats(InputStream in, NpyHeader h, long available, float[] dst, int offset, String source)
            throws IOException {
        if (h.dtype().isString()) {
            throw new BadDataException(source + ": expected numbers, found strings (" + h.descr() + ")");
        }
        if (available >= 0 && h.dataBytes() > available) {
            checkAvailable(h, available, source);
        }
        decode(in, h, dst, offset, source);
    }

    private static void decode(InputStream in, NpyHeader h, Object dst, int offset, String source)
            throws IOException {
        long total = h.elementCount();
        int item = h.itemSize();
        int perChunk = Math.max(1, CHUNK / item);
        byte[] buf = new byte[(int) Math.min((long) perChunk * item, Math.max(item, h.dataBytes()))];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(h.order());
        FortranIndex fortran = h.fortranOrder() && h.rank() > 1 ? new FortranIndex(h.shape(), offset) : null;
        long done = 0;
        while (done < total) {
            int m = (int) Math.min(perChunk, total - done);
            int want = m * item;
            int got = in.readNBytes(buf, 0, want);
            if (got < want) {
                throw new BadDataException(source + ": data is truncated: " + NpyHeader.tuple(h.shape()) + " "
                        + h.descr() + " needs " + h.dataBytes() + " bytes, the file ends after "
                        + (done * item + got));
            }
            store(bb, h, m, dst, offset + (int) done, fortran);
            done += m;
        }
    }

    private static void store(ByteBuffer bb, NpyHeader h, int m, Object dst, int base, FortranIndex f) {
        NpyDtype t = h.dtype();
        if (dst instanceof float[] out) {
            if (t == NpyDtype.FLOAT32 && f == null) {
                bb.clear();
                bb.asFloatBuffer().get(out, base, m);
                return;
            }
            for (int i = 0; i < m; i++) {
                out[f == null ? base + i : f.next()] = (float) number(bb, t, i);
            }
            return;
        }
        int item = h.itemSize();
        for (int i = 0; i < m; i++) {
            int d = f == null ? base + i : f.next();
            int p = i * item;
            switch (t) {
                case BOOL -> ((boolean[]) dst)[d] = bb.get(p) != 0;
                case INT8, UINT8 -> ((byte[]) dst)[d] = bb.get(p);
                case INT16, UINT16 -> ((short[]) dst)[d] = bb.getShort(p);
                case INT32, UINT32 -> ((int[]) dst)[d] = bb.getInt(p);
                case INT64 -> ((long[]) dst)[d] = bb.getLong(p);
                case FLOAT32 -> ((float[]) dst)[d] = bb.getFloat(p);
                case FLOAT64 -> ((double[]) dst)[d] = bb.getDouble(p);
                case UNICODE -> ((String[]) dst)[d] = unicode(bb, p, item);
                case BYTES -> ((String[]) dst)[d] = latin1(bb.array(), p, item);
            }
        }
    }

    private static double number(ByteBuffer bb, NpyDtype t, int i) {
        return switch (t) {
            case BOOL -> bb.get(i) != 0 ? 1 : 0;
            case INT8 -> bb.get(i);
            case UINT8 -> bb.get(i) & 0xff;
            case INT16 -> bb.getShort(i * 2);
            case UINT16 -> bb.getShort(i * 2) & 0xffff;
            case INT32 -> bb.getInt(i * 4);
            case UINT32 -> bb.getInt(i * 4) & 0xffffffffL;
            case INT64 -> bb.getLong(i * 8);
            case FLOAT32 -> bb.getFloat(i * 4);
            case FLOAT64 -> bb.getDouble(i * 8);
            case UNICODE, BYTES -> throw new IllegalStateException("strings are not numbers");
        };
    }

    private static String unicode(ByteBuffer bb, int pos, int item) {
        StringBuilder sb = new StringBuilder(item / 4);
        for (int k = 0; k < item; k += 4) {
            int cp = bb.getInt(pos + k);
            if (cp == 0) {
                break;
            }
            sb.appendCodePoint(Character.isValidCodePoint(cp) ? cp : 0xFFFD);
        }
        return sb.toString();
    }

    private static String latin1(byte[] buf, int pos, int item) {
        int end = pos + item;
        while (end > pos && buf[end - 1] == 0) {
            end--;
        }
        return new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
    }

    /** numpy's descriptor for writing an array: little-endian, strings as wide as their longest element. */
    static String descr(NpyArray a) {
        return switch (a.dtype()) {
            case BOOL -> "|b1";
            case INT8 -> "|i1";
            case UINT8 -> "|u1";
            case INT16 -> "<i2";
            case UINT16 -> "<u2";
            case INT32 -> "<i4";
            case UINT32 -> "<u4";
            case INT64 -> "<i8";
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case UNICODE -> "<U" + stringWidth(a);
            case BYTES -> "|S" + stringWidth(a);
        };
    }

    private static int stringWidth(NpyArray a) {
        int w = 1;
        for (String s : a.strings()) {
            w = Math.max(w, a.dtype() == NpyDtype.UNICODE ? s.codePointCount(0, s.length()) : s.length());
        }
        return w;
    }

    /** @return the header bytes numpy would write for {@code a} */
    static byte[] header(NpyArray a) {
        return NpyHeader.format(descr(a), false, a.shape());
    }

    /** @return header plus data length in bytes */
    static long encodedLength(NpyArray a) {
        return header(a).length + (long) a.size() * itemSize(a);
    }

    private static int itemSize(NpyArray a) {
        return switch (a.dtype()) {
            case UNICODE -> 4 * stringWidth(a);
            case BYTES -> stringWidth(a);
            default -> a.dtype().fixedSize();
        };
    }

    /** Emits the complete {@code .npy} encoding of {@code a} in chunks of at most {@link #CHUNK} bytes. */
    static void encode(NpyArray a, ChunkSink sink) throws IOException {
        byte[] header = header(a);
        sink.accept(header, 0, header.length);
        int item = itemSize(a);
        int n = a.size();
        int perChunk = Math.max(1, CHUNK / item);
        byte[] buf = new byte[(int) Math.min((long) perChunk * item, Math.max(item, (long) n * item))];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        Object data = a.data();
        for (int start = 0; start < n; start += perChunk) {
            int m = Math.min(perChunk, n - start);
            if (data instanceof float[] f) {
                bb.clear();
                bb.asFloatBuffer().put(f, start, m);
            } else {
                for (int i = 0; i < m; i++) {
                    put(bb, a, data, start + i, i * item, item);
                }
            }
            sink.accept(buf, 0, m * item);
        }
    }

    private static void put(ByteBuffer bb, NpyArray a, Object data, int i, int p, int item) {
        switch (a.dtype()) {
            case BOOL -> bb.put(p, (byte) (((boolean[]) data)[i] ? 1 : 0));
            case INT8, UINT8 -> bb.put(p, ((byte[]) data)[i]);
            case INT16, UINT16 -> bb.putShort(p, ((short[]) data)[i]);
            case INT32, UINT32 -> bb.putInt(p, ((int[]) data)[i]);
            case INT64 -> bb.putLong(p, ((long[]) data)[i]);
            case FLOAT32 -> bb.putFloat(p, ((float[]) data)[i]);
            case FLOAT64 -> bb.putDouble(p, ((double[]) data)[i]);
            case UNICODE -> {
                String s = ((String[]) data)[i];
                int k = 0;
                for (int off = 0; off < s.length(); ) {
                    int cp = s.codePointAt(off);
                    bb.putInt(p + k, cp);
                    k += 4;
                    off += Character.charCount(cp);
                }
                for (; k < item; k += 4) {
                    bb.putInt(p + k, 0);
                }
            }
            case BYTES -> {
                byte[] b = ((String[]) data)[i].getBytes(StandardCharsets.ISO_8859_1);
                for (int k = 0; k < item; k++) {
                    bb.put(p + k, k < b.length ? b[k] : 0);
                }
            }
        }
    }

    /** Walks a column-major array's elements and yields each one's row-major position. */
    static final class FortranIndex {
        private final long[] dims;
        private final long[] strides;
        private final long[] counter;
        private long dest;

        FortranIndex(long[] shape, int offset) {
            dims = shape;
            strides = new long[shape.length];
            counter = new long[shape.length];
            long s = 1;
            for (int k = shape.length - 1; k >= 0; k--) {
                strides[k] = s;
                s *= shape[k];
            }
            dest = offset;
        }

        int next() {
            int r = (int) dest;
            for (int k = 0; k < dims.length; k++) {
                counter[k]++;
                dest += strides[k];
                if (counter[k] < dims[k]) {
                    break;
                }
                dest -= dims[k] * strides[k];
                counter[k] = 0;
            }
            return r;
        }
    }
}
