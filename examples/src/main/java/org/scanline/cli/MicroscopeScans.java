package org.scanline.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.scanline.simulate.OtherSurfaces;
import org.scanline.simulate.SimulatedSxm;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.SimulatorConfig;
import org.scanline.simulate.SurfaceKind;

/**
 * The demo's microscope step: one held-out simulated frame written as a Nanonis {@code .sxm} file at
 * 128 × 128 and at 512 × 512 px (the same seed and index draw the same frame, so the physical frame
 * in {@code :SCAN_RANGE:} is all that tells the runtime how to read the finer one), and a surface the
 * model was never trained on. Chosen by seed and index alone, never by what the model says.
 */
final class MicroscopeScans {
    /** The frame of the held-out seed shown at two pixel counts. */
    static final long FRAME_INDEX = 0;
    /** A surface the check never saw while it was designed (a held-out kind, docs/simulator.md). */
    static final SurfaceKind OTHER = SurfaceKind.AMORPHOUS;

    private MicroscopeScans() {
    }

    /**
     * Writes the three files.
     *
     * @param seed the held-out simulator seed
     * @param dir folder to write into (created)
     * @return the files: the frame at 128 px, the same frame at 512 px, the other surface
     */
    static List<Path> write(long seed, Path dir) {
        SimulatorConfig at128 = SimulatorConfig.builder().labelNoise(0).build();
        SimulatorConfig at512 = SimulatorConfig.builder().labelNoise(0).pixels(512).lines(512).build();
        Path tmp = dir.resolve("tmp");
        SimulatedSxm.write(new Simulator(at128), seed, FRAME_INDEX, 1, "down", tmp.resolve("128"));
        SimulatedSxm.write(new Simulator(at512), seed, FRAME_INDEX, 1, "down", tmp.resolve("512"));
        SimulatedSxm.write(new OtherSurfaces(at128), OTHER, seed, 0, 1, "down", tmp.resolve("other"));
        try {
            String name = String.format(java.util.Locale.ROOT, "scan_%06d.sxm", FRAME_INDEX);
            List<Path> files = List.of(
                    move(tmp.resolve("128").resolve(name), dir.resolve("frame-128px.sxm")),
                    move(tmp.resolve("512").resolve(name), dir.resolve("frame-512px.sxm")),
                    move(tmp.resolve("other").resolve("scan_000000.sxm"), dir.resolve(OTHER.key() + ".sxm")));
            deleteTree(tmp);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's microscope scans into " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private static Path move(Path from, Path to) throws IOException {
        return Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
