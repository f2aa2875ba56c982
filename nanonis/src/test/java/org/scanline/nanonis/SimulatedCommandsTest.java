package org.scanline.nanonis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulated controller on its built-in surface, through the client's typed calls. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SimulatedCommandsTest {

    private static SimulatedNanonis.Config.Builder config() {
        return SimulatedNanonis.Config.builder().lines(8).pixels(16).lockstep(true).lineTime(Duration.ZERO)
                .degradePerLine(0).shaperTime(Duration.ZERO).pulseSuccess(1);
    }

    @Test
    void everyTypedCommandIsServed() {
        try (SimulatedNanonis sim = SimulatedNanonis.start(config().build(), SimulatedFaults.NONE,
                SimulatedSurfaces::plain, "127.0.0.1", 0);
             NanonisClient c = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(2))) {
            ScanBuffer b = c.bufferGet();
            assertArrayEquals(new int[] {0, 14}, b.channels());
            assertEquals(16, b.pixels());
            assertEquals(8, b.lines());
            assertEquals(20e-9f, c.frameGet().width(), 1e-12f);
            assertEquals("Z (m)", c.frameDataGrab(14, true).channel());
            assertEquals("Current (A)", c.frameDataGrab(0, true).channel());
            c.frameSet(c.frameGet().moved(30, 0));
            assertEquals(30e-9f, c.frameGet().centerX(), 1e-12f);
            c.biasPulse(true, Duration.ofMillis(10), 3f, 1, 2);
            c.motorStartMove(4, 10, 0, true, Duration.ofSeconds(1));
            c.zCtrlWithdraw(true, Duration.ofSeconds(1));
            assertTrue(sim.stats().withdrawn());
            assertFalse(c.scanRunning(), "withdrawing stops the scan");
            NanonisException refused = assertThrows(NanonisException.class,
                    () -> c.scanAction(NanonisClient.ScanAction.START, true));
            assertTrue(refused.getMessage().contains("the tip is withdrawn"), refused.getMessage());
            assertEquals(1, sim.stats().pulses());
        }
    }

    @Test
    void errorTextsUnderStatusZeroAndEmptyGrabsAreServedAsConfigured() {
        SimulatedFaults f = SimulatedFaults.builder().errorTextEvery(2).emptyGrabEvery(3).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(config().build(), f, SimulatedSurfaces::plain, "127.0.0.1", 0);
             NanonisClient c = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(2))) {
            assertEquals(8, c.frameDataGrab(14, true).rows());
            NanonisException e = assertThrows(NanonisException.class, () -> c.frameDataGrab(14, true));
            assertEquals(NanonisException.Kind.SERVER_ERROR, e.kind());
            assertEquals(0, c.frameDataGrab(14, true).rows(), "the third grab is 0 × 0");
        }
    }
}
