package org.scanline.nanonis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.LineStream;
import org.scanline.ModelInfo;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;

/** The watch loop against the simulated server: what it pushes, what it does, and what it leaves behind. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScanWatcherTest {
    static final int LINES = 24;
    static final int PIXELS = 16;

    @TempDir
    Path dir;

    static SimulatedNanonis.Config.Builder lockstep() {
        return SimulatedNanonis.Config.builder().seed(3).lines(LINES).pixels(PIXELS).lockstep(true).lineTime(Duration.ZERO)
                .degradePerLine(0).shaperTime(Duration.ZERO);
    }

    static WatchSettings.Builder fast() {
        return WatchSettings.builder().poll(Duration.ofNanos(1000)).ladder(shaperOnly(10).build());
    }

    /** A ladder of the tip shaper alone, no grace lines, one clean line confirms. */
    static RecoveryLadder.Builder shaperOnly(int maxConditioning) {
        return RecoveryLadder.builder().steps(List.of(new RecoveryLadder.TipShaper())).shaperWait(Duration.ofSeconds(10))
                .graceLines(0).confirmLines(1).maxConditioning(maxConditioning);
    }

    /** Fires once the model has seen more than {@code lines} lines. */
    static BadTipPolicy after(int lines) {
        return new BadTipPolicy(List.of(new BadTipPolicy.Trigger() {
            @Override
            public Optional<String> check(Prediction p, int line) {
                return p.linesSeen() > lines ? Optional.of("test trigger at line " + line) : Optional.empty();
            }

            @Override
            public String describe() {
                return "after " + lines + " lines";
            }
        }));
    }

    static BadTipPolicy never() {
        return after(Integer.MAX_VALUE);
    }

    /** A listener that hands every line and note to the test. */
    static class Events implements ScanWatcher.Listener {
        final List<ScanWatcher.LineResult> lines = new CopyOnWriteArrayList<>();
        final List<String> notes = new CopyOnWriteArrayList<>();
        Consumer<ScanWatcher.LineResult> onLine = r -> { };
        Consumer<String> onNote = n -> { };
        ScanWatcher.Summary summary;

        @Override
        public void line(ScanWatcher.LineResult r) {
            lines.add(r);
            onLine.accept(r);
        }

        @Override
        public void note(String message) {
            notes.add(message);
            onNote.accept(message);
        }

        @Override
        public void summary(ScanWatcher.Summary s) {
            summary = s;
        }
    }

    /** Records every line pushed into its streams (after resampling). */
    static class Recording implements ScanLineClassifier {
        final ScanLineClassifier inner;
        final List<float[]> pushed = new ArrayList<>();

        Recording(ScanLineClassifier inner) {
            this.inner = inner;
        }

        @Override
        public ModelInfo info() {
            return inner.info();
        }

        @Override
        public Prediction classify(float[][] scan) {
            return inner.classify(scan);
        }

        @Override
        public List<Prediction> classifyBatch(List<float[][]> scans) {
            return inner.classifyBatch(scans);
        }

        @Override
        public LineStream newStream() {
            LineStream s = inner.newStream();
            return new LineStream() {
                @Override
                public Prediction push(float[] line) {
                    pushed.add(line.clone());
                    return s.push(line);
                }

                @Override
                public int linesSeen() {
                    return s.linesSeen();
                }

                @Override
                public void reset() {
                    s.reset();
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    ScanWatcher watcher(NanonisClient c, ScanLineClassifier model, BadTipPolicy policy, WatchSettings s, Events e) {
        return new ScanWatcher(c, null, model, policy, s, dir.resolve("log.jsonl"), e);
    }

    static NanonisClient connect(SimulatedNanonis sim) {
        return NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(5));
    }

    @Test
    void linesArePushedFirstAcquiredFirstWhateverTheDirectionAndRowOrder() {
        record Case(boolean up, boolean acquisitionOrder) {
        }
        for (Case k : List.of(new Case(true, false), new Case(false, false), new Case(false, true))) {
            SimulatedNanonis.Config config = lockstep().startUp(k.up()).rowsInAcquisitionOrder(k.acquisitionOrder())
                    .recordLines(true).build();
            try (SimulatedNanonis sim = SimulatedNanonis.start(config, "127.0.0.1", 0); NanonisClient c = connect(sim)) {
                Recording model = new Recording(new BluntTipDetector(PIXELS, 100, 0.9));
                Events e = new Events();
                ScanWatcher.Summary s = watcher(c, model, never(), fast().build(), e).run();
                assertEquals(LINES, s.lines(), k.toString());
                assertEquals(1, s.frames());
                FrameData last = c.frameDataGrab(14, true);
                float[] row = new float[PIXELS];
                for (int i = 0; i < LINES; i++) {
                    int expected = k.up() || k.acquisitionOrder() ? i : LINES - 1 - i;
                    assertEquals(expected, e.lines.get(i).row(), k + " line " + i);
                    assertEquals(sim.lines().get(i).row(), e.lines.get(i).row());
                    last.copyRow(expected, row);
                    assertArrayEquals(row, model.pushed.get(i), k + " line " + i);
                }
                assertTrue(sim.stats().commands().isEmpty(), "watch never touched the scan");
            }
        }
    }

    @Test
    void reportOnlyInterruptedLeavesARunningScanRunning() throws IOException {
        SimulatedNanonis.Config config = lockstep().continuous(true).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, "127.0.0.1", 0); NanonisClient c = connect(sim)) {
            Events e = new Events();
            ScanWatcher w = watcher(c, new BluntTipDetector(PIXELS, 100, 0.9), after(3), fast().build(), e);
            e.onLine = r -> {
                if (r.line() == 30 % LINES && r.frame() == 1) {
                    w.requestStop();
                }
            };
            ScanWatcher.Summary s = w.run();
            assertTrue(s.interrupted());
            assertEquals(LINES + 7, s.lines());
            assertEquals(2, s.reports(), "reported once per frame");
            assertTrue(sim.stats().scanRunning());
            assertTrue(sim.stats().commands().isEmpty(), "no command sent: " + sim.stats().commands());
            assertTrue(w.awaitFinished(Duration.ZERO));
        }
        List<JsonNode> log = readLog();
        assertEquals("start", log.get(0).get("type").asText());
        assertEquals("end", log.get(log.size() - 1).get("type").asText());
        assertTrue(log.get(log.size() - 1).get("interrupted").asBoolean());
        List<JsonNode> lines = log.stream().filter(n -> n.get("type").asText().equals("line")).toList();
        assertEquals(LINES + 7, lines.size());
        JsonNode third = lines.get(3);
        assertEquals(0, third.get("frame").asInt());
        assertEquals(3, third.get("line").asInt());
        assertEquals(4, third.get("lines_seen").asInt());
        assertTrue(third.get("bad_tip").asBoolean());
        assertEquals("report", third.get("action").asText());
        assertEquals("none", lines.get(4).get("action").asText(), "acted once per frame");
        assertEquals(2, third.get("probabilities").size());
        assertTrue(third.get("probabilities").has("blunt"));
        assertTrue(third.get("reason").asText().contains("test trigger at line 3"));
        assertTrue(lines.get(0).get("processing_us").asLong() >= 0);
    }

    @Test
    void stopActionStopsTheScanAndEnds() {
        try (SimulatedNanonis sim = SimulatedNanonis.start(lockstep().build(), "127.0.0.1", 0); NanonisClient c = connect(sim)) {
            Events e = new Events();
            ScanWatcher.Summary s = watcher(c, new BluntTipDetector(PIXELS, 100, 0.9), after(3),
                    fast().action(WatchSettings.Action.STOP).build(), e).run();
            assertEquals(1, s.stops());
            assertEquals(4, s.lines(), "lines 0–3, then the scan is stopped");
            assertFalse(s.interrupted());
            assertEquals(List.of("Scan.Action stop"), sim.stats().commands());
            assertFalse(sim.stats().scanRunning());
            assertTrue(e.notes.stream().anyMatch(n -> n.startsWith("stopped the scan")), e.notes.toString());
        }
    }

    @Test
    void conditioningStopsShapesAndRestartsThenGivesUpAtTheLimit() {
        SimulatedNanonis.Config config = lockstep().build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, "127.0.0.1", 0); NanonisClient c = connect(sim)) {
            Events e = new Events();
            ScanWatcher.Summary s = watcher(c, new BluntTipDetector(PIXELS, 100, 0.9), after(3),
                    fast().action(WatchSettings.Action.CONDITION).ladder(shaperOnly(2).build()).build(), e).run();
            assertEquals(2, s.conditionings());
            assertTrue(s.gaveUp());
            assertEquals(ScanWatcher.Outcome.GAVE_UP, s.outcome());
            assertEquals(3, s.stops());
            assertEquals(3, s.frames());
            assertEquals(12, s.lines());
            // at the budget the microscope is left safe: scan stopped, tip withdrawn, never restarted
            assertEquals(List.of("Scan.Action stop", "TipShaper.Start wait=true timeout=10000", "Scan.Action start up",
                    "Scan.Action stop", "TipShaper.Start wait=true timeout=10000", "Scan.Action start up", "Scan.Action stop",
                    "ZCtrl.Withdraw"), sim.stats().commands());
            assertFalse(sim.stats().scanRunning());
            assertTrue(sim.stats().withdrawn());
            assertTrue(s.safeReason().contains("recovery budget reached"), s.safeReason());
            assertEquals(List.of(0, 1, 2), e.lines.stream().map(ScanWatcher.LineResult::frame).distinct().toList());
            assertEquals(4, e.lines.stream().filter(r -> r.frame() == 1).count(), "the stream restarts with the frame");
        }
    }

    @Test
    void ctrlCBetweenStopAndShaperLeavesTheMicroscopeSafeWithoutShaping() {
        try (SimulatedNanonis sim = SimulatedNanonis.start(lockstep().build(), "127.0.0.1", 0); NanonisClient c = connect(sim)) {
            Events e = new Events();
            ScanWatcher w = watcher(c, new BluntTipDetector(PIXELS, 100, 0.9), after(3),
                    fast().action(WatchSettings.Action.CONDITION).build(), e);
            e.onNote = n -> {
                if (n.startsWith("stopped the scan to recover")) {
                    w.requestStop();
                }
            };
            ScanWatcher.Summary s = w.run();
            assertTrue(s.interrupted());
            assertEquals(ScanWatcher.Outcome.INTERRUPTED, s.outcome());
            assertEquals(0, s.conditionings());
            assertEquals(List.of("Scan.Action stop", "Scan.Action stop", "ZCtrl.Withdraw"), sim.stats().commands());
            assertFalse(sim.stats().scanRunning(), "Ctrl-C mid-recovery never starts a scan");
            assertTrue(sim.stats().withdrawn());
        }
        assertTrue(readLog().stream().anyMatch(n -> n.get("type").asText().equals("safe-exit")
                && n.get("reason").asText().contains("interrupted during recovery")));
    }

    @Test
    void ctrlCDuringTheShaperWaitsForItThenLeavesTheMicroscopeSafe() throws Exception {
        SimulatedNanonis.Config config = lockstep().shaperTime(Duration.ofMillis(600)).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, "127.0.0.1", 0); NanonisClient c = connect(sim)) {
            Events e = new Events();
            ScanWatcher w = watcher(c, new BluntTipDetector(PIXELS, 100, 0.9), after(3),
                    fast().action(WatchSettings.Action.CONDITION).build(), e);
            Thread ctrlC = new Thread(() -> {
                while (!sim.stats().shaperRunning()) {
                    Thread.onSpinWait();
                }
                w.requestStop();
            });
            ctrlC.setDaemon(true);
            ctrlC.start();
            ScanWatcher.Summary s = w.run();
            ctrlC.join(5000);
            assertTrue(s.interrupted());
            assertEquals(1, s.conditionings());
            assertFalse(sim.stats().shaperRunning(), "the shaper is never left running");
            assertFalse(sim.stats().scanRunning());
            assertEquals(List.of("Scan.Action stop", "TipShaper.Start wait=true timeout=10000", "Scan.Action stop",
                    "ZCtrl.Withdraw"), sim.stats().commands());
        }
    }

    @Test
    void aScanFoundStoppedIsNeverStartedOrStopped() {
        try (SimulatedNanonis sim = SimulatedNanonis.start(lockstep().build(), "127.0.0.1", 0); NanonisClient c = connect(sim)) {
            for (int i = 0; i < LINES; i++) {
                c.frameDataGrab(14, true);
            }
            assertFalse(c.scanRunning(), "the frame is complete and the scan over");
            Events e = new Events();
            ScanWatcher.Summary s = watcher(c, new BluntTipDetector(PIXELS, 100, 0.9), after(3),
                    fast().action(WatchSettings.Action.CONDITION).build(), e).run();
            assertFalse(s.scanRunningAtStart());
            assertEquals(LINES, s.lines(), "the frame found is classified");
            assertEquals(1, s.reports());
            assertEquals(0, s.stops());
            assertEquals("report (scan not running)", e.lines.get(3).action());
            assertTrue(sim.stats().commands().isEmpty(), sim.stats().commands().toString());
        }
    }

    @Test
    void aControllerThatGoesAwayEndsTheWatchWithAnError() {
        SimulatedNanonis sim = SimulatedNanonis.start(lockstep().continuous(true).build(), "127.0.0.1", 0);
        try (NanonisClient c = connect(sim)) {
            Events e = new Events();
            e.onLine = r -> {
                if (r.line() == 5) {
                    sim.close();
                }
            };
            NanonisException x = assertThrows(NanonisException.class,
                    () -> watcher(c, new BluntTipDetector(PIXELS, 100, 0.9), never(), fast().build(), e).run());
            assertTrue(x.kind() == NanonisException.Kind.CONNECTION || x.kind() == NanonisException.Kind.TIMEOUT,
                    x.getMessage());
            assertTrue(x.getMessage().contains("127.0.0.1:" + sim.port()), x.getMessage());
            assertEquals(6, e.summary.lines());
        } finally {
            sim.close();
        }
        assertTrue(readLog().get(readLog().size() - 1).has("error"));
    }

    @Test
    void framesLongerThanTheModelRestartItsStream() {
        try (SimulatedNanonis sim = SimulatedNanonis.start(lockstep().build(), "127.0.0.1", 0); NanonisClient c = connect(sim)) {
            Events e = new Events();
            ScanWatcher.Summary s = watcher(c, new BluntTipDetector(PIXELS, 10, 0.9), never(), fast().build(), e).run();
            assertEquals(LINES, s.lines());
            assertEquals(List.of(1, 10, 1, 10, 1, 4), List.of(e.lines.get(0).prediction().linesSeen(),
                    e.lines.get(9).prediction().linesSeen(), e.lines.get(10).prediction().linesSeen(),
                    e.lines.get(19).prediction().linesSeen(), e.lines.get(20).prediction().linesSeen(),
                    e.lines.get(23).prediction().linesSeen()));
        }
    }

    /**
     * Line acquired → decision on a real-time simulated session with a real (tiny) ONNX model,
     * measured exactly from the simulator's acquisition times; the watcher's own figure is an upper
     * bound of it. The scan starts once the watcher is ready, so every line is acquired while it
     * watches. Prints the figures (docs/embedding.md has them from a longer, realistic session);
     * asserts no timing, which on a shared machine measures the machine. {@code -Dlatency.model=FILE
     * -Dlatency.pixels=P -Dlatency.line-ms=T -Dlatency.lines=N -Dlatency.poll-ms=Q} measure another session.
     */
    @Test
    @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theWatchersLatencyFigureBoundsTheTrueAcquisitionToDecisionTime() {
        Duration lineTime = Duration.ofMillis(Long.getLong("latency.line-ms", 40));
        int lines = Integer.getInteger("latency.lines", 32);
        String other = System.getProperty("latency.model");
        Path modelFile = other == null ? TinyModel.get() : Path.of(other);
        int pixels = Integer.getInteger("latency.pixels", 64);
        SimulatedNanonis.Config config = SimulatedNanonis.Config.builder().seed(5).lines(lines).pixels(pixels)
                .lineTime(lineTime).degradePerLine(0).scanOnStart(false).recordLines(true).build();
        try (ScanLineClassifier model = ScanLineClassifier.open(modelFile,
                ScanLineClassifier.Options.builder().intraOpThreads(1).build());
             SimulatedNanonis sim = SimulatedNanonis.start(config, "127.0.0.1", 0); NanonisClient c = connect(sim)) {
            Events e = new Events();
            e.onNote = n -> {
                if (n.startsWith("watching")) {
                    try (NanonisClient operator = connect(sim)) {
                        operator.scanAction(NanonisClient.ScanAction.START, true);
                    }
                }
            };
            ScanWatcher.Summary s = watcher(c, model, never(), WatchSettings.builder()
                    .poll(Duration.ofMillis(Long.getLong("latency.poll-ms", 10))).build(), e).run();
            assertEquals(lines, s.lines());
            Map<Integer, Long> acquired = new HashMap<>();
            sim.lines().forEach(l -> acquired.put(l.line(), l.acquiredNanos()));
            long[] exact = new long[lines];
            int bounded = 0;
            for (ScanWatcher.LineResult r : e.lines) {
                exact[r.line()] = r.decidedNanos() - acquired.get(r.line());
                assertTrue(exact[r.line()] > 0);
                if (r.latencyBoundNanos() >= 0) {
                    bounded++;
                    assertTrue(exact[r.line()] <= r.latencyBoundNanos(), "the watcher's bound holds at line " + r.line());
                }
            }
            assertTrue(bounded >= lines / 2, bounded + " of " + lines + " lines bounded: "
                    + e.lines.stream().map(r -> r.line() + ":" + r.latencyBoundNanos() / 1000000).toList());
            Arrays.sort(exact);
            long p50 = exact[lines / 2];
            long p99 = exact[(int) Math.ceil(lines * 0.99) - 1];
            System.out.printf(Locale.ROOT, "latency, line acquired → decision (%d lines, %d ms per line, %d ms polls, "
                    + "%d → %d px, %s): exact p50 %.2f ms, p99 %.2f ms; watcher's bound p50 %.2f ms, p99 %.2f ms; "
                    + "processing p50 %.3f ms, p99 %.3f ms%n", lines, lineTime.toMillis(), Long.getLong("latency.poll-ms", 10),
                    pixels, model.pixels(), other == null ? "tiny causal model" : modelFile.getFileName(), p50 / 1e6, p99 / 1e6, s.latencyP50Nanos() / 1e6, s.latencyP99Nanos() / 1e6,
                    s.processingP50Nanos() / 1e6, s.processingP99Nanos() / 1e6);
        }
    }

    List<JsonNode> readLog() {
        try {
            ObjectMapper m = new ObjectMapper();
            List<JsonNode> out = new ArrayList<>();
            for (String l : Files.readAllLines(dir.resolve("log.jsonl"))) {
                out.add(m.readTree(l));
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
