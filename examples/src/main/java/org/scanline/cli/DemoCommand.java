package org.scanline.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.scanline.LineStream;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanlineException;
import org.scanline.dataset.SxmScan;
import org.scanline.dataset.TraceDirection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scanline demo}: the whole pipeline on the embedded default data, by running the other
 * commands in order — simulate, train a small causal model, evaluate, export, stream a held-out
 * scan — and finally stream a real Nanonis scan from {@code ../shared/data/sxm} when present.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Simulate, train a small causal model, evaluate, export and stream, all into --out.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "demo-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--count", defaultValue = "4000", description = "Simulated scans (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--epochs", defaultValue = "25", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--size", defaultValue = "64",
            description = "Lines and pixels of the simulated scans (default: ${DEFAULT-VALUE}; 128 is the reference, slower).")
    int size;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        Path data = out.resolve("sim.npz");
        Path runs = out.resolve("runs");
        Path model = out.resolve("model.onnx");
        step("1/6 simulate " + count + " H:Si(100) scans (" + size + " × " + size + ")",
                "simulate", "--count", Integer.toString(count), "--seed", "1", "--lines", Integer.toString(size),
                "--pixels", Integer.toString(size), "--out", data.toString());
        step("2/6 train a small causal model on the CPU",
                "train", "--data", data.toString(), "--arch", "causal", "--d-model", "64", "--heads", "4",
                "--layers", "2", "--ffn", "128", "--dropout", "0.1", "--max-lines", Integer.toString(size),
                "--min-lines", "8", "--epochs", Integer.toString(epochs), "--warmup-epochs", "1",
                "--lr", "1e-3", "--batch-size", "32", "--patience", "0", "--runs-dir", runs.toString());
        Path run = newestRun(runs);
        step("3/6 evaluate on the held-out test split", "evaluate", run.toString(), "--plots",
                out.resolve("plots").toString());
        step("4/6 export to ONNX (calibrated on the validation split)", "export", run.toString(), "--out",
                model.toString());
        step("5/6 stream a held-out simulated scan line by line", "stream", model.toString(), data.toString(),
                "--scan", Integer.toString(firstTestScan(run, data)));
        streamRealScan(model);
        spec.commandLine().getOut().printf("%nDone. Everything is in %s (run folder %s, model %s).%n",
                out.toAbsolutePath(), run.getFileName(), model.getFileName());
        return 0;
    }

    private void step(String title, String... args) {
        var o = spec.commandLine().getOut();
        o.printf("%n== %s%n$ scanline %s%n", title, String.join(" ", args));
        o.flush();
        int code = Main.commandLine().execute(args);
        if (code != 0) {
            throw new ScanlineException("demo step '" + args[0] + "' failed with exit code " + code);
        }
    }

    private static Path newestRun(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new ScanlineException(runs + ": training wrote no run folder"));
        }
    }

    private static int firstTestScan(Path run, Path data) {
        var folder = org.scanline.training.RunFolder.open(run);
        var all = org.scanline.dataset.Datasets.read(data);
        return org.scanline.training.RunSplits.of(folder.config(), all).test()[0];
    }

    /** A real 256 × 256 Si(111) scan, block-averaged to the model's width: shows the real-format path. */
    private void streamRealScan(Path model) {
        var o = spec.commandLine().getOut();
        o.printf("%n== 6/6 stream a real Nanonis .sxm scan%n");
        Optional<Path> sxm = findSharedSxm();
        if (sxm.isEmpty()) {
            o.println("skipped: no ../shared/data/sxm/*.sxm beside this checkout");
            return;
        }
        SxmScan scan = SxmScan.read(sxm.get());
        float[][] z = scan.trace("Z", TraceDirection.FORWARD);
        try (ScanLineClassifier classifier = ScanLineClassifier.open(model);
                LineStream stream = classifier.newStream()) {
            int width = classifier.pixels();
            int factor = Math.max(1, scan.pixels() / width);
            int lines = Math.min(classifier.info().maxLines(), z.length / factor);
            o.printf("%s: %d × %d px, %s, block-averaged %d× to %d px per line. It is Si(111)-7×7, not the "
                    + "H:Si(100) the model knows: this shows the path, not a meaningful class.%n",
                    sxm.get().getFileName(), scan.lines(), scan.pixels(), scan.scanDirection(), factor, width);
            long[] nanos = new long[lines];
            Prediction p = null;
            for (int l = 0; l < lines; l++) {
                float[] line = blockAverage(z, l * factor, factor, width);
                long t0 = System.nanoTime();
                p = stream.push(line);
                nanos[l] = System.nanoTime() - t0;
                if (l % 8 == 7 || l == lines - 1) {
                    o.printf("  line %3d  %-20s p=%.2f%s  %.3f ms%n", l + 1, p.className(), p.confidence(),
                            p.uncertain() ? " (uncertain)" : "", nanos[l] / 1e6);
                }
            }
            Arrays.sort(nanos);
            o.printf("per-line latency: p50 %.3f ms, p99 %.3f ms over %d lines%n", nanos[lines / 2] / 1e6,
                    nanos[Math.min(lines - 1, (int) Math.ceil(lines * 0.99) - 1)] / 1e6, lines);
        }
    }

    private static float[] blockAverage(float[][] z, int firstLine, int factor, int width) {
        float[] out = new float[width];
        for (int dy = 0; dy < factor; dy++) {
            float[] row = z[firstLine + dy];
            for (int x = 0; x < width; x++) {
                for (int dx = 0; dx < factor; dx++) {
                    out[x] += row[x * factor + dx];
                }
            }
        }
        for (int x = 0; x < width; x++) {
            out[x] /= factor * factor;
        }
        return out;
    }

    private static Optional<Path> findSharedSxm() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path dir = p.resolveSibling("shared").resolve("data/sxm");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    return s.filter(f -> f.toString().endsWith(".sxm")).sorted().findFirst();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return Optional.empty();
    }
}
