package org.scanline.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.scanline.Architecture;
import org.scanline.LineStream;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanLineClassifier.Options;
import org.scanline.export.GraphStyle;

/**
 * The runtime's costs on the reference causal model. {@code streamLine} is one {@link LineStream#push}
 * (the stream restarts after line 128, so samples cover every position of a scan evenly);
 * {@code prefixRecompute} is the naive alternative, classifying lines 0..i again for line i.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RuntimeBenchmark {
    /** ONNX Runtime intra-op threads for both workloads; 0 lets scanline choose per workload. */
    @Param({"0"})
    public int threads;
    /** The exported graph: {@code FIXED_CACHE} (format 3), {@code GROWING_CACHE} (format 2) or {@code PLAIN}. */
    @Param({"FIXED_CACHE"})
    public String graph;
    /** Whether idle ONNX Runtime threads spin. */
    @Param({"false"})
    public boolean spinning;
    /** Graph optimisation level. */
    @Param({"ALL"})
    public String optimization;
    /** ONNX Runtime memory-pattern planning. */
    @Param({"true"})
    public boolean memoryPattern;
    /** Export the transformer's matrices as int8. */
    @Param({"false"})
    public boolean int8;

    private ScanLineClassifier classifier;
    private LineStream stream;
    private float[][] scan;
    private List<float[][]> batch;
    private int line;
    private int prefix;

    /** Exports the model and opens it with the parameters' settings. */
    @Setup(Level.Trial)
    public void open() {
        Path model = ReferenceModel.write(Architecture.CAUSAL, int8, GraphStyle.valueOf(graph));
        classifier = ScanLineClassifier.open(model, Options.builder().intraOpThreads(threads).spinning(spinning)
                .optimization(Options.Optimization.valueOf(optimization)).memoryPattern(memoryPattern).build());
        stream = classifier.newStream();
        scan = ReferenceModel.scan(1);
        batch = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            batch.add(ReferenceModel.scan(100 + i));
        }
    }

    /** Releases the stream and the session. */
    @TearDown(Level.Trial)
    public void close() {
        stream.close();
        classifier.close();
    }

    /** @return the prediction after the next line of the scan */
    @Benchmark
    public Prediction streamLine() {
        if (line == ReferenceModel.LINES) {
            stream.reset();
            line = 0;
        }
        return stream.push(scan[line++]);
    }

    /** @return the prediction for a whole 128-line scan, batch 1 */
    @Benchmark
    public Prediction fullScan() {
        return classifier.classify(scan);
    }

    /** @return predictions for 32 full scans in one call */
    @Benchmark
    public List<Prediction> batch32() {
        return classifier.classifyBatch(batch);
    }

    /** @return the prediction after line i computed from scratch over lines 0..i */
    @Benchmark
    public Prediction prefixRecompute() {
        prefix = prefix % ReferenceModel.LINES + 1;
        return classifier.classify(Arrays.copyOf(scan, prefix));
    }
}
