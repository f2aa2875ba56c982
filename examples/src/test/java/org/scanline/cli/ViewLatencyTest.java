package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;
import org.scanline.nanonis.BadTipPolicy;
import org.scanline.nanonis.NanonisClient;
import org.scanline.nanonis.ScanWatcher;
import org.scanline.nanonis.SimulatedNanonis;
import org.scanline.nanonis.WatchSettings;
import org.scanline.view.ScanView;
import org.scanline.view.SseEvents;

/**
 * What {@code --view} costs a watched line, measured: sessions of the watcher against a real-time
 * simulated microscope, alternately without a view and with one (and a page reading every event), in
 * one JVM. A measurement, not a check: it runs only with {@code -Dview.bench=true} (docs/benchmarks.md).
 *
 * <pre>
 * mvn -o -B test -pl examples -am -Dtest=ViewLatencyTest -Dsurefire.failIfNoSpecifiedTests=false -Dview.bench=true \
 *     [-Dview.bench.rounds=3 -Dview.bench.lines=128 -Dview.bench.line-ms=20 -Dview.bench.poll-ms=5]
 * </pre>
 */
@EnabledIfSystemProperty(named = "view.bench", matches = "true")
class ViewLatencyTest {
    static final Path SHIPPED = Path.of("../models/hsi100-causal-v4/model.onnx");

    /** The watcher's figures per line, and the time spent in its listener. */
    static final class Timed implements ScanWatcher.Listener {
        final ScanWatcher.Listener inner;
        final List<long[]> lines = new ArrayList<>();

        Timed(ScanWatcher.Listener inner) {
            this.inner = inner;
        }

        @Override
        public void frameStarted(ScanWatcher.FrameStart f) {
            inner.frameStarted(f);
        }

        @Override
        public void line(ScanWatcher.LineResult r, float[] heights) {
            long t0 = System.nanoTime();
            inner.line(r, heights);
            long call = System.nanoTime() - t0;
            lines.add(new long[] {r.processingNanos(), r.latencyBoundNanos(), call});
        }

        @Override
        public void note(String message) {
            inner.note(message);
        }

        @Override
        public void stats(ScanWatcher.Summary s) {
            inner.stats(s);
        }

        @Override
        public void summary(ScanWatcher.Summary s) {
            inner.summary(s);
        }
    }

    @Test
    void withAndWithoutAView() throws Exception {
        int rounds = Integer.getInteger("view.bench.rounds", 3);
        int lines = Integer.getInteger("view.bench.lines", 128);
        long lineMs = Long.getLong("view.bench.line-ms", 20);
        long pollMs = Long.getLong("view.bench.poll-ms", 5);
        Path modelFile = Files.exists(SHIPPED) ? SHIPPED : org.scanline.nanonis.TinyModel.get();
        String load = loadavg();
        List<long[]> without = new ArrayList<>();
        List<long[]> with = new ArrayList<>();
        long[] cpu = new long[3];
        try (ScanLineClassifier model = ScanLineClassifier.open(modelFile,
                ScanLineClassifier.Options.builder().intraOpThreads(1).build())) {
            // round 0 warms the JIT for both paths and is not counted
            for (int round = 0; round <= rounds; round++) {
                for (boolean view : new boolean[] {false, true}) {
                    Session measured = session(model, view, round, lines, lineMs, pollMs);
                    if (round > 0) {
                        (view ? with : without).addAll(measured.lines());
                        if (view) {
                            cpu[0] += measured.watcherCpuNanos();
                            cpu[1] += measured.viewCpuNanos();
                            cpu[2] += measured.lines().size();
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%s, %d × %d px simulated frames at %d ms per line, %d ms polls, %d rounds of "
                + "2 sessions after one to warm up; load average before %s, after %s, %d cores%n", modelFile.getFileName(), lines,
                model(modelFile), lineMs, pollMs, rounds, load, loadavg(), Runtime.getRuntime().availableProcessors());
        System.out.println("| watch | lines | grab → decision p50 | p99 | poll → decision (bound) p50 | p99 | listener call p50 | p99 |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        row("without --view", without);
        row("with --view, one page open", with);
        System.out.printf(Locale.ROOT, "CPU per line with --view: the watch thread %.0f µs, the view's threads (levelling, "
                + "JSON, the page's writes) %.0f µs%n", cpu[0] / 1e3 / cpu[2], cpu[1] / 1e3 / cpu[2]);
        steadyState(lines, model(modelFile));
    }

    /**
     * The view's CPU per line once its code is compiled: the sessions above are too short for the JIT
     * to finish, so this feeds 20 scans' lines straight to a view with a page open and times the last 10.
     */
    private static void steadyState(int lines, int pixels) throws Exception {
        float[] heights = new float[pixels];
        for (int j = 0; j < pixels; j++) {
            heights[j] = (float) (1e-10 * Math.sin(j));
        }
        Prediction p = new Prediction(0, "a", new float[] {0.6f, 0.4f}, 1, false);
        try (ScanView v = ScanView.start("127.0.0.1", 0); SseEvents page = SseEvents.open(v.uri().resolve("events"))) {
            long cpu = 0;
            long callNanos = 0;
            for (int scan = 0; scan < 20; scan++) {
                long before = viewCpuNanos();
                v.scanStarted(new org.scanline.view.ScanListener.Started("s", lines, pixels, "m", List.of("a", "b")));
                for (int l = 0; l < lines; l++) {
                    long t0 = System.nanoTime();
                    v.line(new org.scanline.view.ScanListener.Line(l, heights, p, 0));
                    callNanos += scan >= 10 ? System.nanoTime() - t0 : 0;
                    Thread.sleep(1);
                }
                v.scanEnded(new org.scanline.view.ScanListener.Ended("done"));
                int n = scan;
                page.until(e -> e.type().equals("end") && e.data().get("scan").asInt() == n, Duration.ofSeconds(30));
                cpu += scan >= 10 ? viewCpuNanos() - before : 0;
            }
            System.out.printf(Locale.ROOT, "steady state, %d-line scans of %d px fed to a view with a page open, one line per "
                    + "ms: the view's threads %.0f µs CPU per line, the caller %.1f µs per call%n", lines, pixels,
                    cpu / 1e3 / (10.0 * lines), callNanos / 1e3 / (10.0 * lines));
        }
    }

    /** A session's lines, and the CPU time of the watch thread and of the view's own threads. */
    record Session(List<long[]> lines, long watcherCpuNanos, long viewCpuNanos) {
    }

    private static long viewCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("scanline-view"))
                .mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.getId()))).sum();
    }

