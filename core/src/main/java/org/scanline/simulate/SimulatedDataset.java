package org.scanline.simulate;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.apiguardian.api.API;
import org.scanline.ScanDataset;
import org.scanline.dataset.NpyArray;
import org.scanline.dataset.NpzWriter;

/**
 * N simulated scans: the {@link ScanDataset} (images and annotated labels) plus the simulator's
 * truth — true labels, per-line tip states, tip-change lines — and every generator parameter per
 * scan, the dataset version name and the seed.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class SimulatedDataset {
    private final ScanDataset dataset;
    private final int[] labelsTrue;
    private final byte[] lineStates;
    private final int[] changeLines;
    private final double[][] parameters;
    private final SimulatorConfig config;
    private final long seed;
    private final long firstIndex;

    SimulatedDataset(ScanDataset dataset, int[] labelsTrue, byte[] lineStates, int[] changeLines, double[][] parameters,
            SimulatorConfig config, long seed, long firstIndex) {
        this.dataset = Objects.requireNonNull(dataset);
        this.labelsTrue = labelsTrue;
        this.lineStates = lineStates;
        this.changeLines = changeLines;
        this.parameters = parameters;
        this.config = config;
        this.seed = seed;
        this.firstIndex = firstIndex;
    }

    /** @return the images and annotated labels (flat, shared, not copied) */
    public ScanDataset dataset() {
        return dataset;
    }

    /** @return number of scans */
    public int count() {
        return dataset.count();
    }

    /** @return a copy of the labels as annotated (with label noise) */
    public int[] labels() {
        return dataset.labels();
    }

    /** @return a copy of the classes the scans were generated as */
    public int[] labelsTrue() {
        return labelsTrue.clone();
    }

    /**
     * @param scan scan index
     * @return the true class of that scan
     */
    public int labelTrue(int scan) {
        return labelsTrue[scan];
    }

    /** @return a copy of the per-line tip states, {@code [scan][line]} row-major (N × L) */
    public byte[] lineStates() {
        return lineStates.clone();
    }

    /**
     * @param scan scan index
     * @return a copy of that scan's per-line tip states
     */
    public byte[] lineStates(int scan) {
        int l = dataset.lines();
        return Arrays.copyOfRange(lineStates, scan * l, (scan + 1) * l);
    }

    /** @return a copy of the tip-change lines, −1 where the tip did not change */
    public int[] changeLines() {
        return changeLines.clone();
    }

    /**
     * @param p a parameter
     * @return a copy of its value for every scan
     */
    public double[] parameter(Parameter p) {
        return parameters[p.ordinal()].clone();
    }

    /**
     * @param scan scan index
     * @return all parameters of that scan
     */
    public ScanParameters parameters(int scan) {
        double[] v = new double[parameters.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = parameters[i][scan];
        }
        return new ScanParameters(v);
    }

    /** @return the config the scans were generated with (its version names the dataset) */
    public SimulatorConfig config() {
        return config;
    }

    /** @return the dataset version name, e.g. {@value SimulatorConfig#DEFAULT_VERSION} */
    public String version() {
        return config.version();
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return index of the first scan in the seeded sequence */
    public long firstIndex() {
        return firstIndex;
    }

    /**
     * Writes everything to an {@code .npz} that numpy loads: {@code images} float32 (N, L, P) in metres
     * (0–255 in Gordon mode), {@code labels} and {@code labels_true} int32 (N,), {@code line_states}
     * int8 (N, L), {@code change_line} int32 (N,), {@code class_names}, one float64 array
     * {@code param_<key>} per {@link Parameter}, and the scalars {@code dataset_version},
     * {@code seed}, {@code first_index}, {@code difficulty}, {@code label_noise}, {@code as_gordon},
     * {@code units}, {@code frame_min_nm}, {@code frame_max_nm}, {@code filled_share}, {@code noise_scale}. Written to a temporary file and moved into place.
     *
     * @param file destination
     * @param compressed deflate entries (smaller, slower) or store them
     */
    public void writeNpz(Path file, boolean compressed) {
        int n = count();
        int lines = dataset.lines();
        try (NpzWriter w = NpzWriter.create(file, compressed)) {
            w.write("images", NpyArray.of(dataset.images(), n, lines, dataset.pixels()));
            w.write("labels", NpyArray.of(dataset.labels(), n));
            w.write("labels_true", NpyArray.of(labelsTrue, n));
            w.write("line_states", NpyArray.of(lineStates, n, lines));
            w.write("change_line", NpyArray.of(changeLines, n));
            String[] names = dataset.classNames().toArray(new String[0]);
            w.write("class_names", NpyArray.ofStrings(names, names.length));
            for (Parameter p : Parameter.values()) {
                w.write("param_" + p.key(), NpyArray.of(parameters[p.ordinal()], n));
            }
            w.write("dataset_version", NpyArray.scalar(config.version()));
            w.write("seed", NpyArray.scalar(seed));
            w.write("first_index", NpyArray.scalar(firstIndex));
            w.write("difficulty", NpyArray.scalar(config.difficulty()));
            w.write("label_noise", NpyArray.scalar(config.labelNoise()));
            w.write("as_gordon", NpyArray.of(new boolean[] {config.asGordon()}));
            w.write("units", NpyArray.scalar(config.asGordon() ? "gray8" : "m"));
            w.write("frame_min_nm", NpyArray.scalar(config.frameMinNm()));
            w.write("frame_max_nm", NpyArray.scalar(config.frameMaxNm()));
            w.write("filled_share", NpyArray.scalar(config.filledShare()));
            w.write("noise_scale", NpyArray.scalar(config.noiseScale()));
            w.commit();
        }
    }
}
