package org.scanline.nanonis;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The framing of the Nanonis TCP programming interface, shared by the client and the simulated
 * server. Everything is big-endian. A request is a 40-byte header (command name zero-padded to 32
 * bytes, body size int32, "send response" uint16, two zero bytes) and a body; a response is a
 * 40-byte header (name, body size, four unused bytes) and a body that ends with the error section
 * (status uint32, description size int32, description). Layouts follow the "Nanonis TCP Protocol"
 * document of June 2024 (R13742), as published in SPECS' {@code nanonis_spm} repository.
 */
final class Protocol {
    static final int HEADER_BYTES = 40;
    static final int NAME_BYTES = 32;

    private Protocol() {
    }

    /**
     * @param command the command name, ASCII, at most 32 bytes
     * @param bodySize body size in bytes
     * @param sendResponse whether the server should answer
     * @return a request header
     */
    static byte[] requestHeader(String command, int bodySize, boolean sendResponse) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        b.put(nameBytes(command));
        b.putInt(bodySize);
        b.putShort((short) (sendResponse ? 1 : 0));
        b.putShort((short) 0);
        return b.array();
    }

    /**
     * @param command the command answered
     * @param bodySize body size in bytes
     * @return a response header (last four bytes zero)
     */
    static byte[] responseHeader(String command, int bodySize) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        b.put(nameBytes(command));
        b.putInt(bodySize);
        b.putInt(0);
        return b.array();
    }

    private static byte[] nameBytes(String command) {
        byte[] name = command.getBytes(StandardCharsets.US_ASCII);
        if (name.length > NAME_BYTES || !command.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("a Nanonis command name is 1–32 printable ASCII characters, found '"
                    + command + "'");
        }
        byte[] padded = new byte[NAME_BYTES];
        System.arraycopy(name, 0, padded, 0, name.length);
        return padded;
    }

    /**
     * @param header a 40-byte header
     * @return the command name without its zero padding; non-printable bytes shown as {@code \xNN}
     */
    static String name(byte[] header) {
        int end = 0;
        while (end < NAME_BYTES && header[end] != 0) {
            end++;
        }
        StringBuilder s = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            int c = header[i] & 0xff;
            if (c >= 32 && c < 127) {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.toString();
    }

    /** @return the body size field of a 40-byte header */
    static int bodySize(byte[] header) {
        return ByteBuffer.wrap(header, NAME_BYTES, 4).getInt();
    }

    /** @return the "send response" flag of a request header */
    static boolean sendResponse(byte[] header) {
        return ByteBuffer.wrap(header, NAME_BYTES + 4, 2).getShort() != 0;
    }

    /** A big-endian body under construction. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8);

        Writer u16(int v) {
            scratch.clear();
            scratch.putShort((short) v);
            out.write(scratch.array(), 0, 2);
            return this;
        }

        Writer i32(int v) {
            scratch.clear();
            scratch.putInt(v);
            out.write(scratch.array(), 0, 4);
            return this;
        }

        Writer u32(long v) {
            return i32((int) v);
        }

        Writer f32(float v) {
            return i32(Float.floatToRawIntBits(v));
        }

        Writer f32s(float[] v) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length);
            b.asFloatBuffer().put(v);
            out.write(b.array(), 0, b.capacity());
            return this;
        }

        /** An int32 byte count, then the UTF-8 bytes. */
        Writer string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        /** Appends the error section: status 1 with the text, or status 0 and no text. */
        Writer error(String text) {
            u32(text == null ? 0 : 1);
            return string(text == null ? "" : text);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /**
     * Reads a received body with every field bounds-checked: a field that runs past the end is a
     * {@link NanonisException.Kind#PROTOCOL} error naming the command, the field and the offsets.
     */
    static final class Reader {
        private final String command;
        private final ByteBuffer b;

        Reader(String command, byte[] body) {
            this.command = command;
            this.b = ByteBuffer.wrap(body);
        }

        private void need(int bytes, String what) {
            if (bytes < 0 || b.remaining() < bytes) {
                throw new NanonisException(NanonisException.Kind.PROTOCOL, command, command + ": the " + b.capacity()
                        + "-byte answer ends at byte " + b.capacity() + ", reading " + what + " (" + Integer.toUnsignedString(bytes)
                        + " bytes) at byte " + b.position());
            }
        }

        int u16(String what) {
            need(2, what);
            return b.getShort() & 0xffff;
        }

        int i32(String what) {
            need(4, what);
            return b.getInt();
        }

        long u32(String what) {
            need(4, what);
            return b.getInt() & 0xffffffffL;
        }

        /** A count (int32) that must lie in [0, limit]. */
        int count(String what, long limit) {
            int n = i32(what);
            if (n < 0 || n > limit) {
                throw new NanonisException(NanonisException.Kind.PROTOCOL, command, command + ": " + what + " is " + n
                        + ", expected 0 to " + limit + " (the answer has " + b.remaining() + " bytes left)");
            }
            return n;
        }

        float[] f32s(int n, String what) {
            need(4 * n, what);
            float[] v = new float[n];
            b.asFloatBuffer().get(v);
            b.position(b.position() + 4 * n);
            return v;
        }

        String bytesAsString(int n, String what) {
            need(n, what);
            String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
            b.position(b.position() + n);
            return s;
        }

        /** An int32 byte count, then that many UTF-8 bytes. */
        String string(String what) {
            int n = count(what + " size", b.remaining() - 4L);
            return bytesAsString(n, what);
        }

        int remaining() {
            return b.remaining();
        }

        /**
         * Reads the error section that ends every response and checks nothing follows it.
         *
         * @throws NanonisException {@code SERVER_ERROR} with the controller's text when the status is not 0
         */
        void finish() {
            long status = u32("the error status");
            int size = count("the error text size", b.remaining());
            String text = bytesAsString(size, "the error text");
            if (b.hasRemaining()) {
                throw new NanonisException(NanonisException.Kind.PROTOCOL, command, command + ": " + b.remaining()
                        + " unexpected bytes after the error section of the answer");
            }
            if (status != 0) {
                throw new NanonisException(NanonisException.Kind.SERVER_ERROR, command, "Nanonis refused " + command + ": "
                        + (text.isBlank() ? "(no error text, status " + status + ")" : text.strip()));
            }
        }

        /**
         * @return the error text when the whole body is nothing but an error section with a status
         *     other than 0 (an answer that left out its return values), else null
         */
        String errorOnly() {
            if (b.capacity() < 8 || b.getInt(0) == 0 || b.getInt(4) != b.capacity() - 8) {
                return null;
            }
            return new String(b.array(), 8, b.capacity() - 8, StandardCharsets.UTF_8);
        }

        /** Checks a request body was read to its end (server side). */
        void end() {
            if (b.hasRemaining()) {
                throw new NanonisException(NanonisException.Kind.PROTOCOL, command, command + ": " + b.remaining()
                        + " unexpected bytes after the arguments");
            }
        }
    }
}
