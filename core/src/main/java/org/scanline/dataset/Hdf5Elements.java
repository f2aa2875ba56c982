package org.scanline.dataset;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.scanline.BadDataException;

/**
 * Visits every element of a 2-d numeric HDF5 dataset a bounded piece at a time: chunk by chunk for
 * chunked storage (MATLAB's choice for large variables), slices of whole rows otherwise. jhdf 0.9.4's
 * sliced {@code getData} returns zeros beyond the first chunk of a chunked dataset, so chunks are
 * decoded here from {@link ChunkedDataset#getDecompressedChunk}.
 */
final class Hdf5Elements {
    /** Elements per row slice of a contiguous dataset. */
    static final int SLICE_ELEMENTS = 1 << 20;

    private Hdf5Elements() {
    }

    @FunctionalInterface
    interface Visitor {
        void accept(int row, int col, double value);
    }

    static void forEach(Dataset d, String where, Visitor v) {
        forEach(d, where, SLICE_ELEMENTS, v);
    }

    static void forEach(Dataset d, String where, int sliceElements, Visitor v) {
        int[] dims = d.getDimensions();
        int rows = dims[0];
        int cols = dims[1];
        if (d instanceof ChunkedDataset c) {
            DataType type = d.getDataType();
            int size = type.getSize();
            ByteOrder order = type instanceof FloatingPoint f ? f.getByteOrder()
                    : type instanceof FixedPoint x ? x.getByteOrder() : null;
            if (order == null) {
                throw new BadDataException(where + ": dataset " + d.getName() + " is not numeric (" + d.getJavaType() + ")");
            }
            int[] chunk = c.getChunkDimensions();
            for (int r0 = 0; r0 < rows; r0 += chunk[0]) {
                for (int c0 = 0; c0 < cols; c0 += chunk[1]) {
                    ByteBuffer bb = ByteBuffer.wrap(c.getDecompressedChunk(new int[] {r0, c0})).order(order);
                    if (bb.capacity() < (long) chunk[0] * chunk[1] * size) {
                        throw new BadDataException(where + ": chunk at (" + r0 + ", " + c0 + ") of " + d.getName()
                                + " is short: " + bb.capacity() + " bytes");
                    }
                    int nr = Math.min(chunk[0], rows - r0);
                    int nc = Math.min(chunk[1], cols - c0);
                    for (int i = 0; i < nr; i++) {
                        for (int j = 0; j < nc; j++) {
                            v.accept(r0 + i, c0 + j, decode(bb, (i * chunk[1] + j) * size, type, size, where));
                        }
                    }
                }
            }
            return;
        }
        int perSlice = Math.max(1, sliceElements / Math.max(1, cols));
        for (int r0 = 0; r0 < rows; r0 += perSlice) {
            int nr = Math.min(perSlice, rows - r0);
            Object[] slice = (Object[]) d.getData(new long[] {r0, 0}, new int[] {nr, cols});
            for (int i = 0; i < nr; i++) {
                Object row = slice[i];
                for (int j = 0; j < cols; j++) {
                    v.accept(r0 + i, j, element(row, j));
                }
            }
        }
    }

    private static double decode(ByteBuffer bb, int pos, DataType type, int size, String where) {
        if (type instanceof FloatingPoint) {
            return switch (size) {
                case 8 -> bb.getDouble(pos);
                case 4 -> bb.getFloat(pos);
                case 2 -> FloatingPoint.toFloat(bb.getShort(pos));
                default -> throw new BadDataException(where + ": unsupported float size " + size);
            };
        }
        boolean signed = ((FixedPoint) type).isSigned();
        return switch (size) {
            case 1 -> signed ? bb.get(pos) : bb.get(pos) & 0xff;
            case 2 -> signed ? bb.getShort(pos) : bb.getShort(pos) & 0xffff;
            case 4 -> signed ? bb.getInt(pos) : bb.getInt(pos) & 0xffffffffL;
            case 8 -> bb.getLong(pos);
            default -> throw new BadDataException(where + ": unsupported integer size " + size);
        };
    }

    static double element(Object row, int i) {
        if (row instanceof double[] d) {
            return d[i];
        } else if (row instanceof float[] f) {
            return f[i];
        } else if (row instanceof int[] a) {
            return a[i];
        } else if (row instanceof long[] a) {
            return a[i];
        } else if (row instanceof short[] a) {
            return a[i];
        } else if (row instanceof byte[] a) {
            return a[i];
        } else if (row instanceof boolean[] a) {
            return a[i] ? 1 : 0;
        }
        throw new BadDataException("unsupported HDF5 element type " + row.getClass().getSimpleName());
    }
}