    private static int model(Path f) {
        try (ScanLineClassifier c = ScanLineClassifier.open(f)) {
            return c.pixels();
        }
    }

    private static Session session(ScanLineClassifier model, boolean view, int seed, int lines, long lineMs,
            long pollMs) throws Exception {
        SimulatedNanonis.Config config = SimulatedNanonis.Config.builder().seed(seed).lines(lines).pixels(model.pixels())
                .lineTime(Duration.ofMillis(lineMs)).degradePerLine(0).scanOnStart(false).build();
        BadTipPolicy never = new BadTipPolicy(List.of(new BadTipPolicy.Trigger() {
            @Override
            public Optional<String> check(Prediction p, int line) {
                return Optional.empty();
            }

            @Override
            public String describe() {
                return "never";
            }
        }));
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, "127.0.0.1", 0);
             NanonisClient c = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(5));
             ScanView v = view ? ScanView.start("127.0.0.1", 0) : null;
             SseEvents page = view ? SseEvents.open(v.uri().resolve("events")) : null) {
            ScanWatcher.Listener starter = new ScanWatcher.Listener() {
                @Override
                public void note(String n) {
                    if (n.startsWith("watching")) {
                        try (NanonisClient operator = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(5))) {
                            operator.scanAction(NanonisClient.ScanAction.START, true);
                        }
                    }
                }
            };
            Timed timed = new Timed(view ? new WatchView(v, starter, model.classNames()) : starter);
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long viewCpu = view ? viewCpuNanos() : 0;
            long cpu = mx.getCurrentThreadCpuTime();
            ScanWatcher.Summary s = new ScanWatcher(c, null, model, never,
                    WatchSettings.builder().poll(Duration.ofMillis(pollMs)).build(), null, timed).run();
            cpu = mx.getCurrentThreadCpuTime() - cpu;
            assertEquals(lines, s.lines());
            if (view) {
                long seen = page.until(e -> e.type().equals("stats"), Duration.ofSeconds(30)).stream()
                        .filter(e -> e.type().equals("line")).count();
                assertEquals(lines, seen, "the page got every line");
                assertEquals(0, v.dropped());
                viewCpu = viewCpuNanos() - viewCpu;
            }
            return new Session(timed.lines, cpu, viewCpu);
        }
    }

    private static void row(String what, List<long[]> lines) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.3f ms | %.3f ms | %.2f ms | %.2f ms | %.1f µs | %.1f µs |%n", what,
                lines.size(), q(lines, 0, 0.5) / 1e6, q(lines, 0, 0.99) / 1e6, q(lines, 1, 0.5) / 1e6,
                q(lines, 1, 0.99) / 1e6, q(lines, 2, 0.5) / 1e3, q(lines, 2, 0.99) / 1e3);
    }

    private static long q(List<long[]> lines, int column, double q) {
        long[] v = lines.stream().mapToLong(l -> l[column]).filter(x -> x >= 0).sorted().toArray();
        return v.length == 0 ? -1 : v[Math.max(0, Math.min(v.length - 1, (int) Math.ceil(q * v.length) - 1))];
    }

    private static String loadavg() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
