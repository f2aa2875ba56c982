package org.scanline.dataset;

import org.scanline.sxm.SxmScan;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;
import org.scanline.io.InputFiles;

/**
 * The single entry point for reading datasets, dispatching on the file extension or folder:
 *
 * <ul>
 *   <li>{@code .npz} — {@code images} (N, L, P) float32/float64, {@code labels} (N,) integer, optional
 *       {@code class_names};</li>
 *   <li>{@code .npy} — a file whose name contains {@code images} with its {@code labels} sibling
 *       (e.g. {@code train_images.npy} + {@code train_labels.npy});</li>
 *   <li>a folder holding {@code images.npy} and {@code labels.npy};</li>
 *   <li>{@code .mat} — MATLAB v7.3 (HDF5) with {@code x_raw} [lines, N·lines] and one-hot {@code y}
 *       [classes, N·lines], stored transposed as MATLAB does or row-major;</li>
 *   <li>a folder holding {@code labels.csv} ({@code file,label}) and the scan files it names
 *       ({@code .sxm} or 2-d {@code .npy}); the {@link ReadOptions} pick an {@code .sxm} channel and trace;</li>
 *   <li>{@code .sxm} — one Nanonis scan, unlabelled: {@link #load} only (for {@code inspect}).</li>
 * </ul>
 *
 * <pre>{@code
 * ScanDataset ds = Datasets.read(Path.of("processed_data.npz"));
 * Datasets.writeNpz(ds, Path.of("copy.npz"), true);
 * }</pre>
 *
 * <p>Images are decoded from the file in chunks into one flat {@code float[]}: peak memory is the
 * dataset itself plus a few MiB. See {@code docs/datasets.md} for the conventions.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Datasets {
    private Datasets() {
    }

    /**
     * Reads and validates a labelled dataset.
     *
     * @param path a dataset file or folder
     * @return the dataset
     * @throws BadDataException if the data is malformed, naming the file and the problem
     * @throws UncheckedIOException if the file cannot be read at all
     */
    public static ScanDataset read(Path path) {
        return load(path, ReadOptions.defaults()).toDataset();
    }

    /**
     * Reads and validates a labelled dataset.
     *
     * @param path a dataset file or folder
     * @param options channel and trace for {@code .sxm} files
     * @return the dataset
     */
    public static ScanDataset read(Path path, ReadOptions options) {
        return load(path, options).toDataset();
    }

    /**
     * Reads scans without the final validation: NaN pixels are kept (so they can be counted) and an
     * unlabelled source is allowed.
     *
     * @param path a dataset file or folder
     * @return the scans as stored
     */
    public static ScanArrays load(Path path) {
        return load(path, ReadOptions.defaults());
    }

    /**
     * Reads scans without the final validation (NaN pixels kept, unlabelled sources allowed).
     *
     * @param path a dataset file or folder
     * @param options channel and trace for {@code .sxm} files
     * @return the scans as stored
     */
    public static ScanArrays load(Path path, ReadOptions options) {
        if (!Files.exists(path)) {
            throw new UncheckedIOException("cannot read " + path + ": no such file or folder",
                    new NoSuchFileException(path.toString()));
        }
        if (Files.isDirectory(path)) {
            if (Files.exists(path.resolve(LabelledFolders.LABELS_CSV))) {
                return LabelledFolders.read(path, options);
            }
            Path images = path.resolve("images.npy");
            if (Files.exists(images)) {
                return NumpyDatasets.readNpyPair(images, path.resolve("labels.npy"), path.resolve("class_names.npy"),
                        options.maxArrayBytes());
            }
            throw new BadDataException(path + ": folder holds neither labels.csv nor images.npy");
        }
        InputFiles.requireRegular(path, "a dataset");
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npz")) {
            return NumpyDatasets.readNpz(path, options.maxArrayBytes());
        }
        if (name.endsWith(".npy")) {
            Path labels = NumpyDatasets.labelsSibling(path);
            Path classNames = path.resolveSibling(path.getFileName().toString().replace("images", "class_names"));
            return NumpyDatasets.readNpyPair(path, labels, classNames, options.maxArrayBytes());
        }
        if (name.endsWith(".mat") || name.endsWith(".h5") || name.endsWith(".hdf5")) {
            return MatDatasets.read(path, options.maxArrayBytes());
        }
        if (name.endsWith(".sxm")) {
            return Sxm.toArrays(SxmScan.read(path), options);
        }
        throw new BadDataException(path + ": unknown dataset format (expected .npz, .npy, .mat, .sxm or a folder)");
    }

    /**
     * Reads a dataset stored as two {@code .npy} files.
     *
     * @param images (N, lines, pixels) numeric array
     * @param labels (N,) integer array
     * @return the validated dataset
     */
    public static ScanDataset readNpyPair(Path images, Path labels) {
        return NumpyDatasets.readNpyPair(images, labels, null, ReadOptions.FREE_HEAP).toDataset();
    }

    /**
     * Writes a dataset as an {@code .npz} numpy reads: {@code images} float32 (N, L, P), {@code labels}
     * int32 (N,), {@code class_names} unicode (K,). Written to a temporary file and moved into place.
     *
     * @param dataset the dataset
     * @param file destination
     * @param compressed deflate (like {@code np.savez_compressed}) or store (like {@code np.savez})
     */
    public static void writeNpz(ScanDataset dataset, Path file, boolean compressed) {
        writeNpz(dataset, java.util.Map.of(), file, compressed);
    }

    /**
     * {@link #writeNpz(ScanDataset, Path, boolean)} with more arrays beside the dataset's, for example
     * the simulator's {@code param_scan_size_nm}, which gives readers the frames' physical size.
     *
     * @param dataset the dataset
     * @param extra more arrays by key (none may be named like the dataset's own)
     * @param file destination
     * @param compressed deflate or store
     */
    public static void writeNpz(ScanDataset dataset, java.util.Map<String, NpyArray> extra, Path file,
            boolean compressed) {
        NumpyDatasets.writeNpz(dataset, extra, file, compressed);
    }
}
