package org.scanline.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.scanline.Architecture;
import org.scanline.LineStream;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanLineClassifier.Options;
import org.scanline.ScanLineClassifier.Options.Workload;
import org.scanline.ScanlineException;
import org.scanline.backend.TrainingBenchmark;
import org.scanline.export.OnnxExporter;
import org.scanline.model.ModelSpec;

/**
 * How close the reference model runs to this machine's floor: the format-3 file at the default
 * {@link Options} against a graph of its weight products alone ({@link OnnxExporter#productsOnly}),
 * run on ONNX Runtime sessions with the same threads per workload, timed interleaved in one process.
 * A line's products read every weight once, so their time is the floor a line cannot beat with these
 * operators on this machine; the rest of the line (attention over the cache, norms, GELU, the line
 * tokenizer, per-node dispatch) is what the graph's design can still change.
 *
 * <pre>{@code
 * List<Row> rows = RuntimeFloor.run(3, 20);
 * System.out.print(RuntimeFloor.table(rows));
 * }</pre>
 */
public final class RuntimeFloor {
    private RuntimeFloor() {
    }

    /**
     * One weight type's timings.
     *
     * @param int8 int8 weights
     * @param line wall time of every pushed line of the whole model
     * @param lineProducts wall time of every run of the products alone on one line
     * @param scan wall time of every full scan of the whole model
     * @param scanProducts wall time of every run of the products alone on 128 lines
     * @param scanFlops the whole model's forward FLOPs per 128-line scan (multiply-add = 2)
     */
    public record Row(boolean int8, long[] line, long[] lineProducts, long[] scan, long[] scanProducts, double scanFlops) {
        /** @return p50 of a whole line, ms */
        public double lineMs() {
            return RuntimeComparison.quantile(line, 0.5) / 1e6;
        }

        /** @return p50 of a line's products alone, ms */
        public double lineProductsMs() {
            return RuntimeComparison.quantile(lineProducts, 0.5) / 1e6;
        }

        /** @return p50 of a whole full scan, ms */
        public double scanMs() {
            return RuntimeComparison.quantile(scan, 0.5) / 1e6;
        }

        /** @return p50 of a full scan's products alone, ms */
        public double scanProductsMs() {
            return RuntimeComparison.quantile(scanProducts, 0.5) / 1e6;
        }
    }

