package org.scanline.nanonis;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The arguments of a Nanonis request, written in order, big-endian, in the protocol's types (the
 * vendor's type letters in brackets): {@code u16} unsigned int16 [H], {@code i16} [h], {@code u32}
 * unsigned int32 [I], {@code i32} int [i], {@code f32} float32 [f], {@code f64} float64 [d],
 * {@code string} an int32 byte count and the bytes [+*c], {@code i32s} an int32 count and the
 * values [+*i]. Used with {@link NanonisClient#call} to send any command:
 *
 * <pre>{@code
 * nanonis.call("Bias.Pulse", Duration.ofSeconds(1),
 *         new NanonisArgs().u32(1).f32(0.1f).f32(3f).u16(1).u16(2), NanonisReply::none);
 * }</pre>
 */
public final class NanonisArgs {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteBuffer scratch = ByteBuffer.allocate(8);

    /** Creates an empty body. */
    public NanonisArgs() {
    }

    /** @param v int16 (the low 16 bits) @return this */
    public NanonisArgs i16(int v) {
        return u16(v);
    }

    /** @param v unsigned int16 (the low 16 bits) @return this */
    public NanonisArgs u16(int v) {
        scratch.clear();
        scratch.putShort((short) v);
        out.write(scratch.array(), 0, 2);
        return this;
    }

    /** @param v int32 @return this */
    public NanonisArgs i32(int v) {
        scratch.clear();
        scratch.putInt(v);
        out.write(scratch.array(), 0, 4);
        return this;
    }

    /** @param v unsigned int32 (the low 32 bits) @return this */
    public NanonisArgs u32(long v) {
        return i32((int) v);
    }

    /** @param v float32 @return this */
    public NanonisArgs f32(float v) {
        return i32(Float.floatToRawIntBits(v));
    }

    /** @param v float64 @return this */
    public NanonisArgs f64(double v) {
        scratch.clear();
        scratch.putDouble(v);
        out.write(scratch.array(), 0, 8);
        return this;
    }

    /** @param v an int32 count, then the int32 values @return this */
    public NanonisArgs i32s(int[] v) {
        i32(v.length);
        for (int x : v) {
            i32(x);
        }
        return this;
    }

    /** @param v float32 values, with no count @return this */
    public NanonisArgs f32s(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        b.asFloatBuffer().put(v);
        out.write(b.array(), 0, b.capacity());
        return this;
    }

    /** @param s an int32 byte count, then the UTF-8 bytes @return this */
    public NanonisArgs string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i32(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    /**
     * Appends the error section of an answer (servers): status 1 with the text, or status 0 and no text.
     *
     * @param text the error, or null for none
     * @return this
     */
    public NanonisArgs error(String text) {
        u32(text == null ? 0 : 1);
        return string(text == null ? "" : text);
    }

    /** @return the body's bytes */
    public byte[] bytes() {
        return out.toByteArray();
    }
}
