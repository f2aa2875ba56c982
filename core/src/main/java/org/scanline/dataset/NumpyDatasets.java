package org.scanline.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;

/**
 * Datasets stored as numpy arrays: an {@code .npz} with {@code images} (N, L, P), {@code labels} (N,)
 * and optional {@code class_names}, or the same arrays as separate {@code .npy} files.
 */
final class NumpyDatasets {
    static final String IMAGES = "images";
    static final String LABELS = "labels";
    static final String CLASS_NAMES = "class_names";

    private NumpyDatasets() {
    }

    /**
     * Reads an npz dataset: the images' header first (checked against {@code maxArrayBytes} before
     * anything is inflated), then the labels (small), then the images straight into one float[].
     */
    static ScanArrays readNpz(Path file, long maxArrayBytes) {
        try (NpzReader npz = NpzReader.open(file, maxArrayBytes)) {
            for (String key : List.of(IMAGES, LABELS)) {
                if (!npz.contains(key)) {
                    throw new BadDataException(file + ": no '" + key + "' array (found " + npz.keys()
                            + "); a dataset needs 'images' (N, lines, pixels) and 'labels' (N,)");
                }
            }
            NpyHeader ih = npz.header(IMAGES);
            checkImages(ih, file + "[images]");
            npz.checkLimit(IMAGES, ih);
            NpyArray labelArray = npz.read(LABELS);
            int[] labels = labels(labelArray, file + "[labels]");
            List<String> names = npz.contains(CLASS_NAMES) ? classNames(npz.read(CLASS_NAMES), file + "[class_names]")
                    : null;
            float[] images = allocate(ih, labels.length, file + "[images]");
            npz.readFloats(IMAGES, images, 0);
            return assemble(file.toString(), images, ih, labels, names);
        }
    }

    /** Reads {@code images.npy} and {@code labels.npy} (and {@code class_names.npy} if present). */
    static ScanArrays readNpyPair(Path imagesFile, Path labelsFile, Path classNamesFile, long maxArrayBytes) {
        NpyHeader ih = Npy.header(imagesFile);
        checkImages(ih, imagesFile.toString());
        ArrayLimit.check(ih.dataBytes(), maxArrayBytes, imagesFile.toString(),
                NpyHeader.tuple(ih.shape()) + " " + ih.descr());
        int[] labels = labels(Npy.read(labelsFile), labelsFile.toString());
        List<String> names = classNamesFile != null && Files.exists(classNamesFile)
                ? classNames(Npy.read(classNamesFile), classNamesFile.toString()) : null;
        float[] images = allocate(ih, labels.length, imagesFile.toString());
        Npy.readFloats(imagesFile, ih, images, 0);
        return assemble(imagesFile.toString(), images, ih, labels, names);
    }

    /** For {@code x_images.npy} the labels file is {@code x_labels.npy}; for a folder its {@code images.npy}. */
    static Path labelsSibling(Path imagesFile) {
        String name = imagesFile.getFileName().toString();
        if (!name.contains(IMAGES)) {
            throw new BadDataException(imagesFile + ": a .npy dataset is a pair of files whose names contain "
                    + "'images' and 'labels' (e.g. images.npy + labels.npy)");
        }
        Path labels = imagesFile.resolveSibling(name.replace(IMAGES, LABELS));
        if (!Files.isRegularFile(labels)) {
            throw new BadDataException(imagesFile + ": its labels file " + labels.getFileName() + " is missing");
        }
        return labels;
    }

    private static void checkImages(NpyHeader h, String where) {
        if (h.rank() != 3) {
            throw new BadDataException(where + ": images must have rank 3 (N, lines, pixels), found shape "
                    + h.shapeString());
        }
        if (h.dtype().isString() || h.dtype() == NpyDtype.BOOL) {
            throw new BadDataException(where + ": images must be numeric (float32 or float64), found " + h.descr());
        }
    }

    private static float[] allocate(NpyHeader ih, int labelCount, String where) {
        long[] s = ih.shape();
        if (s[0] != labelCount) {
            throw new BadDataException(where + ": " + s[0] + " scans but " + labelCount + " labels");
        }
        if (s[0] == 0 || s[1] == 0 || s[2] == 0) {
            throw new BadDataException(where + ": the dataset is empty, shape " + ih.shapeString());
        }
        long heap = Runtime.getRuntime().maxMemory();
        long need = ih.elementCount() * Float.BYTES;
        if (need > heap) {
            throw new BadDataException(where + ": " + ih.shapeString() + " needs " + need / (1 << 20)
                    + " MiB as float32; this JVM may use at most " + heap / (1 << 20) + " MiB (raise -Xmx)");
        }
        return new float[(int) ih.elementCount()];
    }

    static int[] labels(NpyArray a, String where) {
        if (a.rank() != 1) {
            throw new BadDataException(where + ": labels must have rank 1 (N,), found shape "
                    + NpyHeader.tuple(a.shape()));
        }
        if (!a.dtype().isInteger()) {
            throw new BadDataException(where + ": labels must be integers (int32, int64, uint8, ...), found "
                    + a.dtype());
        }
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            long v = a.getLong(i);
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new BadDataException(where + ": label " + v + " of scan " + i + " is not a class index (>= 0)");
            }
            out[i] = (int) v;
        }
        return out;
    }

    static List<String> classNames(NpyArray a, String where) {
        if (!a.dtype().isString() || a.rank() != 1) {
            throw new BadDataException(where + ": class_names must be a 1-d string array, found " + a.dtype() + " "
                    + NpyHeader.tuple(a.shape()));
        }
        return List.of(a.strings());
    }

    static ScanArrays assemble(String source, float[] images, NpyHeader ih, int[] labels, List<String> names) {
        long[] s = ih.shape();
        long classes = Arrays.stream(labels).max().orElse(-1) + 1L;
        List<String> classNames = names != null ? names : ScanArrays.defaultClassNames(classes, source);
        if (classes > classNames.size()) {
            throw new BadDataException(source + ": label " + (classes - 1) + " is out of range for "
                    + classNames.size() + " class names " + classNames);
        }
        Map<String, String> info = new LinkedHashMap<>();
        info.put("format", "numpy");
        return new ScanArrays(source, images, (int) s[0], (int) s[1], (int) s[2], labels, classNames, ih.descr(), info);
    }

    /**
     * Writes a dataset as {@code images} float32 (N, L, P), {@code labels} int32 (N,) and
     * {@code class_names} unicode (K,), streamed from the dataset's own array.
     */
    static void writeNpz(ScanDataset ds, java.util.Map<String, NpyArray> extra, Path file, boolean compressed) {
        try (NpzWriter w = NpzWriter.create(file, compressed)) {
            w.write(IMAGES, NpyArray.of(ds.images(), ds.count(), ds.lines(), ds.pixels()));
            w.write(LABELS, NpyArray.of(ds.labels(), ds.count()));
            w.write(CLASS_NAMES, NpyArray.ofStrings(ds.classNames().toArray(String[]::new), ds.classCount()));
            for (java.util.Map.Entry<String, NpyArray> e : extra.entrySet()) {
                w.write(e.getKey(), e.getValue());
            }
            w.commit();
        }
    }
}
