package org.scanline.nanonis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scanline.BadConfigException;

/** The simulated controller on its own: reproducible frames, line timing, tip hazards and the tip shaper. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SimulatedNanonisTest {

    static SimulatedNanonis.Config.Builder base() {
        return SimulatedNanonis.Config.builder().seed(11).lines(24).pixels(16).lockstep(true).lineTime(Duration.ZERO)
                .shaperTime(Duration.ZERO).recordLines(true);
    }

    static FrameData grabAll(SimulatedNanonis.Config config) {
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, "127.0.0.1", 0);
             NanonisClient c = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(5))) {
            FrameData f = null;
            for (int i = 0; i < config.lines(); i++) {
                f = c.frameDataGrab(14, true);
            }
            assertFalse(c.scanRunning());
            return f;
        }
    }

    @Test
    void aSeedGivesTheSameFramesAndAnotherSeedOthers() {
        FrameData a = grabAll(base().degradePerLine(0.05).build());
        FrameData b = grabAll(base().degradePerLine(0.05).build());
        FrameData c = grabAll(base().seed(12).degradePerLine(0.05).build());
        assertArrayEquals(a.data(), b.data());
        assertFalse(java.util.Arrays.equals(a.data(), c.data()));
        for (int r = 0; r < a.rows(); r++) {
            assertTrue(a.complete(r));
        }
    }

    @Test
    void upScansFillFromRowZeroAndDownScansFromTheLastRow() {
        for (boolean up : new boolean[] {true, false}) {
            try (SimulatedNanonis sim = SimulatedNanonis.start(base().startUp(up).build(), "127.0.0.1", 0);
                 NanonisClient c = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(5))) {
                FrameData f = null;
                for (int i = 0; i < 3; i++) {
                    f = c.frameDataGrab(14, true);
                }
                assertEquals(up, f.scanUp());
                for (int r = 0; r < 24; r++) {
                    boolean acquired = up ? r < 3 : r >= 21;
                    assertEquals(acquired, f.complete(r), "up=" + up + " row " + r);
                }
            }
        }
    }

    @Test
    void theTipTurnsBadMidFrameAndTheShaperRestoresIt() {
        try (SimulatedNanonis sim = SimulatedNanonis.start(base().degradePerLine(0.2).build(), "127.0.0.1", 0);
             NanonisClient c = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(5))) {
            int i = 0;
            while (sim.stats().tipGood() && i++ < 24) {
                c.frameDataGrab(14, true);
            }
            assertFalse(sim.stats().tipGood(), "p = 0.2 per line turns the tip within a frame");
            List<SimulatedMicroscope.Line> lines = sim.lines();
            assertTrue(lines.get(lines.size() - 1).badTip());
            c.scanAction(NanonisClient.ScanAction.STOP, true);
            c.tipShaperStart(true, Duration.ofSeconds(5));
            assertTrue(sim.stats().tipGood());
            assertEquals(1, sim.stats().shaperRuns());
            long bad = sim.stats().badTipLines();
            c.scanAction(NanonisClient.ScanAction.START, true);
            assertEquals(2, sim.stats().frames());
            assertEquals(bad, sim.stats().badTipLines());
        }
    }

    @Test
    void aFailedShaperRunLeavesTheTipBad() {
        try (SimulatedNanonis sim = SimulatedNanonis.start(base().degradePerLine(1).shaperSuccess(0).build(), "127.0.0.1", 0);
             NanonisClient c = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(5))) {
            c.frameDataGrab(14, true);
            c.scanAction(NanonisClient.ScanAction.STOP, true);
            c.tipShaperStart(true, Duration.ofSeconds(5));
            assertFalse(sim.stats().tipGood());
        }
    }

    @Test
    void realTimeScansAcquireALineEveryLineTimeAndWaitEndOfScanReturnsAtTheEnd() {
        SimulatedNanonis.Config config = SimulatedNanonis.Config.builder().lines(24).pixels(16)
                .lineTime(Duration.ofMillis(10)).degradePerLine(0).recordLines(true).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, "127.0.0.1", 0);
             NanonisClient c = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(5))) {
            NanonisClient.EndOfScan end = c.waitEndOfScan(Duration.ofSeconds(20));
            assertFalse(end.timedOut());
            assertFalse(c.scanRunning());
            List<SimulatedMicroscope.Line> lines = sim.lines();
            assertEquals(24, lines.size());
            long span = lines.get(23).acquiredNanos() - lines.get(0).acquiredNanos();
            assertEquals(23 * 10_000_000L, span, "acquisition times follow the line time exactly");
            c.scanAction(NanonisClient.ScanAction.START, false);
            assertTrue(c.waitEndOfScan(Duration.ofMillis(30)).timedOut());
        }
    }

    @Test
    void theShaperWaitsWhenAskedAndRefusesWhileScanning() {
        SimulatedNanonis.Config config = base().shaperTime(Duration.ofMillis(300)).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, "127.0.0.1", 0);
             NanonisClient c = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(5))) {
            assertThrows(NanonisException.class, () -> c.tipShaperStart(true, Duration.ofSeconds(1)));
            c.scanAction(NanonisClient.ScanAction.STOP, true);
            long t0 = System.nanoTime();
            c.tipShaperStart(true, Duration.ofSeconds(5));
            assertTrue(System.nanoTime() - t0 >= 290_000_000L, "waited for the shaper");
            c.tipShaperStart(false, Duration.ZERO);
            assertTrue(sim.stats().shaperRunning());
            NanonisException busy = assertThrows(NanonisException.class,
                    () -> c.scanAction(NanonisClient.ScanAction.START, true));
            assertTrue(busy.getMessage().contains("tip shaper is running"), busy.getMessage());
        }
    }

    @Test
    void unknownCommandsGetAnErrorAnswerAndBadConfigsAreRefused() throws Exception {
        try (SimulatedNanonis sim = SimulatedNanonis.start(base().build(), "127.0.0.1", 0)) {
            byte[] answer = sim.handle("Bias.Set", new byte[4]);
            NanonisException e = assertThrows(NanonisException.class, () -> new NanonisReply("Bias.Set", answer).finish());
            assertTrue(e.getMessage().contains("unknown command 'Bias.Set'"), e.getMessage());
            byte[] shortBody = sim.handle("Scan.Action", new byte[3]);
            NanonisException s = assertThrows(NanonisException.class, () -> new NanonisReply("Scan.Action", shortBody).finish());
            assertTrue(s.getMessage().contains("the scan direction"), s.getMessage());
        }
        assertThrows(BadConfigException.class, () -> base().badClass(0).build());
        assertThrows(BadConfigException.class, () -> base().lockstep(false).build());
        assertThrows(BadConfigException.class, () -> base().lines(0).build());
        // the project simulator refuses frames of fewer than 24 lines, when the first frame is made
        assertThrows(BadConfigException.class, () -> SimulatedNanonis.start(base().lines(10).build(), "127.0.0.1", 0));
    }
}
