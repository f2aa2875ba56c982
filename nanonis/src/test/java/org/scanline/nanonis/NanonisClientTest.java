package org.scanline.nanonis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against scripted servers: exact bytes on the wire, and every way an answer can go wrong. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NanonisClientTest {
    private static final Duration TIMEOUT = Duration.ofMillis(400);

    private static NanonisClient connect(ScriptedServer s) {
        return NanonisClient.connect("127.0.0.1", s.port(), TIMEOUT);
    }

    /** Answers every request by echoing the name with the given body. */
    private static ScriptedServer answering(byte[] body) throws IOException {
        return new ScriptedServer((s, in, out) -> {
            while (true) {
                ScriptedServer.answer(out, s.read(in).name(), body);
            }
        });
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void requestsFollowTheProtocolByteForByte() throws Exception {
        byte[] grab = new NanonisArgs().string("Z (m)").i32(2).i32(3)
                .f32s(new float[] {1, 2, 3, Float.NaN, Float.NaN, Float.NaN}).u32(0).error(null).bytes();
        try (ScriptedServer s = new ScriptedServer((srv, in, out) -> {
            while (true) {
                ScriptedServer.Request r = srv.read(in);
                byte[] body = switch (r.name()) {
                    case "Scan.StatusGet" -> ScriptedServer.concat(new byte[] {0, 0, 0, 1}, ScriptedServer.ok());
                    case "Scan.FrameDataGrab" -> grab;
                    case "Scan.WaitEndOfScan" -> ScriptedServer.concat(new NanonisArgs().u32(0).u32(4).bytes(),
                            "a.sx".getBytes(StandardCharsets.US_ASCII), ScriptedServer.ok());
                    default -> ScriptedServer.ok();
                };
                ScriptedServer.answer(out, r.name(), body);
            }
        }); NanonisClient c = connect(s)) {
            assertTrue(c.scanRunning());
            FrameData f = c.frameDataGrab(14, true);
            c.scanAction(NanonisClient.ScanAction.STOP, true);
            c.scanAction(NanonisClient.ScanAction.START, false);
            c.tipShaperStart(true, Duration.ofMillis(1500));
            NanonisClient.EndOfScan end = c.waitEndOfScan(Duration.ofMillis(250));

            assertEquals("Z (m)", f.channel());
            assertEquals(2, f.rows());
            assertEquals(3, f.columns());
            assertFalse(f.scanUp());
            assertTrue(f.complete(0));
            assertFalse(f.complete(1));
            assertEquals(new NanonisClient.EndOfScan(false, "a.sx"), end);

            var q = s.requests;
            assertEquals(6, q.size());
            // name zero-padded to 32 bytes, body size, send-response flag 1, two zero bytes
            assertEquals("5363616e2e5374617475734765740000000000000000000000000000000000000000000000010000",
                    hex(q.get(0).header()));
            assertEquals(0, q.get(0).body().length);
            assertEquals("Scan.FrameDataGrab", q.get(1).name());
            assertEquals(8, Protocol.bodySize(q.get(1).header()));
            assertEquals("0000000e00000001", hex(q.get(1).body()));
            assertEquals("0001" + "00000001", hex(q.get(2).body()));
            assertEquals("0000" + "00000000", hex(q.get(3).body()));
            assertEquals("TipShaper.Start", q.get(4).name());
            assertEquals("00000001" + "000005dc", hex(q.get(4).body()));
            assertEquals("000000fa", hex(q.get(5).body()));
        }
    }

    @Test
    void anAnswerForAnotherCommandIsRefusedAndTheConnectionRetired() throws Exception {
        try (ScriptedServer s = new ScriptedServer((srv, in, out) -> {
            srv.read(in);
            ScriptedServer.answer(out, "Scan.Action", ScriptedServer.ok());
            Thread.sleep(10_000);
        }); NanonisClient c = connect(s)) {
            NanonisException e = assertThrows(NanonisException.class, c::scanRunning);
            assertEquals(NanonisException.Kind.PROTOCOL, e.kind());
            assertTrue(e.getMessage().contains("Scan.StatusGet") && e.getMessage().contains("'Scan.Action'"), e.getMessage());
            NanonisException next = assertThrows(NanonisException.class, c::scanRunning);
            assertEquals(NanonisException.Kind.CONNECTION, next.kind());
            assertTrue(next.getMessage().contains("no longer usable"), next.getMessage());
        }
    }

    @Test
    void absurdBodySizesAreRefusedAtOnce() throws Exception {
        for (int size : new int[] {-1, Integer.MAX_VALUE, 3}) {
            try (ScriptedServer s = new ScriptedServer((srv, in, out) -> {
                ScriptedServer.Request r = srv.read(in);
                out.write(ScriptedServer.header(r.name(), size));
                out.flush();
                Thread.sleep(10_000);
            }); NanonisClient c = NanonisClient.connect("127.0.0.1", s.port(), Duration.ofSeconds(5), 1 << 20)) {
                long t0 = System.nanoTime();
                NanonisException e = assertThrows(NanonisException.class, c::scanRunning);
                assertEquals(NanonisException.Kind.PROTOCOL, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains("absurd answer size " + Integer.toUnsignedString(size)), e.getMessage());
                assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "refused without waiting for the body");
            }
        }
    }

    @Test
    void aLostConnectionIsAnErrorNamingTheStage() throws Exception {
        try (ScriptedServer s = new ScriptedServer((srv, in, out) -> {
            ScriptedServer.Request r = srv.read(in);
            out.write(ScriptedServer.header(r.name(), 100));
            out.write(new byte[10]);
            out.flush();
        }); NanonisClient c = connect(s)) {
            NanonisException e = assertThrows(NanonisException.class, () -> c.frameDataGrab(14, true));
            assertEquals(NanonisException.Kind.CONNECTION, e.kind());
            assertTrue(e.getMessage().contains("lost while reading the 100-byte answer")
                    && e.getMessage().contains("after 10 of 100 bytes"), e.getMessage());
        }
    }

    @Test
    void aSilentOrDrippingServerTimesOutOnTheCallsDeadline() throws Exception {
        byte[] full = ScriptedServer.concat(ScriptedServer.header("Scan.StatusGet", 12), new byte[] {0, 0, 0, 1},
                ScriptedServer.ok());
        try (ScriptedServer silent = new ScriptedServer((srv, in, out) -> {
            srv.read(in);
            Thread.sleep(10_000);
        }); ScriptedServer drip = new ScriptedServer((srv, in, out) -> {
            srv.read(in);
            for (byte b : full) {
                out.write(b);
                out.flush();
                Thread.sleep(50);
            }
        })) {
            for (ScriptedServer s : new ScriptedServer[] {silent, drip}) {
                try (NanonisClient c = connect(s)) {
                    long t0 = System.nanoTime();
                    NanonisException e = assertThrows(NanonisException.class, c::scanRunning);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertEquals(NanonisException.Kind.TIMEOUT, e.kind(), e.getMessage());
                    assertTrue(e.getMessage().contains("no complete answer") && e.getMessage().contains("127.0.0.1:"),
                            e.getMessage());
                    assertTrue(ms >= 350 && ms < 1500, "timed out after " + ms + " ms, the limit is 400 ms");
                }
            }
        }
    }

    @Test
    void waitingCallsGetTheirWaitOnTopOfTheTimeout() throws Exception {
        try (ScriptedServer s = new ScriptedServer((srv, in, out) -> {
            ScriptedServer.Request r = srv.read(in);
            Thread.sleep(700);
            ScriptedServer.answer(out, r.name(), ScriptedServer.ok());
        }); NanonisClient c = connect(s)) {
            c.tipShaperStart(true, Duration.ofMillis(800));
        }
    }

    @Test
    void controllerErrorsCarryTheControllersText() throws Exception {
        byte[] failed = new NanonisArgs().error("Scan is running").bytes();
        try (ScriptedServer s = answering(failed); NanonisClient c = connect(s)) {
            NanonisException e = assertThrows(NanonisException.class, () -> c.tipShaperStart(false, Duration.ZERO));
            assertEquals(NanonisException.Kind.SERVER_ERROR, e.kind());
            assertEquals("Nanonis refused TipShaper.Start: Scan is running", e.getMessage());
            // an error answer without the return values is the controller's error too, not a parse failure
            NanonisException g = assertThrows(NanonisException.class, () -> c.frameDataGrab(3, true));
            assertEquals(NanonisException.Kind.SERVER_ERROR, g.kind(), g.getMessage());
            assertTrue(g.getMessage().contains("Scan is running"), g.getMessage());
            // the framing was intact, so the connection stays usable
            assertThrows(NanonisException.class, c::scanRunning);
        }
    }

    @Test
    void malformedBodiesAreProtocolErrorsThatSayWhere() throws Exception {
        ByteBuffer huge = ByteBuffer.allocate(4 + 4 + 4 + 12);
        huge.putInt(0).putInt(3).putInt(3);
        byte[] frameTooBig = huge.array();
        byte[] trailing = ScriptedServer.concat(new byte[] {0, 0, 0, 1}, ScriptedServer.ok(), new byte[] {7});
        byte[] direction = new NanonisArgs().string("Z").i32(1).i32(1).f32(1).u32(5).error(null).bytes();
        try (ScriptedServer a = answering(frameTooBig); ScriptedServer b = answering(trailing);
                ScriptedServer d = answering(direction);
                NanonisClient ca = connect(a); NanonisClient cb = connect(b); NanonisClient cd = connect(d)) {
            NanonisException e = assertThrows(NanonisException.class, () -> ca.frameDataGrab(14, true));
            assertEquals(NanonisException.Kind.PROTOCOL, e.kind());
            assertTrue(e.getMessage().contains("3 × 3 float32 frame needs 36 bytes, the answer has 12 left"), e.getMessage());
            NanonisException t = assertThrows(NanonisException.class, cb::scanRunning);
            assertTrue(t.getMessage().contains("1 unexpected bytes after the error section"), t.getMessage());
            NanonisException dir = assertThrows(NanonisException.class, () -> cd.frameDataGrab(14, true));
            assertTrue(dir.getMessage().contains("scan direction 5"), dir.getMessage());
        }
    }

    @Test
    void connectingToNothingSaysWhere() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        NanonisException e = assertThrows(NanonisException.class,
                () -> NanonisClient.connect("127.0.0.1", port, TIMEOUT));
        assertEquals(NanonisException.Kind.CONNECTION, e.kind());
        assertTrue(e.getMessage().startsWith("cannot connect to Nanonis at 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void talksToTheSimulatedServer() {
        SimulatedNanonis.Config config = SimulatedNanonis.Config.builder().lines(24).pixels(16).lockstep(true)
                .lineTime(Duration.ZERO).degradePerLine(0).build();
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, "127.0.0.1", 0);
             NanonisClient c = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(5))) {
            assertTrue(c.scanRunning());
            FrameData f = c.frameDataGrab(14, true);
            assertEquals("Z (m)", f.channel());
            assertTrue(f.complete(0) && !f.complete(1), "one line per grab in lockstep");
            NanonisException busy = assertThrows(NanonisException.class, () -> c.tipShaperStart(true, Duration.ofSeconds(1)));
            assertTrue(busy.getMessage().contains("while a scan is running"), busy.getMessage());
            NanonisException channel = assertThrows(NanonisException.class, () -> c.frameDataGrab(3, true));
            assertTrue(channel.getMessage().contains("channel 3 is not in the scan buffer"), channel.getMessage());
            c.scanAction(NanonisClient.ScanAction.STOP, true);
            assertFalse(c.scanRunning());
            assertEquals(new NanonisClient.EndOfScan(false, ""), c.waitEndOfScan(Duration.ofMillis(100)));
            c.tipShaperStart(true, Duration.ofSeconds(5));
            assertEquals(1, sim.stats().shaperRuns());
            assertFalse(sim.stats().shaperRunning());
        }
    }

    @Test
    void writingToAClosedClientFailsClearly() throws Exception {
        try (ScriptedServer s = answering(ScriptedServer.ok())) {
            NanonisClient c = connect(s);
            c.close();
            c.close();
            NanonisException e = assertThrows(NanonisException.class, c::scanRunning);
            assertEquals(NanonisException.Kind.CONNECTION, e.kind());
            assertTrue(e.getMessage().contains("it was closed"), e.getMessage());
        }
    }
}
