package org.scanline.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scanline.BadDataException;
import org.scanline.LineStream;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;
import org.scanline.dataset.Datasets;
import org.scanline.dataset.ScanArrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scanline stream model.onnx FILE [--scan i]}: feeds one scan line by line, as acquisition
 * would, printing the prediction and the latency after every line.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Stream one scan line by line through a model, with per-line predictions and latency.")
final class StreamCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx model.")
    Path model;

    @Parameters(index = "1", paramLabel = "FILE", description = "A scan file (NPZ/NPY/MAT/SXM).")
    Path file;

    @Option(names = "--scan", description = "Which scan of the file (default: ${DEFAULT-VALUE}).")
    int scan;

    @Option(names = "--threshold", description = "Confidence below which a prediction is uncertain (default: ${DEFAULT-VALUE}).")
    double threshold = 0.6;

    @Override
    public Integer call() {
        ScanArrays a = Datasets.load(file);
        if (scan < 0 || scan >= a.count()) {
            throw new BadDataException(file + ": scan " + scan + " does not exist (the file has " + a.count() + ")");
        }
        try (ScanLineClassifier c = ScanLineClassifier.open(model,
                ScanLineClassifier.Options.builder().confidenceThreshold(threshold).build());
             LineStream stream = c.newStream()) {
            int lines = Math.min(a.lines(), c.info().maxLines());
            float[][] s = ClassifyCommand.scan(a, scan, lines);
            long[] micros = new long[lines];
            int firstConfident = -1;
            System.out.printf("%5s %-24s %6s %-9s %9s  %s%n", "line", "predicted", "p", "", "µs", "probabilities");
            for (int l = 0; l < lines; l++) {
                long t0 = System.nanoTime();
                Prediction p;
                try {
                    p = stream.push(s[l]);
                } catch (BadDataException e) {
                    throw new BadDataException(file + ": " + e.getMessage(), e);
                }
                micros[l] = (System.nanoTime() - t0) / 1000;
                if (firstConfident < 0 && !p.uncertain()) {
                    firstConfident = l;
                }
                System.out.printf(Locale.ROOT, "%5d %-24s %6.3f %-9s %9d  %s%n", l, p.className(), p.confidence(),
                        p.uncertain() ? "uncertain" : "", micros[l], format(p.probabilities()));
            }
            long[] sorted = micros.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "latency per line: p50 %d µs, p99 %d µs, max %d µs (first line includes warm-up)%n",
                    sorted[lines / 2], sorted[Math.min(lines - 1, (int) Math.ceil(lines * 0.99) - 1)], sorted[lines - 1]);
            System.out.println(firstConfident < 0 ? "never confident (threshold " + threshold + ")"
                    : "first confident prediction after line " + firstConfident);
            if (a.labels() != null) {
                System.out.println("label: " + a.classNames().get(a.labels()[scan]));
            }
        }
        return 0;
    }

    private static String format(float[] p) {
        StringBuilder b = new StringBuilder();
        for (float v : p) {
            b.append(String.format(Locale.ROOT, "%.3f ", v));
        }
        return b.toString().trim();
    }
}
