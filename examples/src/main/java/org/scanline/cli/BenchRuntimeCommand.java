package org.scanline.cli;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.scanline.bench.RuntimeBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scanline bench-runtime}: runs the JMH runtime benchmarks and prints p50/p99 per benchmark
 * and setting, the numbers of docs/benchmarks.md ("Runtime").
 */
@Command(name = "bench-runtime", mixinStandardHelpOptions = true,
        description = "JMH benchmarks of streaming, full-scan and batch inference on the reference causal model.")
final class BenchRuntimeCommand implements Callable<Integer> {
    @Option(names = "--benchmarks", description = "Regex of benchmark methods (default: ${DEFAULT-VALUE}).")
    String benchmarks = "streamLine|fullScan|batch32|prefixRecompute";

    @Option(names = "--threads", split = ",", description = "Intra-op thread counts (default: ${DEFAULT-VALUE}).")
    String[] threads = {"2"};

    @Option(names = "--spinning", split = ",", description = "Spinning on/off (default: ${DEFAULT-VALUE}).")
    String[] spinning = {"false"};

    @Option(names = "--optimization", split = ",", description = "NONE, BASIC, EXTENDED, ALL (default: ${DEFAULT-VALUE}).")
    String[] optimization = {"ALL"};

    @Option(names = "--memory-pattern", split = ",", description = "Memory pattern on/off (default: ${DEFAULT-VALUE}).")
    String[] memoryPattern = {"true"};

    @Option(names = "--int8", split = ",", description = "int8 weights false/true (default: ${DEFAULT-VALUE}).")
    String[] int8 = {"false"};

    @Option(names = "--seconds", description = "Measurement seconds per iteration (default: ${DEFAULT-VALUE}).")
    int seconds = 3;

    @Option(names = "--iterations", description = "Measurement iterations (default: ${DEFAULT-VALUE}).")
    int iterations = 3;

    @Option(names = "--gc", description = "Add JMH's GC profiler: bytes allocated per operation (default: ${DEFAULT-VALUE}).")
    boolean gc;

    @Override
    public Integer call() throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(RuntimeBenchmark.class.getName() + "\\.(" + benchmarks + ")$")
                .param("threads", threads).param("spinning", spinning).param("optimization", optimization)
                .param("int8", int8).param("memoryPattern", memoryPattern)
                .forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(2))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds))
                .jvmArgsAppend("-Xmx2g", "-Dai.djl.offline=true");
        if (gc) {
            o.addProfiler(org.openjdk.jmh.profile.GCProfiler.class);
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        System.out.println();
        System.out.println("| benchmark | threads | spinning | optimisation | memory pattern | int8 | p50 ms | p99 ms | mean ms |"
                + (gc ? " allocated |" : ""));
        System.out.println("|---|---|---|---|---|---|---|---|---|" + (gc ? "---|" : ""));
        java.util.Set<String> rows = new java.util.LinkedHashSet<>();
        for (RunResult r : results) {
            Result<?> primary = r.getPrimaryResult();
            var stats = primary.getStatistics();
            var p = r.getParams();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.3f | %.3f | %.3f |%s",
                    p.getBenchmark().replaceAll(".*\\.", ""), p.getParam("threads"), p.getParam("spinning"),
                    p.getParam("optimization"), p.getParam("memoryPattern"), p.getParam("int8"), stats.getPercentile(50) / 1000,
                    stats.getPercentile(99) / 1000, stats.getMean() / 1000,
                    alloc == null ? "" : String.format(Locale.ROOT, " %.0f B/op |", alloc.getScore())));
        }
        rows.forEach(System.out::println);
        return 0;
    }
}
