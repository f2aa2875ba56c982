package org.scanline;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * N labelled scans of the same shape held in one flat row-major {@code float[]}
 * ({@code [scan][line][pixel]}), with integer labels and class names. No boxed values and no
 * per-scan arrays: the full 18,932 × 128 × 128 set is one 1.24 GB array.
 *
 * <p>The constructor validates everything a model relies on and throws {@link BadDataException}
 * naming {@link #source()}: shape against array length, label count, labels in range, and
 * finite pixels (the count and the first offending index are reported).
 *
 * <pre>{@code
 * ScanDataset ds = Datasets.read(Path.of("processed_data.npz")); // readers live in scanline-core
 * float[][] first = ds.scan(0);
 * int[] counts = ds.classCounts();
 * }</pre>
 */
@API(status = API.Status.STABLE)
public final class ScanDataset {
    private final String source;
    private final float[] images;
    private final int count;
    private final int lines;
    private final int pixels;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * Wraps (does not copy) a flat image array.
     *
     * @param source where the data came from (a file path or a description), used in messages
     * @param images row-major pixels, exactly {@code count * lines * pixels} long; kept, not copied
     * @param count number of scans
     * @param lines lines per scan
     * @param pixels pixels per line
     * @param labels one label per scan in {@code [0, classNames.size())}; copied
     * @param classNames one name per class
     * @throws BadDataException if shapes disagree, labels are out of range or a pixel is not finite
     */
    public ScanDataset(String source, float[] images, int count, int lines, int pixels, int[] labels,
            List<String> classNames) {
        this.source = Objects.requireNonNull(source, "source");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(classNames, "classNames");
        if (count <= 0) {
            throw new BadDataException(source + ": the dataset is empty (0 scans)");
        }
        if (lines <= 0 || pixels <= 0) {
            throw new BadDataException(source + ": scans must have at least one line and one pixel, found "
                    + lines + " × " + pixels);
        }
        long expected = (long) count * lines * pixels;
        if (images.length != expected) {
            throw new BadDataException(source + ": " + count + " scans of " + lines + " × " + pixels
                    + " need " + expected + " values, found " + images.length);
        }
        if (labels.length != count) {
            throw new BadDataException(source + ": " + count + " scans but " + labels.length + " labels");
        }
        if (classNames.isEmpty()) {
            throw new BadDataException(source + ": no class names");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new BadDataException(source + ": label " + labels[i] + " of scan " + i
                        + " is outside [0, " + classNames.size() + ")");
            }
        }
        long bad = 0;
        long first = -1;
        for (int i = 0; i < images.length; i++) {
            if (!Float.isFinite(images[i])) {
                if (first < 0) {
                    first = i;
                }
                bad++;
            }
        }
        if (bad > 0) {
            long scan = first / ((long) lines * pixels);
            long rest = first % ((long) lines * pixels);
            throw new BadDataException(source + ": " + bad + " pixel(s) are NaN or infinite; the first is scan "
                    + scan + ", line " + rest / pixels + ", pixel " + rest % pixels);
        }
        this.images = images;
        this.count = count;
        this.lines = lines;
        this.pixels = pixels;
        this.labels = labels.clone();
        this.classNames = List.copyOf(classNames);
    }

    /** @return where the data came from */
    public String source() {
        return source;
    }

    /** @return number of scans */
    public int count() {
        return count;
    }

    /** @return lines per scan */
    public int lines() {
        return lines;
    }

    /** @return pixels per line */
    public int pixels() {
        return pixels;
    }

    /** @return number of classes (the length of {@link #classNames()}) */
    public int classCount() {
        return classNames.size();
    }

    /** @return class names, index = label */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The backing array itself, not a copy: {@code [scan][line][pixel]} row-major. Callers must not
     * modify it unless they own the dataset.
     *
     * @return the flat pixel array
     */
    public float[] images() {
        return images;
    }

    /**
     * @param scan scan index
     * @return the offset of that scan's first pixel in {@link #images()}
     */
    public long offset(int scan) {
        Objects.checkIndex(scan, count);
        return (long) scan * lines * pixels;
    }

    /**
     * @param scan scan index
     * @return the label of that scan
     */
    public int label(int scan) {
        return labels[scan];
    }

    /** @return a copy of all labels */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * @param scan scan index
     * @return a copy of that scan as lines × pixels
     */
    public float[][] scan(int scan) {
        int base = Math.toIntExact(offset(scan));
        float[][] out = new float[lines][];
        for (int l = 0; l < lines; l++) {
            out[l] = Arrays.copyOfRange(images, base + l * pixels, base + (l + 1) * pixels);
        }
        return out;
    }

    /** @return number of scans per class, index = label */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * Copies the given scans into a new dataset (used for splits).
     *
     * @param indices scan indices, in the order wanted
     * @param name description of the subset, appended to {@link #source()}
     * @return a new dataset holding copies of those scans
     */
    public ScanDataset subset(int[] indices, String name) {
        int size = lines * pixels;
        float[] out = new float[Math.multiplyExact(indices.length, size)];
        int[] outLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(images, Math.toIntExact(offset(indices[i])), out, i * size, size);
            outLabels[i] = labels[indices[i]];
        }
        return new ScanDataset(source + "#" + name, out, indices.length, lines, pixels, outLabels, classNames);
    }

    @Override
    public String toString() {
        return "ScanDataset[" + source + ": " + count + " × " + lines + " × " + pixels + ", classes=" + classNames + "]";
    }
}
