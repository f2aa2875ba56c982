package org.scanline.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.scanline.BadDataException;
import org.scanline.LineResampler;
import org.scanline.ScanLineClassifier;
import org.scanline.Sampling;
import org.scanline.dataset.NpyArray;
import org.scanline.dataset.NpzReader;
import org.scanline.dataset.ScanArrays;
import org.scanline.sxm.SxmScan;

/** What {@code classify}, {@code stream} and {@code demo} share: the files a path names, and scans as model input. */
final class ScanFiles {
    private ScanFiles() {
    }

    /**
     * A dataset folder ({@code labels.csv} or {@code images.npy}) is one source; any other folder
     * stands for the scan files directly in it, sorted by name.
     */
    static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p) || Files.exists(p.resolve("labels.csv")) || Files.exists(p.resolve("images.npy"))) {
                out.add(p);
                continue;
            }
            try (Stream<Path> s = Files.list(p)) {
                List<Path> found = s.filter(f -> Files.isRegularFile(f) && isScanFile(f)).sorted().toList();
                if (found.isEmpty()) {
                    throw new BadDataException(p + ": the folder holds no scan files (.sxm, .npz, *images*.npy, .mat) "
                            + "and no labels.csv");
                }
                out.addAll(found);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + p + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    static boolean isScanFile(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".sxm") || n.endsWith(".npz") || n.endsWith(".mat") || n.endsWith(".h5") || n.endsWith(".hdf5")
                || (n.endsWith(".npy") && n.contains("images"));
    }

    /** @return scan {@code i} of {@code a} as lines (copies), NaN lines included */
    static float[][] lines(ScanArrays a, int i) {
        float[][] s = new float[a.lines()][];
        long base = (long) i * a.lines() * a.pixels();
        for (int l = 0; l < a.lines(); l++) {
            int from = Math.toIntExact(base + (long) l * a.pixels());
            s[l] = java.util.Arrays.copyOfRange(a.images(), from, from + a.pixels());
        }
        return s;
    }

    /**
     * The model input of one scan: its first {@code use} lines, resampled to the model's width.
     *
     * @param resampler from the file's width to the model's, or null when they agree
     */
    static float[][] modelInput(float[][] scan, int use, LineResampler resampler) {
        float[][] part = java.util.Arrays.copyOf(scan, use);
        return resampler == null ? part : resampler.resample(part);
    }

    /** @return null when the widths agree, else the resampler from {@code pixels} to the model's */
    static LineResampler resamplerFor(int pixels, ScanLineClassifier c) {
        return pixels == c.pixels() ? null : LineResampler.of(pixels, c.pixels());
    }

    /** The {@code .npz} array the simulator writes with every scan's frame edge, nm. */
    static final String SCAN_SIZE_KEY = "param_scan_size_nm";

    /**
     * The physical sampling of every scan of a file, when the file says: a Nanonis {@code .sxm} from
     * {@code :SCAN_RANGE:} and {@code :SCAN_PIXELS:}; an {@code .npz} from {@value #SCAN_SIZE_KEY} (the
     * simulator's square frames). Other files, and scans whose entry is NaN, know none.
     *
     * @param file the file {@code a} was read from
     * @param a its scans
     * @return one sampling per scan, null where unknown
     */
    static Sampling[] samplings(Path file, ScanArrays a) {
        Sampling[] out = new Sampling[a.count()];
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(file) && n.endsWith(".sxm")) {
            Sampling s = SxmScan.read(file).sampling().orElse(null);
            java.util.Arrays.fill(out, s);
        } else if (Files.isRegularFile(file) && n.endsWith(".npz")) {
            try (NpzReader npz = NpzReader.open(file)) {
                if (npz.contains(SCAN_SIZE_KEY)) {
                    NpyArray sizes = npz.read(SCAN_SIZE_KEY);
                    for (int i = 0; i < Math.min(out.length, sizes.size()); i++) {
                        double edge = sizes.getDouble(i);
                        out[i] = edge > 0 && Double.isFinite(edge) ? Sampling.ofFrame(edge, edge, a.pixels(), a.lines())
                                : null;
                    }
                }
            }
        }
        return out;
    }

    /** The one sentence that says a file's scans know no sampling, for every command alike. */
    static String unknownSamplingNote(Path file) {
        return file + ": the frame size is not known (no :SCAN_RANGE:, no " + SCAN_SIZE_KEY + "): lines resampled by"
                + " pixel count and taken one to one, as the model's sampling may not be";
    }

    /** The one sentence that says a file's lines were resampled, for every command alike. */
    static String resampledNote(Path file, int from, int to) {
        return file + ": " + from + " pixels per line resampled to the model's " + to
                + " (linear interpolation, averaging when shrinking: org.scanline.LineResampler)";
    }
}
