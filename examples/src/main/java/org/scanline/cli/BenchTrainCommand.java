package org.scanline.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scanline.Architecture;
import org.scanline.train.TrainingConfig;
import org.scanline.backend.MallocSettings;
import org.scanline.backend.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scanline bench-train}: training samples/s and model FLOP utilisation of each architecture. */
@Command(name = "bench-train", mixinStandardHelpOptions = true,
        description = "Training throughput (samples/s) and model FLOP utilisation at the reference size, printed as a Markdown table.")
public final class BenchTrainCommand implements Callable<Integer> {
    @Option(names = "--arch", split = ",", description = "Architectures (default vit,causal,lrcn).")
    List<Architecture> archs = List.of(Architecture.VIT, Architecture.CAUSAL, Architecture.LRCN);
    @Option(names = "--batch", description = "Samples per step (default ${DEFAULT-VALUE}).") int batch = 8;
    @Option(names = "--steps", description = "Timed steps (default ${DEFAULT-VALUE}).") int steps = 3;
    @Option(names = "--lines", description = "Lines per sample (default ${DEFAULT-VALUE}).") int lines = 128;
    @Option(names = "--pixels", description = "Pixels per line (default ${DEFAULT-VALUE}).") int pixels = 128;
    @Option(names = "--threads", description = "Intra-op threads, 0 for the engine's (default: ${DEFAULT-VALUE}).") int threads = 0;
    @Option(names = "--device", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).") String device = "auto";

    @Override
    public Integer call() {
        System.setProperty("ai.djl.offline", "true");
        TrainingConfig base = TrainingConfig.builder().maxLines(lines).threads(threads).device(device).build();
        // The peak is timed again before every architecture and after the last: a single early timing
        // catches the JIT compiler's threads on the same cores and flatters the utilisation.
        double peak = 0;
        List<TrainingBenchmark.Result> results = new ArrayList<>();
        for (Architecture a : archs) {
            peak = Math.max(peak, TrainingBenchmark.matmulPeak(1024, 10));
            results.add(TrainingBenchmark.measure(base.toBuilder().architecture(a).build(), pixels, 4, batch, steps));
        }
        peak = Math.max(peak, TrainingBenchmark.matmulPeak(1024, 10));
        System.out.printf(Locale.ROOT, "matmul peak (1024², float32, best before and after every architecture): %.1f GFLOP/s%n", peak / 1e9);
        System.out.println("allocator: " + MallocSettings.describe(System.getenv()));
        System.out.println();
        System.out.println("| arch | batch × lines | s/step | samples/s | fwd GFLOP/sample | model GFLOP/s (3× fwd) | MFU |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (TrainingBenchmark.Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %d × %d | %.3f | %.2f | %.3f | %.1f | %.1f %% |%n", r.architecture(), r.batch(),
                    r.lines(), r.secondsPerStep(), r.samplesPerSecond(), r.forwardFlopsPerSample() / 1e9,
                    r.flopsPerSecond() / 1e9, 100 * r.flopsPerSecond() / peak);
        }
        return 0;
    }
}
