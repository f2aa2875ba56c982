package org.scanline.nanonis;

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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.LineStream;
import org.scanline.ModelInfo;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;
import org.scanline.Uncertainty;

/**
 * Every fault of the simulated microscope, injected, against what {@code watch} must then do: a
 * lost connection resumes the frame, a recovery that cannot finish leaves the microscope safe, and no
 * line is dropped without a word.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WatchFaultsTest {
    static final int LINES = ScanWatcherTest.LINES;
    static final int PIXELS = ScanWatcherTest.PIXELS;

    @TempDir
    Path dir;

    static final class Frames extends ScanWatcherTest.Events {
        final List<ScanWatcher.FrameStart> frames = new CopyOnWriteArrayList<>();

        @Override
        public void frameStarted(ScanWatcher.FrameStart f) {
            frames.add(f);
        }
    }

    private ScanWatcher.Summary watch(SimulatedNanonis sim, BadTipPolicy policy, WatchSettings settings,
            ScanWatcherTest.Events e, ScanLineClassifier model) {
        Supplier<NanonisClient> again = () -> NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofMillis(500));
        try (NanonisClient c = again.get()) {
            return new ScanWatcher(c, again, model, policy, settings, dir.resolve("log.jsonl"), e).run();
        }
    }

    private static ScanLineClassifier detector() {
        return new BluntTipDetector(PIXELS, 100, 0.9);
    }

    private List<JsonNode> log() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (String l : Files.readAllLines(dir.resolve("log.jsonl"))) {
            out.add(m.readTree(l));
        }
        return out;
    }

    private static WatchSettings.Builder condition(RecoveryLadder ladder) {
        return ScanWatcherTest.fast().action(WatchSettings.Action.CONDITION).ladder(ladder);
    }

    @Test
    void aControllerRestartMidScanIsRetriedAndTheWholeScanClassified() {
        SimulatedFaults f = SimulatedFaults.builder().restartAtLine(10).downTime(Duration.ofMillis(300)).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(ScanWatcherTest.lockstep().build(), f, "127.0.0.1", 0)) {
            ScanWatcherTest.Events e = new ScanWatcherTest.Events();
            ScanWatcher.Summary s = watch(sim, ScanWatcherTest.never(), ScanWatcherTest.fast().build(), e, detector());
            assertEquals(1, sim.restarts());
            assertEquals(ScanWatcher.Outcome.ENDED, s.outcome());
            assertEquals(LINES, s.lines(), "every line of the frame, across the restart");
            assertEquals(1, s.frames(), "the same frame resumed");
            assertEquals(0, s.linesLost());
            assertTrue(s.reconnects() >= 1 && s.readFaults() >= 1, s.toString());
        }
    }

    @Test
    void aControllerKilledDuringTheShaperLeavesTheTipWithdrawnAndTheScanStopped() throws IOException {
        SimulatedFaults f = SimulatedFaults.builder().killDuringShaper(true).downTime(Duration.ofMillis(200)).build();
        SimulatedNanonis.Config config = ScanWatcherTest.lockstep().shaperTime(Duration.ofMillis(800)).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, f, "127.0.0.1", 0)) {
            ScanWatcher.Summary s = watch(sim, ScanWatcherTest.after(3),
                    condition(ScanWatcherTest.shaperOnly(10).build()).build(), new ScanWatcherTest.Events(), detector());
            assertEquals(ScanWatcher.Outcome.RECOVERY_FAILED, s.outcome());
            assertTrue(s.safeReason().contains("may still be running"), s.safeReason());
            List<String> commands = sim.stats().commands();
            assertEquals(List.of("Scan.Action stop", "TipShaper.Start wait=false timeout=10000", "Scan.Action stop",
                    "ZCtrl.Withdraw"), commands, "never a restart while the shaper may run");
            assertTrue(sim.stats().withdrawn());
            assertFalse(sim.stats().scanRunning());
        }
        List<JsonNode> log = log();
        assertTrue(log.stream().anyMatch(n -> n.get("type").asText().equals("tip-shaper") && n.get("state_unknown").asBoolean()));
        assertTrue(log.stream().noneMatch(n -> n.get("type").asText().equals("restore")
                || n.get("type").asText().equals("restart-scan")));
        assertEquals("recovery_failed", log.get(log.size() - 1).get("outcome").asText());
    }

    @Test
    void aTipShaperTimeoutMeansAnUnknownStateWithdrawNoRestart() {
        SimulatedNanonis.Config config = ScanWatcherTest.lockstep().shaperTime(Duration.ofSeconds(3)).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, SimulatedFaults.NONE, "127.0.0.1", 0)) {
            RecoveryLadder ladder = ScanWatcherTest.shaperOnly(10).shaperWait(Duration.ofMillis(100)).build();
            ScanWatcher.Summary s = watch(sim, ScanWatcherTest.after(3), condition(ladder).build(),
                    new ScanWatcherTest.Events(), detector());
            assertEquals(ScanWatcher.Outcome.RECOVERY_FAILED, s.outcome());
            assertTrue(s.safeReason().contains("may still be running"), s.safeReason());
            assertTrue(sim.stats().commands().stream().noneMatch(c -> c.startsWith("Scan.Action start")),
                    sim.stats().commands().toString());
            assertTrue(sim.stats().withdrawn());
        }
    }

    @Test
    void linesOf3MsAreReadOrCountedNeverDroppedSilently() throws Exception {
        long session = 4L * LINES;
        SimulatedNanonis.Config config = SimulatedNanonis.Config.builder().seed(3).lines(LINES).pixels(PIXELS)
                .lineTime(Duration.ofMillis(3)).degradePerLine(0).continuous(true).sessionLines(session).scanOnStart(false)
                .build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, SimulatedFaults.NONE, "127.0.0.1", 0);
             NanonisClient c = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(2));
             NanonisClient operator = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(2))) {
            ScanWatcherTest.Events e = new ScanWatcherTest.Events();
            ScanWatcher w = new ScanWatcher(c, null, detector(), ScanWatcherTest.never(),
                    WatchSettings.builder().follow(true).build(), dir.resolve("log.jsonl"), e);
            // the operator starts the scan once watch is watching, and Ctrl-C comes when the session is over
            Thread operatorThread = new Thread(() -> {
                while (e.notes.isEmpty()) {
                    Thread.onSpinWait();
                }
                operator.scanAction(NanonisClient.ScanAction.START, true);
                while (sim.stats().linesAcquired() < session || sim.stats().scanRunning()) {
                    Thread.onSpinWait();
                }
                try {
                    Thread.sleep(300);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
                w.requestStop();
            });
            operatorThread.setDaemon(true);
            operatorThread.start();
            ScanWatcher.Summary s = w.run();
            operatorThread.join(5000);
            assertEquals(session, sim.stats().linesAcquired());
            // every line of every frame the watch saw is classified or counted as not read; a whole frame that
            // passes between two grabs (a stall of 24 line times) is not seen at all (docs/embedding.md)
            assertEquals(s.frames() * (long) LINES, s.lines() + s.linesLost() + s.linesSkipped(), s.toString());
            assertTrue(s.frames() >= 1 && s.lines() + s.linesLost() <= session, s.toString());
        }
    }

    @Test
    void errorTextsUnderStatusZeroAreErrorsRetriedWithoutLosingALine() {
        SimulatedFaults f = SimulatedFaults.builder().errorTextEvery(3).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(ScanWatcherTest.lockstep().build(), f, "127.0.0.1", 0)) {
            ScanWatcher.Summary s = watch(sim, ScanWatcherTest.never(), ScanWatcherTest.fast().build(),
                    new ScanWatcherTest.Events(), detector());
            assertEquals(LINES, s.lines());
            assertTrue(s.readFaults() >= 5, s.toString());
            assertEquals(0, s.reconnects(), "an error answer leaves the connection usable");
        }
    }

    @Test
    void nanPixelsAreRepairedAnInfiniteRowSkippedAndEmptyGrabsNoted() throws IOException {
        SimulatedFaults f = SimulatedFaults.builder().nanPixelEvery(5).infRowAt(6).emptyGrabEvery(7).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(ScanWatcherTest.lockstep().build(), f, "127.0.0.1", 0)) {
            ScanWatcherTest.Events e = new ScanWatcherTest.Events();
            ScanWatcher.Summary s = watch(sim, ScanWatcherTest.never(), ScanWatcherTest.fast().build(), e, detector());
            assertEquals(1, s.frames());
            assertEquals(LINES - 1, s.lines(), "every line but the infinite one is classified");
            assertEquals(1, s.linesSkipped());
            assertEquals(4, s.pixelsRepaired(), "lines 4, 9, 14 and 19 had one NaN pixel each");
            assertTrue(s.emptyGrabs() >= 1, s.toString());
            assertTrue(e.notes.stream().anyMatch(n -> n.contains("line 6: skipped")), e.notes.toString());
        }
        assertTrue(log().stream().anyMatch(n -> n.get("type").asText().equals("line-skipped") && n.get("line").asInt() == 6));
    }

    @Test
    void aRunningScanThatSendsOnlyNaNIsNotedAndTheFrameResumed() {
        SimulatedFaults f = SimulatedFaults.builder().dead(5, Duration.ofMillis(600)).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(ScanWatcherTest.lockstep().build(), f, "127.0.0.1", 0)) {
            ScanWatcherTest.Events e = new ScanWatcherTest.Events();
            ScanWatcher.Summary s = watch(sim, ScanWatcherTest.never(), ScanWatcherTest.fast()
                    .poll(Duration.ofMillis(20)).noDataTimeout(Duration.ofMillis(200)).build(), e, detector());
            assertTrue(s.noDataNotes() >= 1, s.toString());
            assertTrue(e.notes.stream().anyMatch(n -> n.contains("nothing usable") && n.contains("every pixel NaN")),
                    e.notes.toString());
            assertEquals(LINES, s.lines() + s.linesLost(), "every line classified, or counted as never read");
            assertEquals(1, s.frames());
        }
    }

    @Test
    void aSizeChangeStartsAStreamForTheNewSampling() {
        SimulatedFaults f = SimulatedFaults.builder().resize(1, 32, 24).build();
        SimulatedNanonis.Config config = ScanWatcherTest.lockstep().continuous(true).sessionLines(LINES + 32).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, f, "127.0.0.1", 0)) {
            Frames e = new Frames();
            ScanWatcher.Summary s = watch(sim, ScanWatcherTest.never(), ScanWatcherTest.fast().build(), e,
                    new BluntTipDetector(PIXELS, 100, 0.9));
            assertEquals(LINES + 32, s.lines());
            assertEquals(List.of(LINES, 32), e.frames.stream().map(ScanWatcher.FrameStart::rows).toList());
            assertEquals(List.of(PIXELS, 24), e.frames.stream().map(ScanWatcher.FrameStart::columns).toList());
            assertTrue(e.frames.get(0).sampling() != null && e.frames.get(1).sampling() != null);
            assertTrue(e.frames.get(1).sampling().pixelNm() != e.frames.get(0).sampling().pixelNm());
        }
    }

    @Test
    void theChannelIsFoundByNameAndCheckedOnEveryGrab() throws IOException {
        try (SimulatedNanonis sim = SimulatedNanonis.start(ScanWatcherTest.lockstep().build(), SimulatedFaults.NONE,
                "127.0.0.1", 0)) {
            ScanWatcher.Summary s = watch(sim, ScanWatcherTest.never(), ScanWatcherTest.fast().build(),
                    new ScanWatcherTest.Events(), detector());
            assertEquals(LINES, s.lines());
        }
        assertTrue(log().stream().anyMatch(n -> n.get("type").asText().equals("channel") && n.get("index").asInt() == 14));
        try (SimulatedNanonis sim = SimulatedNanonis.start(ScanWatcherTest.lockstep().build(), SimulatedFaults.NONE,
                "127.0.0.1", 0)) {
            NanonisException e = assertThrows(NanonisException.class, () -> watch(sim, ScanWatcherTest.never(),
                    ScanWatcherTest.fast().channel(SimulatedCommands.CURRENT_CHANNEL).build(), new ScanWatcherTest.Events(),
                    detector()));
            assertTrue(e.getMessage().contains("holds 'Current (A)', not 'Z'"), e.getMessage());
        }
    }

    @Test
    void theLadderClimbsShaperPulseAreaThenGivesUpSafely() {
        SimulatedNanonis.Config config = ScanWatcherTest.lockstep().shaperSuccess(0).pulseSuccess(0).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, SimulatedFaults.NONE, "127.0.0.1", 0)) {
            RecoveryLadder ladder = RecoveryLadder.builder().shaperWait(Duration.ofSeconds(5)).graceLines(2).confirmLines(5)
                    .maxAttempts(3).build();
            ScanWatcherTest.Events e = new ScanWatcherTest.Events();
            ScanWatcher.Summary s = watch(sim, ScanWatcherTest.after(3), condition(ladder).build(), e, detector());
            assertEquals(ScanWatcher.Outcome.GAVE_UP, s.outcome());
            assertEquals(3, s.conditionings());
            List<String> commands = sim.stats().commands().stream().map(c -> String.join(" ", java.util.Arrays.asList(c.split(" ")).subList(0, Math.min(2, c.split(" ").length)))).toList();
            assertEquals(List.of("Scan.Action stop", "TipShaper.Start wait=true", "Scan.Action start",
                    "Scan.Action stop", "Bias.Pulse 3.00", "Scan.Action start",
                    "Scan.Action stop", "Scan.FrameSet centre", "Scan.Action start",
                    "Scan.Action stop", "ZCtrl.Withdraw", "Scan.FrameSet centre"), commands);
            assertTrue(sim.stats().commands().get(11).contains("centre 0.0, 0.0"), "the frame is moved back");
            assertEquals(2, e.lines.stream().filter(r -> r.frame() == 1 && r.action().contains("grace")).count());
        }
    }

    @Test
    void aPredictionWithAReasonIsNeverActedOn() {
        ScanLineClassifier inner = detector();
        ScanLineClassifier unsure = new ScanWatcherTest.Recording(inner) {
            @Override
            public LineStream newStream() {
                LineStream s = inner.newStream();
                return new LineStream() {
                    @Override
                    public Prediction push(float[] line) {
                        return s.push(line).withReason(Uncertainty.SAMPLING);
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
            public ModelInfo info() {
                return inner.info();
            }
        };
        try (SimulatedNanonis sim = SimulatedNanonis.start(ScanWatcherTest.lockstep().build(), SimulatedFaults.NONE,
                "127.0.0.1", 0)) {
            ScanWatcherTest.Events e = new ScanWatcherTest.Events();
            ScanWatcher.Summary s = watch(sim, ScanWatcherTest.after(0), ScanWatcherTest.fast()
                    .action(WatchSettings.Action.STOP).build(), e, unsure);
            assertEquals(LINES, s.lines());
            assertEquals(LINES, s.unactedReasons());
            assertEquals(0, s.stops());
            assertTrue(sim.stats().commands().isEmpty());
            assertTrue(e.lines.get(5).action().contains("sampling outside the model's range"), e.lines.get(5).action());
        }
    }
}
