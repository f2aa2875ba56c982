package org.scanline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.scanline.BadConfigException;
import org.scanline.ScanLineClassifier.Options;
import org.scanline.bench.RuntimeBenchmark;
import org.scanline.bench.RuntimeComparison;
import org.scanline.bench.RuntimeComparison.Variant;
import org.scanline.bench.RuntimeFloor;
import org.scanline.export.GraphStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scanline bench-runtime}: by default exports the reference weights as the plain graph, as
 * model format 2 and as format 3, times them interleaved in one process and prints each with its
 * speed-up over the plain graph at ONNX Runtime's defaults ({@link RuntimeComparison}). With
 * {@code --settings} it compares thread and spinning settings of the format-3 file instead; with
 * {@code --jmh} it runs the JMH benchmarks of docs/benchmarks.md ("Runtime"); with {@code --floor} it times
 * the model against its weight products alone ({@link RuntimeFloor}).
 */
@Command(name = "bench-runtime", mixinStandardHelpOptions = true,
        description = "Compare the runtime against the plain ONNX graph (default) or against its weight products alone "
                + "(--floor), or run the JMH benchmarks (--jmh).")
final class BenchRuntimeCommand implements Callable<Integer> {
    @Option(names = "--jmh", description = "Run the JMH benchmarks instead of the interleaved comparison "
            + "(default: ${DEFAULT-VALUE}).")
    boolean jmh;

    @Option(names = "--floor", description = "Time the format-3 reference model against its weight products alone, "
            + "fp32 and int8, interleaved: how much of a line and of a scan is above this machine's floor "
            + "(default: ${DEFAULT-VALUE}).")
    boolean floor;

    @Option(names = "--rounds", description = "Comparison: timed rounds, each one 128-line stream and one full scan "
            + "per variant (default: ${DEFAULT-VALUE}).")
    int rounds = 20;

    @Option(names = "--warmup", description = "Comparison: untimed rounds (default: ${DEFAULT-VALUE}).")
    int warmup = 3;

    @Option(names = "--settings", split = ",", paramLabel = "THREADS:SPIN",
            description = "Comparison: format-3 settings to compare with the plain graph instead of the format-2/3 "
                    + "files, e.g. 1:false,2:false,2:true (threads 0 = scanline's choice; default: the default Options).")
    List<String> settings;

    @Option(names = "--files", split = ",", paramLabel = "MODEL.onnx",
            description = "Comparison: time these model files against each other instead, each at the default Options; "
                    + "the first is the baseline of the speed-ups, e.g. an old and a new export of the same weights "
                    + "(default: none).")
    List<Path> files;

    @Option(names = "--benchmarks", description = "JMH: regex of benchmark methods (default: ${DEFAULT-VALUE}).")
    String benchmarks = "streamLine|fullScan|batch32|prefixRecompute";

    @Option(names = "--graph", split = ",", description = "JMH: FIXED_CACHE, GROWING_CACHE, PLAIN (default: ${DEFAULT-VALUE}).")
    String[] graph = {"FIXED_CACHE"};

    @Option(names = "--threads", split = ",", description = "JMH: intra-op threads, 0 = scanline's choice "
            + "(default: ${DEFAULT-VALUE}).")
    String[] threads = {"0"};

    @Option(names = "--spinning", split = ",", description = "JMH: spinning on/off (default: ${DEFAULT-VALUE}).")
    String[] spinning = {"false"};

    @Option(names = "--optimization", split = ",", description = "JMH: NONE, BASIC, EXTENDED, ALL (default: ${DEFAULT-VALUE}).")
    String[] optimization = {"ALL"};

    @Option(names = "--memory-pattern", split = ",", description = "JMH: memory pattern on/off (default: ${DEFAULT-VALUE}).")
    String[] memoryPattern = {"true"};

    @Option(names = "--int8", split = ",", description = "int8 weights false/true (default: ${DEFAULT-VALUE}).")
    String[] int8 = {"false", "true"};

    @Option(names = "--seconds", description = "JMH: measurement seconds per iteration (default: ${DEFAULT-VALUE}).")
    int seconds = 3;

    @Option(names = "--iterations", description = "JMH: measurement iterations (default: ${DEFAULT-VALUE}).")
    int iterations = 3;

    @Option(names = "--gc", description = "JMH: add the GC profiler, bytes allocated per operation (default: ${DEFAULT-VALUE}).")
    boolean gc;

