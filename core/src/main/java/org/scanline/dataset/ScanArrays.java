package org.scanline.dataset;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;

/**
 * Scans as read from a file, before the validation {@link ScanDataset} applies: pixels may still be
 * NaN (a partially acquired scan), and a single instrument file has no labels. {@code inspect}
 * reports on this; training calls {@link #toDataset()}.
 *
 * @param source the file read, for messages
 * @param images row-major {@code [scan][line][pixel]} pixels, {@code count * lines * pixels} long
 * @param count number of scans
 * @param lines lines per scan
 * @param pixels pixels per line
 * @param labels one label per scan, or null when the source has none
 * @param classNames one name per class (empty when unlabelled)
 * @param storedDtype the pixel type as stored in the file, e.g. {@code <f4}, {@code float64 (HDF5)}, {@code >f4}
 * @param info format-specific facts worth showing (e.g. an {@code .sxm} header), in display order
 */
@API(status = API.Status.EXPERIMENTAL)
public record ScanArrays(String source, float[] images, int count, int lines, int pixels, int[] labels,
        List<String> classNames, String storedDtype, Map<String, String> info) {

    /** The reference 4-class names, used when a file has 4 classes and names none. */
    public static final List<String> REFERENCE_CLASSES =
            List.of("individual atoms", "asymmetries/dimers", "rows", "generic defects");

    /** Validates the shape and copies the small parts; {@code images} is kept, not copied. */
    public ScanArrays {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(images, "images");
        classNames = List.copyOf(classNames);
        info = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info));
        if ((long) count * lines * pixels != images.length) {
            throw new BadDataException(source + ": " + count + " × " + lines + " × " + pixels + " does not match "
                    + images.length + " pixels");
        }
        if (labels != null && labels.length != count) {
            throw new BadDataException(source + ": " + count + " scans but " + labels.length + " labels");
        }
    }

    /**
     * Default class names for labels without names: the reference names for 4 classes, else
     * {@code class_0, class_1, ...}.
     *
     * @param classes number of classes
     * @return the names
     */
    public static List<String> defaultClassNames(int classes) {
        if (classes == REFERENCE_CLASSES.size()) {
            return REFERENCE_CLASSES;
        }
        String[] names = new String[classes];
        for (int i = 0; i < classes; i++) {
            names[i] = "class_" + i;
        }
        return List.of(names);
    }

    /** @return true if every scan carries a label */
    public boolean labelled() {
        return labels != null;
    }

    /** @return the number of NaN or infinite pixels */
    public long nonFiniteCount() {
        long bad = 0;
        for (float v : images) {
            if (!Float.isFinite(v)) {
                bad++;
            }
        }
        return bad;
    }

    /** @return scans per class, index = label (empty when unlabelled) */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        if (labels != null) {
            for (int l : labels) {
                if (l >= 0 && l < counts.length) {
                    counts[l]++;
                }
            }
        }
        return counts;
    }

    /**
     * Validates into a {@link ScanDataset} (which rejects NaN/infinite pixels with their count and the
     * first position).
     *
     * @return the dataset, sharing {@link #images()}
     * @throws BadDataException if the scans have no labels or fail validation
     */
    public ScanDataset toDataset() {
        if (labels == null) {
            throw new BadDataException(source + ": has no labels; a labelled dataset needs an .npz/.mat file "
                    + "or a folder with labels.csv");
        }
        return new ScanDataset(source, images, count, lines, pixels, labels, classNames);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScanArrays s && source.equals(s.source) && count == s.count && lines == s.lines
                && pixels == s.pixels && Arrays.equals(images, s.images) && Arrays.equals(labels, s.labels)
                && classNames.equals(s.classNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, count, lines, pixels, classNames);
    }

    @Override
    public String toString() {
        return "ScanArrays[" + source + ": " + count + " × " + lines + " × " + pixels + " " + storedDtype + "]";
    }
}
