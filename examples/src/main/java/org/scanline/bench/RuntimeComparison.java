package org.scanline.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.LineStream;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanLineClassifier.Options;
import org.scanline.export.GraphStyle;

/**
 * Several exports of the same reference weights, each opened with its own {@link Options}, timed
 * in one process and interleaved: every round streams one 128-line scan and classifies it once
 * through each variant in turn, so a change in the machine's load hits all of them alike and their
 * ratio stays meaningful on a busy machine. Reports wall-clock p50/p99 per pushed line and per full
 * scan, and the calling thread's CPU time per line (all of a push's work when it runs on 1 thread).
 *
 * <pre>{@code
 * List<Report> r = RuntimeComparison.run(RuntimeComparison.standardVariants(false), 3, 20);
 * }</pre>
 */
public final class RuntimeComparison {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private RuntimeComparison() {
    }

    /**
     * One way of running the model.
     *
     * @param label how the table names it
     * @param style the exported graph
     * @param int8 int8 weights
     * @param options how the classifier is opened
     * @param file a model file to time instead of the reference weights exported in {@code style}
     *        (then {@code style} and {@code int8} are ignored); null for the reference weights
     */
    public record Variant(String label, GraphStyle style, boolean int8, Options options, Path file) {
        /** A variant of the reference weights. */
        public Variant(String label, GraphStyle style, boolean int8, Options options) {
            this(label, style, int8, options, null);
        }

        /**
         * @param file a model file of any size
         * @param options how it is opened
         * @return the file as a variant, labelled with its name
         */
        public static Variant ofFile(Path file, Options options) {
            return new Variant(file.toString(), GraphStyle.FIXED_CACHE, false, options, file);
        }
    }

    /**
     * Timings of one variant.
     *
     * @param variant what was timed
     * @param streamNanos wall time of every timed push
     * @param streamCpuNanos the calling thread's CPU time of every timed push
     * @param fullScanNanos wall time of every timed full-scan call
     */
    public record Report(Variant variant, long[] streamNanos, long[] streamCpuNanos, long[] fullScanNanos) {
        /** @param q quantile in [0, 1] @return that quantile of the push wall times, in ms */
        public double streamMs(double q) {
            return quantile(streamNanos, q) / 1e6;
        }

        /** @param q quantile in [0, 1] @return that quantile of the push CPU times, in ms */
        public double streamCpuMs(double q) {
            return quantile(streamCpuNanos, q) / 1e6;
        }

        /** @param q quantile in [0, 1] @return that quantile of the full-scan wall times, in ms */
        public double fullScanMs(double q) {
            return quantile(fullScanNanos, q) / 1e6;
        }
    }

    /**
     * ONNX Runtime's own defaults as a user of the plain graph gets them: one intra-op thread per core,
     * spinning on.
     *
     * @return those options
     */
    public static Options onnxRuntimeDefaults() {
        return Options.builder().intraOpThreads(Runtime.getRuntime().availableProcessors()).spinning(true).build();
    }

    /**
     * @param int8 int8 weights
     * @return the plain graph at ONNX Runtime's defaults, then the format-2 and format-3 files at the
     *         default {@link Options}
     */
    public static List<Variant> standardVariants(boolean int8) {
        String w = int8 ? "int8" : "fp32";
        return List.of(
                new Variant("plain graph, ONNX Runtime defaults, " + w, GraphStyle.PLAIN, int8, onnxRuntimeDefaults()),
                new Variant("format 2, default Options, " + w, GraphStyle.GROWING_CACHE, int8, Options.defaults()),
                new Variant("format 3, default Options, " + w, GraphStyle.FIXED_CACHE, int8, Options.defaults()));
    }

    /**
     * Times every variant, interleaved.
     *
     * @param variants what to compare; the first is the baseline of the ratios
     * @param warmupRounds untimed rounds
     * @param rounds timed rounds (each: one 128-line stream and one full scan per variant)
     * @return one report per variant, in order
     */
    public static List<Report> run(List<Variant> variants, int warmupRounds, int rounds) {
        Map<String, Path> files = new LinkedHashMap<>();
        List<ScanLineClassifier> classifiers = new ArrayList<>();
        List<LineStream> streams = new ArrayList<>();
        List<float[][]> scans = new ArrayList<>();
        int lines = ReferenceModel.LINES;
        long[][] wall = new long[variants.size()][rounds * lines];
        long[][] cpu = new long[variants.size()][rounds * lines];
        long[][] full = new long[variants.size()][rounds];
        try {
            for (Variant v : variants) {
                Path f = v.file() != null ? v.file() : files.computeIfAbsent(v.style() + "/" + v.int8(),
                        k -> ReferenceModel.write(Architecture.CAUSAL, v.int8(), v.style()));
                ScanLineClassifier c = ScanLineClassifier.open(f, v.options());
                classifiers.add(c);
                streams.add(c.newStream());
                if (c.info().maxLines() < lines) {
                    throw new BadConfigException(f + " streams at most " + c.info().maxLines() + " lines; the comparison "
                            + "streams " + lines);
                }
                scans.add(ReferenceModel.scan(1, c.info().pixels()));
            }
            for (int round = -warmupRounds; round < rounds; round++) {
                for (int i = 0; i < variants.size(); i++) {
                    LineStream s = streams.get(i);
                    s.reset();
                    for (int l = 0; l < lines; l++) {
                        long c0 = THREADS.getCurrentThreadCpuTime();
                        long t0 = System.nanoTime();
                        s.push(scans.get(i)[l]);
                        long t1 = System.nanoTime();
                        long c1 = THREADS.getCurrentThreadCpuTime();
                        if (round >= 0) {
                            wall[i][round * lines + l] = t1 - t0;
                            cpu[i][round * lines + l] = c1 - c0;
                        }
                    }
                    long t0 = System.nanoTime();
                    classifiers.get(i).classify(scans.get(i));
                    if (round >= 0) {
                        full[i][round] = System.nanoTime() - t0;
                    }
                }
            }
        } finally {
            streams.forEach(LineStream::close);
            classifiers.forEach(ScanLineClassifier::close);
        }
        List<Report> out = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            out.add(new Report(variants.get(i), wall[i], cpu[i], full[i]));
        }
        return out;
    }

    /**
     * @param reports from {@link #run}; the first is the baseline
     * @return a Markdown table with every variant and its speed-up over the baseline (baseline p50 / its p50)
     */
    public static String table(List<Report> reports) {
        StringBuilder b = new StringBuilder();
        b.append("| variant | push p50 ms | push p99 ms | push CPU p50 ms | full scan p50 ms | push speed-up | "
                + "full-scan speed-up |\n|---|---|---|---|---|---|---|\n");
        Report base = reports.get(0);
        for (Report r : reports) {
            b.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.2f | %.2f× | %.2f× |%n",
                    r.variant().label(), r.streamMs(0.5), r.streamMs(0.99), r.streamCpuMs(0.5), r.fullScanMs(0.5),
                    base.streamMs(0.5) / r.streamMs(0.5), base.fullScanMs(0.5) / r.fullScanMs(0.5)));
        }
        return b.toString();
    }

    static double quantile(long[] values, double q) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i];
    }
}
