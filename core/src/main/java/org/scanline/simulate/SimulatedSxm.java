package org.scanline.simulate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongFunction;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.dataset.SxmWriter;

/**
 * Simulated scans written as an instrument writes them: one Nanonis {@code .sxm} per scan (Z forward
 * and backward, {@code :SCAN_RANGE:} in metres from the scan's frame, {@code :SCAN_PIXELS:},
 * {@code :SCAN_DIR:}, {@code :BIAS:} with the scan's polarity) and {@value #TRUTH} beside them with
 * the columns {@code file,label,label_true,change_line,surface} (label {@value OtherSurfaces#OTHER_NAME}
 * for the scans of another surface), so that {@code classify} results can be
 * scored. The truth file is not called {@code labels.csv} on purpose: a folder with one is read as a
 * single labelled dataset, and these files must be read one by one with their own headers.
 *
 * <pre>{@code
 * SimulatedSxm.write(new Simulator(cfg), 8, 0, 300, "down", Path.of("sxm-set"));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class SimulatedSxm {
    /** Name of the truth file written beside the scans. */
    public static final String TRUTH = "truth.csv";
    /** Sample bias written for filled-state scans, V (H:Si(100) is commonly imaged at about −2 V). */
    static final double FILLED_BIAS = -2.0;
    /** Sample bias written for empty-state scans, V. */
    static final double EMPTY_BIAS = 1.5;

    private SimulatedSxm() {
    }

    /**
     * Writes H:Si(100) scans {@code first … first+count−1} of a seed.
     *
     * @param sim the simulator
     * @param seed its seed
     * @param first index of the first scan
     * @param count number of scans
     * @param scanDir {@code down} or {@code up}: written to {@code :SCAN_DIR:}; the file keeps acquisition
     *     order either way, so the data are the same
     * @param dir output folder (created)
     * @return the number of files written
     */
    public static int write(Simulator sim, long seed, long first, int count, String scanDir, Path dir) {
        return write(sim.config(), "hsi100", seed, first, count, scanDir, dir, i -> sim.scan(seed, i),
                i -> sim.backwardTrace(seed, i));
    }

    /**
     * Writes scans of another surface; their label in {@value #TRUTH} is {@value OtherSurfaces#OTHER_NAME}.
     *
     * @param others the renderer of other surfaces
     * @param kind which surface
     * @param seed its seed
     * @param first index of the first scan
     * @param count number of scans
     * @param scanDir {@code down} or {@code up}
     * @param dir output folder (created)
     * @return the number of files written
     */
    public static int write(OtherSurfaces others, SurfaceKind kind, long seed, long first, int count, String scanDir,
            Path dir) {
        return write(others.config(), kind.key(), seed, first, count, scanDir, dir, i -> others.scan(kind, seed, i),
                i -> others.backwardTrace(kind, seed, i));
    }

    private static int write(SimulatorConfig cfg, String surface, long seed, long first, int count, String scanDir,
            Path dir, LongFunction<SimulatedScan> forward, LongFunction<float[]> backwardOf) {
        if (count < 1) {
            throw new BadConfigException("simulate: --count must be ≥ 1, found " + count);
        }
        try {
            Files.createDirectories(dir);
            try (Writer truth = Files.newBufferedWriter(dir.resolve(TRUTH), StandardCharsets.UTF_8)) {
                truth.write("file,label,label_true,change_line,surface\n");
                for (int i = 0; i < count; i++) {
                    long index = first + i;
                    SimulatedScan s = forward.apply(index);
                    float[] backward = backwardOf.apply(index);
                    double size = s.parameters().get(Parameter.SCAN_SIZE_NM) * 1e-9;
                    double bias = s.parameters().get(Parameter.BIAS_SIGN) < 0 ? FILLED_BIAS : EMPTY_BIAS;
                    String name = String.format(Locale.ROOT, "scan_%06d.sxm", index);
                    SxmWriter.of(cfg.pixels(), cfg.lines()).rangeMeters(size, size).direction(scanDir).biasVolts(bias)
                            .comment("simulated " + surface + " (" + cfg.version() + ") seed " + seed + " index " + index)
                            .channel("Z", "m", s.image(), backward).write(dir.resolve(name));
                    truth.write(name + "," + label(s.label()) + "," + label(s.labelTrue()) + "," + s.changeLine() + ","
                            + surface + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
        }
        return count;
    }

    private static String label(int c) {
        return c == OtherSurfaces.OTHER ? OtherSurfaces.OTHER_NAME : Integer.toString(c);
    }
}