    @Override
    public Integer call() throws RunnerException {
        if (jmh && floor) {
            throw new BadConfigException("--jmh and --floor are different benchmarks: give one");
        }
        if (floor && (files != null || settings != null)) {
            throw new BadConfigException("--floor times the reference model at the default Options; "
                    + "--files and --settings belong to the comparison");
        }
        return jmh ? jmh() : floor ? floor() : compare();
    }

    private int floor() {
        System.out.println("load before: " + load() + "; " + Runtime.getRuntime().availableProcessors() + " processors");
        System.out.println();
        System.out.print(RuntimeFloor.table(RuntimeFloor.run(warmup, rounds)));
        System.out.println();
        System.out.println("load after: " + load());
        return 0;
    }

    private int compare() {
        List<Variant> variants = new ArrayList<>();
        for (Path f : files == null ? List.<Path>of() : files) {
            variants.add(Variant.ofFile(f, Options.defaults()));
        }
        for (String w : files == null ? int8 : new String[0]) {
            boolean q = Boolean.parseBoolean(w);
            if (settings == null) {
                variants.addAll(RuntimeComparison.standardVariants(q));
            } else {
                variants.add(RuntimeComparison.standardVariants(q).get(0));
                for (String s : settings) {
                    String[] ts = s.split(":");
                    if (ts.length != 2) {
                        throw new BadConfigException("--settings wants THREADS:SPIN pairs such as 1:false, found '" + s + "'");
                    }
                    int n = Integer.parseInt(ts[0].trim());
                    boolean spin = Boolean.parseBoolean(ts[1].trim());
                    variants.add(new Variant("format 3, " + (n == 0 ? "auto" : n) + " thread(s), spinning " + spin
                            + ", " + (q ? "int8" : "fp32"), GraphStyle.FIXED_CACHE, q,
                            Options.builder().intraOpThreads(n).spinning(spin).build()));
                }
            }
        }
        System.out.println("load before: " + load() + "; " + Runtime.getRuntime().availableProcessors() + " processors");
        // Each weight type is its own comparison: its first variant is that table's baseline.
        List<List<Variant>> groups = new ArrayList<>();
        for (Variant v : variants) {
            if (groups.isEmpty() || groups.get(groups.size() - 1).get(0).int8() != v.int8()) {
                groups.add(new ArrayList<>());
            }
            groups.get(groups.size() - 1).add(v);
        }
        for (List<Variant> g : groups) {
            System.out.println();
            System.out.print(RuntimeComparison.table(RuntimeComparison.run(g, warmup, rounds)));
        }
        System.out.println();
        System.out.println("load after: " + load());
        return 0;
    }

    private static String load() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return "load average " + f[0] + ", " + f[1] + ", " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "system load average %.2f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private int jmh() throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(RuntimeBenchmark.class.getName() + "\\.(" + benchmarks + ")$")
                .param("graph", graph).param("threads", threads).param("spinning", spinning)
                .param("optimization", optimization).param("int8", int8).param("memoryPattern", memoryPattern)
                .forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(2))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds))
                .jvmArgsAppend("-Xmx2g", "-Dai.djl.offline=true");
        if (gc) {
            o.addProfiler(org.openjdk.jmh.profile.GCProfiler.class);
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        System.out.println();
        System.out.println("| benchmark | graph | threads | spinning | optimisation | memory pattern | int8 | p50 ms | p99 ms | mean ms |"
                + (gc ? " allocated |" : ""));
        System.out.println("|---|---|---|---|---|---|---|---|---|---|" + (gc ? "---|" : ""));
        java.util.Set<String> rows = new java.util.LinkedHashSet<>();
        for (RunResult r : results) {
            Result<?> primary = r.getPrimaryResult();
            var stats = primary.getStatistics();
            var p = r.getParams();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.3f | %.3f | %.3f |%s",
                    p.getBenchmark().replaceAll(".*\\.", ""), p.getParam("graph"), p.getParam("threads"),
                    p.getParam("spinning"), p.getParam("optimization"), p.getParam("memoryPattern"), p.getParam("int8"),
                    stats.getPercentile(50) / 1000, stats.getPercentile(99) / 1000, stats.getMean() / 1000,
                    alloc == null ? "" : String.format(Locale.ROOT, " %.0f B/op |", alloc.getScore())));
        }
        rows.forEach(System.out::println);
        return 0;
    }
}
