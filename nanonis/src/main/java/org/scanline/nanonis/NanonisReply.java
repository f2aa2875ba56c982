package org.scanline.nanonis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The body of a Nanonis answer, read in order with every field bounds-checked: a field that runs past
 * the end is a {@link NanonisException.Kind#PROTOCOL} error naming the command, the field and the
 * offsets. The types are those of {@link NanonisArgs}. A decoder given to {@link NanonisClient#call}
 * reads the return values; the client then reads the error section itself ({@link #finish()}).
 *
 * <pre>{@code
 * float[] frame = nanonis.call("Scan.FrameGet", Duration.ZERO, new NanonisArgs(),
 *         r -> new float[] {r.f32("center x"), r.f32("center y"), r.f32("width"), r.f32("height"), r.f32("angle")});
 * }</pre>
 */
public final class NanonisReply {
    private final String command;
    private final ByteBuffer b;

    /**
     * @param command the command answered, for messages
     * @param body the answer's body
     */
    public NanonisReply(String command, byte[] body) {
        this.command = command;
        this.b = ByteBuffer.wrap(body);
    }

    /**
     * A decoder for commands that return nothing but the error section.
     *
     * @param r the reply
     * @return null
     */
    public static Void none(NanonisReply r) {
        return null;
    }

    private void need(int bytes, String what) {
        if (bytes < 0 || b.remaining() < bytes) {
            throw new NanonisException(NanonisException.Kind.PROTOCOL, command, command + ": the " + b.capacity()
                    + "-byte answer ends at byte " + b.capacity() + ", reading " + what + " (" + Integer.toUnsignedString(bytes)
                    + " bytes) at byte " + b.position());
        }
    }

    /** @param what the field, for messages @return an unsigned int16 */
    public int u16(String what) {
        need(2, what);
        return b.getShort() & 0xffff;
    }

    /** @param what the field @return an int16 */
    public int i16(String what) {
        need(2, what);
        return b.getShort();
    }

    /** @param what the field @return an int32 */
    public int i32(String what) {
        need(4, what);
        return b.getInt();
    }

    /** @param what the field @return an unsigned int32 */
    public long u32(String what) {
        need(4, what);
        return b.getInt() & 0xffffffffL;
    }

    /** @param what the field @return a float32 */
    public float f32(String what) {
        need(4, what);
        return b.getFloat();
    }

    /** @param what the field @return a float64 */
    public double f64(String what) {
        need(8, what);
        return b.getDouble();
    }

    /**
     * @param what the field
     * @param limit the largest value accepted
     * @return an int32 count in [0, limit]
     */
    public int count(String what, long limit) {
        int n = i32(what);
        if (n < 0 || n > limit) {
            throw new NanonisException(NanonisException.Kind.PROTOCOL, command, command + ": " + what + " is " + n
                    + ", expected 0 to " + limit + " (the answer has " + b.remaining() + " bytes left)");
        }
        return n;
    }

    /**
     * @param n how many
     * @param what the field
     * @return n float32 values
     */
    public float[] f32s(int n, String what) {
        need(4 * n, what);
        float[] v = new float[n];
        b.asFloatBuffer().get(v);
        b.position(b.position() + 4 * n);
        return v;
    }

    /**
     * @param n how many
     * @param what the field
     * @return n int32 values
     */
    public int[] i32s(int n, String what) {
        need(4 * n, what);
        int[] v = new int[n];
        b.asIntBuffer().get(v);
        b.position(b.position() + 4 * n);
        return v;
    }

    /**
     * @param n byte count
     * @param what the field
     * @return n bytes as UTF-8
     */
    public String bytesAsString(int n, String what) {
        need(n, what);
        String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
        b.position(b.position() + n);
        return s;
    }

    /** @param what the field @return an int32 byte count, then that many UTF-8 bytes */
    public String string(String what) {
        int n = count(what + " size", b.remaining() - 4L);
        return bytesAsString(n, what);
    }

    /** @return bytes not read yet */
    public int remaining() {
        return b.remaining();
    }

    /**
     * Reads the error section that ends every answer and checks nothing follows it. Strict, as the
     * vendor's client: an error text is an error even when the status is 0.
     *
     * @throws NanonisException {@code SERVER_ERROR} with the controller's text when the status is not
     *     0 or the text is not empty
     */
    public void finish() {
        long status = u32("the error status");
        int size = count("the error text size", b.remaining());
        String text = bytesAsString(size, "the error text");
        if (b.hasRemaining()) {
            throw new NanonisException(NanonisException.Kind.PROTOCOL, command, command + ": " + b.remaining()
                    + " unexpected bytes after the error section of the answer");
        }
        if (status != 0 || !text.isBlank()) {
            throw new NanonisException(NanonisException.Kind.SERVER_ERROR, command, "Nanonis refused " + command + ": "
                    + (text.isBlank() ? "(no error text, status " + status + ")" : text.strip())
                    + (status == 0 ? " (error status 0, but an error text)" : ""));
        }
    }

    /**
     * @return the error text when the whole body is nothing but an error section with a status other
     *     than 0 or a text (an answer that left out its return values), else null
     */
    String errorOnly() {
        if (b.capacity() < 8 || b.getInt(4) != b.capacity() - 8 || (b.getInt(0) == 0 && b.capacity() == 8)) {
            return null;
        }
        return new String(b.array(), 8, b.capacity() - 8, StandardCharsets.UTF_8);
    }

    /** Checks a request body was read to its end (servers). */
    public void end() {
        if (b.hasRemaining()) {
            throw new NanonisException(NanonisException.Kind.PROTOCOL, command, command + ": " + b.remaining()
                    + " unexpected bytes after the arguments");
        }
    }
}
