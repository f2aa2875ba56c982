package org.scanline.dataset;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scanline.BadDataException;
import org.scanline.io.InputFiles;

/**
 * The original MATLAB v7.3 (HDF5) layout: {@code x_raw} [lines, N·lines] with the scans side by side
 * along the second axis, and one-hot {@code y} [classes, N·lines], one column per image column.
 *
 * <p>MATLAB stores arrays column-major, so in the HDF5 file (row-major) both datasets appear with
 * their dimensions reversed: {@code x_raw} as (N·lines, lines) and {@code y} as (N·lines, classes).
 * A file written row-major by other tools (h5py) has them as MATLAB shows them. The orientation is
 * found from the shapes (the axis {@code x_raw} and {@code y} share is the column axis) and, when both
 * readings fit, from MATLAB's {@code MATLAB_class} attribute. Data is read in slices of a few scans,
 * straight into the flat float[]: no full-size intermediate copy.
 */
final class MatDatasets {
    static final String X = "x_raw";
    static final String Y = "y";

    private MatDatasets() {
    }

    /**
     * @param file the MATLAB file
     * @param maxArrayBytes the most bytes {@code x_raw} or {@code y} may declare, or {@link ReadOptions#FREE_HEAP}
     */
    static ScanArrays read(Path file, long maxArrayBytes) {
        String where = file.toString();
        // Mapped outside the try: a file that cannot be opened (Permission denied) is not corrupt.
        ByteBuffer map = map(file);
        try (HdfFile hdf = map != null ? HdfFile.fromByteBuffer(map) : new HdfFile(file)) {
            Dataset x = dataset(hdf, X, where);
            Dataset y = dataset(hdf, Y, where);
            int[] xd = x.getDimensions();
            int[] yd = y.getDimensions();
            if (xd.length != 2 || yd.length != 2) {
                throw new BadDataException(where + ": x_raw and y must be 2-d, found x_raw " + shape(xd) + " and y "
                        + shape(yd));
            }
            boolean natural = xd[1] == yd[1];
            boolean transposed = xd[0] == yd[0];
            if (natural && transposed) {
                transposed = x.getAttribute("MATLAB_class") != null || y.getAttribute("MATLAB_class") != null;
                natural = !transposed;
            }
            if (!natural && !transposed) {
                throw new BadDataException(where + ": x_raw " + shape(xd) + " and y " + shape(yd)
                        + " share no column axis; expected x_raw [lines, N·lines] and y [classes, N·lines] "
                        + "(or both transposed, as MATLAB stores them in HDF5)");
            }
            int lines = transposed ? xd[1] : xd[0];
            long columns = transposed ? xd[0] : xd[1];
            int classes = transposed ? yd[1] : yd[0];
            int pixels = lines;
            if (lines <= 0 || columns <= 0 || classes <= 0) {
                throw new BadDataException(where + ": the dataset is empty: x_raw " + shape(xd) + ", y " + shape(yd));
            }
            if (columns % pixels != 0) {
                throw new BadDataException(where + ": x_raw has " + columns + " columns, not a multiple of "
                        + pixels + " (square scans of " + lines + " lines side by side)");
            }
            // Checked before a chunk is inflated: a compressed dataset can declare far more than the file holds.
            ArrayLimit.check(declaredBytes(x, xd), maxArrayBytes, where + "[x_raw]", shape(xd) + " " + x.getJavaType());
            ArrayLimit.check(declaredBytes(y, yd), maxArrayBytes, where + "[y]", shape(yd) + " " + y.getJavaType());
            int count = (int) (columns / pixels);
            long total = (long) count * lines * pixels;
            long heap = Runtime.getRuntime().maxMemory();
            if (total > NpyHeader.MAX_ELEMENTS || total * Float.BYTES > heap) {
                throw new BadDataException(where + ": " + count + " scans of " + lines + " × " + pixels
                        + " need " + total * Float.BYTES / (1 << 20) + " MiB as float32; this JVM may use at most "
                        + heap / (1 << 20) + " MiB");
            }
            float[] images = new float[(int) total];
            final boolean t = transposed;
            final int side = pixels;
            Hdf5Elements.forEach(x, where, (a, b, value) -> {
                int line = t ? b : a;
                int column = t ? a : b;
                images[((column / side) * lines + line) * side + column % side] = (float) value;
            });
            int[] columnLabel = oneHotLabels(y, t, (int) columns, classes, pixels, where);
            int[] labels = new int[count];
            List<Integer> inconsistent = new ArrayList<>();
            for (int s = 0; s < count; s++) {
                int label = columnLabel[s * pixels];
                for (int p = 0; p < pixels; p++) {
                    int c = s * pixels + p;
                    if (columnLabel[c] != label) {
                        inconsistent.add(s);
                        break;
                    }
                }
                labels[s] = label;
            }
            if (!inconsistent.isEmpty()) {
                throw new BadDataException(where + ": " + inconsistent.size() + " scan(s) have columns with different "
                        + "labels in y (every column of one scan must carry the same class); first: "
                        + inconsistent.subList(0, Math.min(10, inconsistent.size())));
            }
            Map<String, String> info = new LinkedHashMap<>();
            info.put("format", "MATLAB v7.3 / HDF5");
            info.put("layout", transposed ? "column-major (MATLAB): HDF5 x_raw " + shape(xd) + " = MATLAB "
                    + shape(new int[] {xd[1], xd[0]}) : "row-major: x_raw " + shape(xd));
            Class<?> jt = x.getJavaType();
            String dtype = jt == double.class ? "float64" : jt == float.class ? "float32" : jt.getSimpleName();
            return new ScanArrays(where, images, count, lines, pixels, labels, ScanArrays.defaultClassNames(classes, where),
                    dtype + " (HDF5)", info);
        } catch (BadDataException e) {
            throw e;
        } catch (HdfException e) {
            throw new BadDataException(where + ": not a readable MATLAB v7.3 / HDF5 file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // jhdf meets corrupt structures with whatever its arithmetic or buffers throw (overflow,
            // underflow, bad arguments): all mean the same thing here.
            throw new BadDataException(where + ": corrupt MATLAB v7.3 / HDF5 file (" + e + ")", e);
        } catch (OutOfMemoryError e) {
            // Only jhdf's own buffers can get here (our array is sized and checked first): a corrupt
            // header announcing an absurd chunk or heap block.
            throw new BadDataException(where + ": corrupt MATLAB v7.3 / HDF5 file (announces a structure larger "
                    + "than the heap)", e);
        }
    }

    /**
     * Maps the file read-only where it fits one map (under 2 GiB, every MATLAB file we know; null
     * otherwise, and jhdf reads through a file channel): jhdf then reads each structure as a slice of
     * the map, so a corrupt length in a header is an out-of-bounds slice (rejected) instead of a heap
     * buffer of up to 2 GB allocated before the read fails, as jhdf does when it reads through a file
     * channel. The map is outside the heap and backed by the page cache.
     */
    private static ByteBuffer map(Path file) {
        InputFiles.requireRegular(file, "a MATLAB v7.3 file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            return size <= Integer.MAX_VALUE ? ch.map(FileChannel.MapMode.READ_ONLY, 0, size) : null;
        } catch (IOException e) {
            throw InputFiles.cannotRead(file, e);
        }
    }

    private static long declaredBytes(Dataset d, int[] dims) {
        return (long) dims[0] * dims[1] * Math.max(1, d.getDataType().getSize());
    }

    /**
     * The class of every image column from {@code y}, which must be one-hot there: exactly one 1 and
     * zeros elsewhere. Anything else (two classes marked, soft labels such as 0.5, NaN) is refused
     * rather than read as its largest entry, naming the first bad column with its values.
     */
    private static int[] oneHotLabels(Dataset y, boolean transposed, int columns, int classes, int pixels,
            String where) {
        int[] label = new int[columns];
        int[] ones = new int[columns];
        boolean[] other = new boolean[columns];
        Hdf5Elements.forEach(y, where, (a, b, value) -> {
            int column = transposed ? a : b;
            if (value == 1) {
                ones[column]++;
                label[column] = transposed ? b : a;
            } else if (value != 0) {
                other[column] = true;
            }
        });
        for (int c = 0; c < columns; c++) {
            if (ones[c] != 1 || other[c]) {
                // The first few values are enough to see what is wrong; y may have many classes.
                double[] values = new double[Math.min(classes, 16)];
                final int bad = c;
                Hdf5Elements.forEach(y, where, (a, b, value) -> {
                    int k = transposed ? b : a;
                    if ((transposed ? a : b) == bad && k < values.length) {
                        values[k] = value;
                    }
                });
                String shown = java.util.Arrays.toString(values);
                throw new BadDataException(where + ": y is not one-hot at image column " + c + " (scan " + c / pixels
                        + "; " + (transposed ? "row " : "column ") + c + " of y as stored): values "
                        + (classes > values.length ? shown.replace("]", ", …]") : shown)
                        + "; every column of y needs exactly one 1 and zeros elsewhere");
            }
        }
        return label;
    }

    private static Dataset dataset(HdfFile hdf, String name, String where) {
        Node node;
        try {
            node = hdf.getByPath(name);
        } catch (HdfException e) {
            node = null;
        }
        if (!(node instanceof Dataset d)) {
            throw new BadDataException(where + ": no dataset '" + name + "' (found " + hdf.getChildren().keySet()
                    + "); expected x_raw [lines, N·lines] and one-hot y [classes, N·lines]");
        }
        return d;
    }

    private static String shape(int[] d) {
        return java.util.Arrays.toString(d);
    }
}
