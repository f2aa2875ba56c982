package org.scanline.dataset;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * The numpy element types scanline reads and writes, with the Java array each is held in.
 *
 * <p>Unsigned types are held in the signed Java type of the same width ({@code uint8} in a
 * {@code byte[]}); {@link NpyArray#toIntArray()} and friends widen them without sign extension.
 * Strings ({@code <U..} numpy unicode, {@code |S..} bytes) are held as {@code String[]}.
 */
@API(status = API.Status.EXPERIMENTAL)
public enum NpyDtype {
    /** {@code |b1}, held as {@code boolean[]}. */
    BOOL('b', 1),
    /** {@code |i1}, held as {@code byte[]}. */
    INT8('i', 1),
    /** {@code |u1}, held as {@code byte[]}. */
    UINT8('u', 1),
    /** {@code <i2}, held as {@code short[]}. */
    INT16('i', 2),
    /** {@code <u2}, held as {@code short[]}. */
    UINT16('u', 2),
    /** {@code <i4}, held as {@code int[]}. */
    INT32('i', 4),
    /** {@code <u4}, held as {@code int[]}. */
    UINT32('u', 4),
    /** {@code <i8}, held as {@code long[]}. */
    INT64('i', 8),
    /** {@code <f4}, held as {@code float[]}. */
    FLOAT32('f', 4),
    /** {@code <f8}, held as {@code double[]}. */
    FLOAT64('f', 8),
    /** {@code <U n}: UTF-32 code points, n per element, held as {@code String[]}. */
    UNICODE('U', 0),
    /** {@code |S n}: n bytes per element (Latin-1), held as {@code String[]}. */
    BYTES('S', 0);

    private final char kind;
    private final int size;

    NpyDtype(char kind, int size) {
        this.kind = kind;
        this.size = size;
    }

    /** @return numpy's kind character: b, i, u, f, U or S */
    public char kind() {
        return kind;
    }

    /** @return bytes per element, or 0 for the string types whose width is per array */
    public int fixedSize() {
        return size;
    }

    /** @return true for the string types */
    public boolean isString() {
        return this == UNICODE || this == BYTES;
    }

    /** @return true for signed and unsigned integer types (not bool) */
    public boolean isInteger() {
        return kind == 'i' || kind == 'u';
    }

    /** @return true for float32 and float64 */
    public boolean isFloat() {
        return kind == 'f';
    }

    /**
     * @param kind numpy kind character
     * @param size bytes per element (for strings: the per-element width in bytes)
     * @return the dtype, or null if scanline does not support it
     */
    static NpyDtype of(char kind, int size) {
        if (kind == 'U' || kind == 'S') {
            return kind == 'U' ? UNICODE : BYTES;
        }
        for (NpyDtype d : values()) {
            if (d.kind == kind && d.size == size) {
                return d;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
