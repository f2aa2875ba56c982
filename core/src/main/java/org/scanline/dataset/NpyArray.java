package org.scanline.dataset;

import java.util.Arrays;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * An n-dimensional numpy array held in one primitive Java array, row-major (C order), never boxed.
 * The Java array type follows {@link NpyDtype}: {@code float[]} for float32, {@code int[]} for
 * int32 and uint32, {@code byte[]} for int8 and uint8, {@code String[]} for strings, and so on.
 *
 * <pre>{@code
 * NpyArray images = NpyArray.of(new float[n * 128 * 128], n, 128, 128); // wraps, no copy
 * NpyArray names = NpyArray.ofStrings(new String[] {"atoms", "dimers"}, 2);
 * NpyArray seed = NpyArray.scalar(42L);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class NpyArray {
    private final NpyDtype dtype;
    private final long[] shape;
    private final Object data;

    private NpyArray(NpyDtype dtype, long[] shape, Object data) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        this.data = Objects.requireNonNull(data, "data");
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + NpyHeader.tuple(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        int length = java.lang.reflect.Array.getLength(data);
        if (n != length) {
            throw new IllegalArgumentException("shape " + NpyHeader.tuple(shape) + " needs " + n
                    + " elements, the array has " + length);
        }
    }

    /**
     * Wraps a primitive array (no copy) as an array of the given dtype.
     *
     * @param dtype element type; must match the Java array type
     * @param data a primitive array or {@code String[]}
     * @param shape dimensions; none for a scalar
     * @return the array
     * @throws IllegalArgumentException if the Java type does not hold {@code dtype} or the shape disagrees
     */
    public static NpyArray wrap(NpyDtype dtype, Object data, long... shape) {
        Class<?> want = javaType(dtype);
        if (data.getClass() != want) {
            throw new IllegalArgumentException(dtype + " is held in a " + want.getSimpleName() + ", not a "
                    + data.getClass().getSimpleName());
        }
        return new NpyArray(dtype, shape, data);
    }

    static Class<?> javaType(NpyDtype dtype) {
        return switch (dtype) {
            case BOOL -> boolean[].class;
            case INT8, UINT8 -> byte[].class;
            case INT16, UINT16 -> short[].class;
            case INT32, UINT32 -> int[].class;
            case INT64 -> long[].class;
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case UNICODE, BYTES -> String[].class;
        };
    }

    static Object allocate(NpyDtype dtype, int n) {
        return switch (dtype) {
            case BOOL -> new boolean[n];
            case INT8, UINT8 -> new byte[n];
            case INT16, UINT16 -> new short[n];
            case INT32, UINT32 -> new int[n];
            case INT64 -> new long[n];
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case UNICODE, BYTES -> new String[n];
        };
    }

    /** @return a float32 array wrapping {@code data} */
    public static NpyArray of(float[] data, long... shape) {
        return new NpyArray(NpyDtype.FLOAT32, shape, data);
    }

    /** @return a float64 array wrapping {@code data} */
    public static NpyArray of(double[] data, long... shape) {
        return new NpyArray(NpyDtype.FLOAT64, shape, data);
    }

    /** @return an int32 array wrapping {@code data} */
    public static NpyArray of(int[] data, long... shape) {
        return new NpyArray(NpyDtype.INT32, shape, data);
    }

    /** @return an int64 array wrapping {@code data} */
    public static NpyArray of(long[] data, long... shape) {
        return new NpyArray(NpyDtype.INT64, shape, data);
    }

    /** @return an int8 array wrapping {@code data} */
    public static NpyArray of(byte[] data, long... shape) {
        return new NpyArray(NpyDtype.INT8, shape, data);
    }

    /** @return a bool array wrapping {@code data} */
    public static NpyArray of(boolean[] data, long... shape) {
        return new NpyArray(NpyDtype.BOOL, shape, data);
    }

    /** @return a numpy unicode ({@code <U..}) array wrapping {@code data} */
    public static NpyArray ofStrings(String[] data, long... shape) {
        for (String s : data) {
            Objects.requireNonNull(s, "null string in array");
        }
        return new NpyArray(NpyDtype.UNICODE, shape, data);
    }

    /** @return a float64 scalar (shape {@code ()}) */
    public static NpyArray scalar(double value) {
        return of(new double[] {value});
    }

    /** @return an int64 scalar (shape {@code ()}) */
    public static NpyArray scalar(long value) {
        return of(new long[] {value});
    }

    /** @return a unicode string scalar (shape {@code ()}) */
    public static NpyArray scalar(String value) {
        return ofStrings(new String[] {value});
    }

    /** @return the element type */
    public NpyDtype dtype() {
        return dtype;
    }

    /** @return a copy of the shape ({@code []} for a scalar) */
    public long[] shape() {
        return shape.clone();
    }

    /** @return the rank, 0 for a scalar */
    public int rank() {
        return shape.length;
    }

    /** @return the number of elements */
    public int size() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** @return the backing primitive array itself (not a copy); its type follows {@link #dtype()} */
    public Object data() {
        return data;
    }

    /** @return the backing {@code float[]} (float32 only) */
    public float[] floats() {
        return as(float[].class);
    }

    /** @return the backing {@code double[]} (float64 only) */
    public double[] doubles() {
        return as(double[].class);
    }

    /** @return the backing {@code int[]} (int32 / uint32 only) */
    public int[] ints() {
        return as(int[].class);
    }

    /** @return the backing {@code long[]} (int64 only) */
    public long[] longs() {
        return as(long[].class);
    }

    /** @return the backing {@code byte[]} (int8 / uint8 only) */
    public byte[] bytes() {
        return as(byte[].class);
    }

    /** @return the backing {@code short[]} (int16 / uint16 only) */
    public short[] shorts() {
        return as(short[].class);
    }

    /** @return the backing {@code boolean[]} (bool only) */
    public boolean[] booleans() {
        return as(boolean[].class);
    }

    /** @return the backing {@code String[]} (string dtypes only) */
    public String[] strings() {
        return as(String[].class);
    }

    private <T> T as(Class<T> type) {
        if (!type.isInstance(data)) {
            throw new IllegalStateException("a " + dtype + " array is held in a " + data.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(data);
    }

    /**
     * Numeric element {@code i} as a double (unsigned types widened; bool as 0/1).
     *
     * @param i flat row-major index
     * @return the value
     */
    public double getDouble(int i) {
        return switch (dtype) {
            case BOOL -> ((boolean[]) data)[i] ? 1 : 0;
            case INT8 -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xff;
            case INT16 -> ((short[]) data)[i];
            case UINT16 -> ((short[]) data)[i] & 0xffff;
            case INT32 -> ((int[]) data)[i];
            case UINT32 -> ((int[]) data)[i] & 0xffffffffL;
            case INT64 -> ((long[]) data)[i];
            case FLOAT32 -> ((float[]) data)[i];
            case FLOAT64 -> ((double[]) data)[i];
            case UNICODE, BYTES -> throw new IllegalStateException("a string array has no numeric values");
        };
    }

    /**
     * Integer element {@code i} as a long (unsigned types widened).
     *
     * @param i flat row-major index
     * @return the value
     * @throws IllegalStateException if the dtype is not an integer or bool type
     */
    public long getLong(int i) {
        return switch (dtype) {
            case BOOL -> ((boolean[]) data)[i] ? 1 : 0;
            case INT8 -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xff;
            case INT16 -> ((short[]) data)[i];
            case UINT16 -> ((short[]) data)[i] & 0xffff;
            case INT32 -> ((int[]) data)[i];
            case UINT32 -> ((int[]) data)[i] & 0xffffffffL;
            case INT64 -> ((long[]) data)[i];
            default -> throw new IllegalStateException("a " + dtype + " array has no integer values");
        };
    }

    /** @return a new {@code float[]} of all elements converted (numeric dtypes only) */
    public float[] toFloatArray() {
        if (dtype == NpyDtype.FLOAT32) {
            return ((float[]) data).clone();
        }
        int n = size();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    /**
     * @return a new {@code int[]} of all elements (integer dtypes only)
     * @throws ArithmeticException if a value does not fit an int
     */
    public int[] toIntArray() {
        int n = size();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.toIntExact(getLong(i));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NpyArray a) || a.dtype != dtype || !Arrays.equals(a.shape, shape)) {
            return false;
        }
        return Arrays.deepEquals(new Object[] {data}, new Object[] {a.data});
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {dtype, shape, data});
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + NpyHeader.tuple(shape) + "]";
    }
}
