package org.scanline.nanonis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.scanline.Architecture;
import org.scanline.cli.Main;
import org.scanline.dataset.Datasets;
import org.scanline.evaluation.TinyRuns;

/**
 * A tiny real model file for the watch tests: a one-layer causal model (16 pixels, 10 lines, classes
 * a, b, c) trained for two epochs on {@link TinyRuns} data and exported through the command line.
 * Built once per test JVM; it tells nothing about tips — it is there so the watch path runs a real
 * ONNX Runtime session.
 */
public final class TinyModel {
    private static Path model;

    private TinyModel() {
    }

    /** @return the model file, trained and exported on first use */
    public static synchronized Path get() {
        if (model != null) {
            return model;
        }
        try {
            Path dir = Files.createTempDirectory("scanline-watch-model");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            Path data = dir.resolve("tiny.npz");
            Datasets.writeNpz(TinyRuns.data(8, 4), data, false);
            Path run = TinyRuns.train(Architecture.CAUSAL, data, dir.resolve("runs"), 2);
            Path file = dir.resolve("model.onnx");
            int code = Main.commandLine().execute("export", run.toString(), "--out", file.toString(), "--no-calibrate");
            if (code != 0) {
                throw new IllegalStateException("exporting the tiny model failed with exit code " + code);
            }
            model = file;
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }
}
