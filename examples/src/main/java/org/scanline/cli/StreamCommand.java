package org.scanline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scanline.BadDataException;
import org.scanline.LineResampler;
import org.scanline.LineStream;
import org.scanline.Prediction;
import org.scanline.Sampling;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanStream;
import java.util.Optional;
import org.scanline.dataset.Datasets;
import org.scanline.dataset.ScanArrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code scanline stream model.onnx FILE [--scan i]}: feeds one scan line by line, as acquisition
 * would, through a {@link ScanStream}, printing the prediction, its reasons and the latency after every
 * line: at the file's physical sampling when it gives it, else resampled by pixel count
 * ({@link LineResampler}); a partial scan streams its acquired lines; a long one to its last line.
 */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Stream one scan line by line through a model, with per-line predictions and latency.",
            "Lines are brought to the model's physical sampling when the file gives its frame size and the model "
                + "knows its own, else resampled by pixel count; a partially acquired scan streams its acquired lines, "
                + "a long one to its last line. Each is said in the output."})
final class StreamCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx model.")
    Path model;

    @Parameters(index = "1", paramLabel = "FILE", description = "A scan or dataset file (NPZ/NPY/MAT/SXM).")
    Path file;

    @Option(names = "--scan", defaultValue = "0", paramLabel = "I",
            description = "Which scan of the file, from 0 (default: ${DEFAULT-VALUE}).")
    int scan;

    @Mixin
    ClassifierFlags flags;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int limit = flags.lineLimit();
        ScanArrays a = Datasets.load(file, flags.trace.readOptions());
        if (scan < 0 || scan >= a.count()) {
            throw new BadDataException(file + ": scan " + scan + " does not exist (the file has " + a.count() + ")");
        }
        try (ScanLineClassifier c = ScanLineClassifier.open(model, flags.options())) {
            stream(c, file, a, scan, limit, flags.threshold, Rows.FULL,
                    new PrintWriter(System.out, true));
        }
        return 0;
    }

    /** How a streamed line is printed: one row per line in both. */
    enum Rows {
        /** Class, confidence, tip state, latency and every class probability ({@code stream}). */
        FULL,
        /** Class, confidence and tip state, with a tip change on the same row ({@code demo}: short enough to read as it scrolls). */
        COMPACT
    }

    /**
     * Streams scan {@code index} of {@code a} and prints the prediction after every line; shared with
     * {@code demo}.
     *
     * @return the last prediction
     */
    static Prediction stream(ScanLineClassifier c, Path file, ScanArrays a, int index, int limit, double threshold,
            Rows rows, PrintWriter out) {
        List<Prediction> all = streamAll(c, file, a, index, limit, threshold, rows, out);
        return all.get(all.size() - 1);
    }

    /** As {@link #stream}, returning the prediction after every streamed line. */
    static List<Prediction> streamAll(ScanLineClassifier c, Path file, ScanArrays a, int index, int limit,
            double threshold, Rows rows, PrintWriter out) {
        return streamAll(c, file, a, index, limit, threshold, rows, out, (line, p, nanos) -> {
        });
    }

    /** Told of every line streamed, after it is printed: the demo's browser view. */
    interface LineHook {
        /**
         * @param line the line index
         * @param p the prediction after it
         * @param nanos what the push took; −1 for a line that only fed the next model line
         */
        void line(int line, Prediction p, long nanos);
    }

    static List<Prediction> streamAll(ScanLineClassifier c, Path file, ScanArrays a, int index, int limit,
            double threshold, Rows rows, PrintWriter out, LineHook hook) {
        List<Prediction> all = new java.util.ArrayList<>();
        float[][] s = ScanFiles.lines(a, index);
        int acquired = ScanLineClassifier.acquiredLines(s);
        if (acquired == 0) {
            throw new BadDataException(file + ": scan " + index + " has no complete line yet (line 0 holds NaN pixels)");
        }
        int max = c.info().maxLines();
        int use = Math.min(acquired, limit);
        Sampling sampling = ScanFiles.samplings(file, a)[index];
        if (sampling == null && c.info().sampling().isPresent()) {
            out.println(ScanFiles.unknownSamplingNote(file));
        }
        if ((sampling == null || c.info().sampling().isEmpty()) && a.pixels() != c.pixels()) {
            out.println(ScanFiles.resampledNote(file, a.pixels(), c.pixels()));
        } else if (sampling != null) {
            out.printf(Locale.ROOT, "%s: %s, brought to the model's sampling (%s)%n", file, sampling,
                    c.info().sampling().get().toJson());
        }
        if (acquired < a.lines()) {
            out.printf(Locale.ROOT, "%s: %d of %d lines acquired (the rest hold NaN): streaming the acquired lines%n",
                    file, acquired, a.lines());
        }
        long[] micros = new long[use];
        Prediction p = null;
        int pending = 0;
        if (rows == Rows.FULL) {
            out.printf("%5s %-20s %6s %-9s %-20s %9s  %s%n", "line", "predicted", "p", "why", "tip state (line)", "µs",
                    "probabilities");
        } else {
            out.printf("%5s  %-18s %-5s  %-18s %s%n", "line", "class so far", "p", "tip state of line", "p");
        }
        try (ScanStream stream = sampling == null ? c.newStream(a.pixels()) : c.newStream(sampling, a.pixels())) {
            for (int l = 0; l < use; l++) {
                long t0 = System.nanoTime();
                Optional<Prediction> next;
                int skipped = stream.linesSkipped();
                try {
                    next = stream.push(s[l]);
                } catch (BadDataException e) {
                    throw new BadDataException(file + ": " + e.getMessage(), e);
                }
                long nanos = System.nanoTime() - t0;
                micros[l] = nanos / 1000;
                if (next.isEmpty()) {
                    pending++;
                    out.printf(Locale.ROOT, "%5d  %s%n", l, stream.linesSkipped() > skipped
                            ? "(skipped: too many NaN or infinite pixels)" : "(averaged into the next model line)");
                    continue;
                }
                p = next.get();
                // the lines that only fed this model line are drawn with its prediction
                for (; pending > 0; pending--) {
                    all.add(p);
                    hook.line(l - pending, p, -1);
                }
                all.add(p);
                if (rows == Rows.FULL) {
                    out.printf(Locale.ROOT, "%5d %-20s %6.3f %-9s %-20s %9d  %s%n", l, p.className(), p.confidence(),
                            ClassifyCommand.reasons(p),
                            p.lineState().map(st -> String.format(Locale.ROOT, "%s %.2f", st.name(), st.confidence()))
                                    .orElse("-"), micros[l], format(p.probabilities()));
                    p.tipChange().ifPresent(e -> out.printf(Locale.ROOT, "      tip change: %s -> %s from model line %d "
                            + "(reported after model line %d, p %.2f)%n", e.from(), e.to(), e.line(), e.detectedAt(),
                            e.confidence()));
                } else {
                    out.println(compactRow(l, p));
                }
                hook.line(l, p, nanos);
            }
            if (p == null) {
                throw new BadDataException(file + ": scan " + index + ": none of its " + use + " lines gave a model line ("
                        + stream.linesSkipped() + " skipped)");
            }
            if (stream.pixelsRepaired() > 0 || stream.linesSkipped() > 0) {
                out.printf(Locale.ROOT, "%d NaN or infinite pixel(s) repaired, %d line(s) skipped%n",
                        stream.pixelsRepaired(), stream.linesSkipped());
            }
        }
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        out.printf(Locale.ROOT, "latency per line: p50 %d µs, p99 %d µs, max %d µs (first line includes warm-up)%n",
                sorted[use / 2], sorted[Math.min(use - 1, (int) Math.ceil(use * 0.99) - 1)], sorted[use - 1]);
        if (p.linesSeen() < all.size() && use > max) {
            out.printf(Locale.ROOT, "followed past the model's %d lines: each prediction from the latest %d to %d lines%n",
                    max, max / 2, max);
        }
        out.println(ScanReading.finalPrediction(all));
        out.println(ScanReading.confidence(all, threshold));
        if (a.labels() != null) {
            out.println(ScanReading.truth(all, a.classNames().get(a.labels()[index]), "the file's label"));
        }
        out.flush();
        return all;
    }

    /**
     * One short row: line, class so far and its probability ({@code ?} when uncertain), the line's tip
     * state and, when this line confirmed one, the tip change.
     */
    static String compactRow(int line, Prediction p) {
        String state = p.lineState().map(st -> String.format(Locale.ROOT, "%-18s %.2f", st.name(), st.confidence()))
                .orElse("-");
        String change = p.tipChange().map(e -> String.format(Locale.ROOT, "  << tip change %s -> %s from line %d (p %.2f)",
                e.from(), e.to(), e.line(), e.confidence())).orElse("");
        return String.format(Locale.ROOT, "%5d  %-18s %.2f%s  %s%s", line, p.className(), p.confidence(),
                p.uncertain() ? "?" : " ", state, change).stripTrailing();
    }

    private static String format(float[] p) {
        StringBuilder b = new StringBuilder();
        for (float v : p) {
            b.append(String.format(Locale.ROOT, "%.3f ", v));
        }
        return b.toString().trim();
    }
}