    /**
     * Times fp32 and int8, interleaved: every round streams 128 lines through the model, then 128
     * single lines through its products, then one full scan of each, for both weight types in turn.
     *
     * @param warmupRounds untimed rounds
     * @param rounds timed rounds
     * @return the fp32 row, then the int8 row
     */
    public static List<Row> run(int warmupRounds, int rounds) {
        int lines = ReferenceModel.LINES;
        ModelSpec spec = ModelSpec.of(ReferenceModel.config(Architecture.CAUSAL), ReferenceModel.PIXELS,
                ReferenceModel.CLASSES.size());
        int d = spec.dModel();
        int cores = Runtime.getRuntime().availableProcessors();
        Options options = Options.defaults();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] scan = ReferenceModel.scan(1);
        boolean[] types = {false, true};
        long[][][] t = new long[types.length][4][];
        List<AutoCloseable> open = new ArrayList<>();
        try {
            List<ScanLineClassifier> classifiers = new ArrayList<>();
            List<LineStream> streams = new ArrayList<>();
            List<OrtSession> lineSessions = new ArrayList<>();
            List<OrtSession> scanSessions = new ArrayList<>();
            FloatBuffer lineBuf = floats(d);
            FloatBuffer scanBuf = floats(lines * d);
            for (int i = 0; i < lines * d; i++) {
                scanBuf.put(i, (float) Math.sin(i * 0.01));
            }
            OnnxTensor lineX = track(open, OnnxTensor.createTensor(env, lineBuf, new long[] {1, 1, d}));
            OnnxTensor scanX = track(open, OnnxTensor.createTensor(env, scanBuf, new long[] {1, lines, d}));
            OnnxTensor lineY = track(open, OnnxTensor.createTensor(env, floats(d), new long[] {1, 1, d}));
            OnnxTensor scanY = track(open, OnnxTensor.createTensor(env, floats(lines * d), new long[] {1, lines, d}));
            for (boolean int8 : types) {
                ScanLineClassifier c = track(open, ScanLineClassifier.open(ReferenceModel.write(Architecture.CAUSAL, int8), options));
                classifiers.add(c);
                streams.add(track(open, c.newStream()));
                byte[] products = OnnxExporter.productsOnly(spec, ReferenceModel.weights(Architecture.CAUSAL), int8);
                lineSessions.add(track(open, session(env, products, options.resolvedIntraOpThreads(Workload.STREAMING, cores),
                        options.spinning(Workload.STREAMING))));
                scanSessions.add(track(open, session(env, products, options.resolvedIntraOpThreads(Workload.BATCH, cores),
                        options.spinning(Workload.BATCH))));
            }
            for (long[][] perType : t) {
                perType[0] = new long[rounds * lines];
                perType[1] = new long[rounds * lines];
                perType[2] = new long[rounds];
                perType[3] = new long[rounds];
            }
            for (int round = -warmupRounds; round < rounds; round++) {
                for (int w = 0; w < types.length; w++) {
                    LineStream s = streams.get(w);
                    s.reset();
                    // A scan through the model, then one through its products: interleaving line by line
                    // would make the two sets of weights evict each other from the cache at every line.
                    for (int l = 0; l < lines; l++) {
                        long t0 = System.nanoTime();
                        s.push(scan[l]);
                        if (round >= 0) {
                            t[w][0][round * lines + l] = System.nanoTime() - t0;
                        }
                    }
                    for (int l = 0; l < lines; l++) {
                        lineBuf.put(0, scanBuf.get(l * d));
                        long t0 = System.nanoTime();
                        runOnce(lineSessions.get(w), lineX, lineY);
                        if (round >= 0) {
                            t[w][1][round * lines + l] = System.nanoTime() - t0;
                        }
                    }
                    long t0 = System.nanoTime();
                    classifiers.get(w).classify(scan);
                    long t1 = System.nanoTime();
                    runOnce(scanSessions.get(w), scanX, scanY);
                    long t2 = System.nanoTime();
                    if (round >= 0) {
                        t[w][2][round] = t1 - t0;
                        t[w][3][round] = t2 - t1;
                    }
                }
            }
        } catch (OrtException e) {
            throw new ScanlineException("ONNX Runtime failed on the products-only graph: " + e.getMessage(), e);
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        double flops = TrainingBenchmark.forwardFlops(ReferenceModel.config(Architecture.CAUSAL), ReferenceModel.PIXELS,
                ReferenceModel.CLASSES.size(), lines);
        List<Row> rows = new ArrayList<>();
        for (int w = 0; w < types.length; w++) {
            rows.add(new Row(types[w], t[w][0], t[w][1], t[w][2], t[w][3], flops));
        }
        return rows;
    }

    /**
     * @param rows from {@link #run}
     * @return a Markdown table: whole model against its products, per line and per full scan
     */
    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder("| weights | line p50 ms | its products alone | products' share | "
                + "full scan p50 ms | its products alone | products' share | whole model GFLOP/s (full scan) |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.0f %% | %.2f | %.2f | %.0f %% | %.1f |%n",
                    r.int8() ? "int8" : "fp32", r.lineMs(), r.lineProductsMs(), 100 * r.lineProductsMs() / r.lineMs(),
                    r.scanMs(), r.scanProductsMs(), 100 * r.scanProductsMs() / r.scanMs(), r.scanFlops() / r.scanMs() / 1e6));
        }
        return b.toString();
    }

    private static OrtSession session(OrtEnvironment env, byte[] model, int threads, boolean spinning) throws OrtException {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setIntraOpNumThreads(threads);
            so.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            return env.createSession(model, so);
        }
    }

    /** One run into a pinned output, as a stream's outputs are pinned: nothing is allocated per call. */
    private static void runOnce(OrtSession s, OnnxTensor x, OnnxTensor y) throws OrtException {
        s.run(Map.of("x", x), Set.of(), Map.of("y", y)).close();
    }

    private static FloatBuffer floats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> open, T value) {
        open.add(value);
        return value;
    }
}
