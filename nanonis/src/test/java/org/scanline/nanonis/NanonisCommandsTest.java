package org.scanline.nanonis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The typed commands against a scripted server, byte for byte as SPECS' Python client
 * ({@code nanonis_spm}) sends them (its type letters in the comments), the strict error section and
 * waits of −1.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NanonisCommandsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(400);

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void theCommonCommandsFollowTheVendorsLayouts() throws Exception {
        try (ScriptedServer s = new ScriptedServer((srv, in, out) -> {
            while (true) {
                ScriptedServer.Request r = srv.read(in);
                byte[] body = switch (r.name()) {
                    case "Scan.FrameGet" -> new NanonisArgs().f32(1e-9f).f32(-2e-9f).f32(2e-8f).f32(1e-8f).f32(30)
                            .error(null).bytes();
                    case "Scan.BufferGet" -> new NanonisArgs().i32(2).i32(0).i32(14).i32(256).i32(128).error(null).bytes();
                    case "Scan.SpeedGet" -> new NanonisArgs().f32(1e-7f).f32(2e-7f).f32(0.2f).f32(0.1f).u16(1).f32(2)
                            .error(null).bytes();
                    default -> ScriptedServer.ok();
                };
                ScriptedServer.answer(out, r.name(), body);
            }
        }); NanonisClient c = NanonisClient.connect("127.0.0.1", s.port(), TIMEOUT)) {
            c.biasPulse(true, Duration.ofMillis(100), 3f, 1, 2);
            c.zCtrlWithdraw(true, NanonisClient.FOREVER);
            ScanFrame f = c.frameGet();
            c.frameSet(f.moved(10, 0));
            ScanBuffer b = c.bufferGet();
            ScanSpeed v = c.speedGet();
            c.motorStartMove(3, 100, 0, false, Duration.ZERO);
            c.call("Bias.Set", Duration.ZERO, new NanonisArgs().f32(0.5f), NanonisReply::none);

            assertEquals(new ScanFrame(1e-9f, -2e-9f, 2e-8f, 1e-8f, 30), f);
            assertArrayEquals(new int[] {0, 14}, b.channels());
            assertEquals(256, b.pixels());
            assertEquals(128, b.lines());
            assertEquals(0.3, v.lineTime(), 1e-6);
            assertEquals(1, v.keepConstant());
            var q = s.requests;
            assertEquals("Bias.Pulse", q.get(0).name());
            // [I f f H H]: wait 1, 0.1 s, 3 V, Z hold 1, absolute 2
            assertEquals("00000001" + "3dcccccd" + "40400000" + "0001" + "0002", hex(q.get(0).body()));
            // [I i]: wait 1, −1 = forever
            assertEquals("ZCtrl.Withdraw", q.get(1).name());
            assertEquals("00000001" + "ffffffff", hex(q.get(1).body()));
            assertEquals(0, q.get(2).body().length);
            // [f f f f f]: the centre moved by 10 nm along x
            assertEquals("Scan.FrameSet", q.get(3).name());
            assertEquals(20, q.get(3).body().length);
            assertEquals(11e-9f, java.nio.ByteBuffer.wrap(q.get(3).body()).getFloat(), 1e-15f);
            assertEquals("Scan.BufferGet", q.get(4).name());
            assertEquals("Scan.SpeedGet", q.get(5).name());
            // [I H I I]: Y−, 100 steps, group 0, no wait
            assertEquals("Motor.StartMove", q.get(6).name());
            assertEquals("00000003" + "0064" + "00000000" + "00000000", hex(q.get(6).body()));
            assertEquals("3f000000", hex(q.get(7).body()));
        }
    }

    @Test
    void anErrorTextWithStatusZeroIsAnErrorAndTheConnectionStaysUsable() throws Exception {
        try (ScriptedServer s = new ScriptedServer((srv, in, out) -> {
            ScriptedServer.Request r = srv.read(in);
            ScriptedServer.answer(out, r.name(), ScriptedServer.concat(new byte[] {0, 0, 0, 1},
                    new NanonisArgs().u32(0).string("Scan module not open").bytes()));
            r = srv.read(in);
            ScriptedServer.answer(out, r.name(), ScriptedServer.concat(new byte[] {0, 0, 0, 0}, ScriptedServer.ok()));
            r = srv.read(in);
            // an answer that left out its return values: nothing but the error section, status 0
            ScriptedServer.answer(out, r.name(), new NanonisArgs().u32(0).string("buffer busy").bytes());
            Thread.sleep(10_000);
        }); NanonisClient c = NanonisClient.connect("127.0.0.1", s.port(), TIMEOUT)) {
            NanonisException e = assertThrows(NanonisException.class, c::scanRunning);
            assertEquals(NanonisException.Kind.SERVER_ERROR, e.kind());
            assertTrue(e.getMessage().contains("Scan module not open") && e.getMessage().contains("error status 0"),
                    e.getMessage());
            assertEquals(false, c.scanRunning(), "a server error leaves the connection usable");
            NanonisException g = assertThrows(NanonisException.class, () -> c.frameDataGrab(14, true));
            assertEquals(NanonisException.Kind.SERVER_ERROR, g.kind());
            assertTrue(g.getMessage().contains("buffer busy"), g.getMessage());
        }
    }

    @Test
    void aWaitOfMinusOneIsSentAndTheCallWaitsPastItsTimeout() throws Exception {
        try (ScriptedServer s = new ScriptedServer((srv, in, out) -> {
            ScriptedServer.Request r = srv.read(in);
            Thread.sleep(3 * TIMEOUT.toMillis());
            ScriptedServer.answer(out, r.name(), ScriptedServer.concat(new NanonisArgs().u32(0).u32(0).bytes(),
                    ScriptedServer.ok()));
        }); NanonisClient c = NanonisClient.connect("127.0.0.1", s.port(), TIMEOUT)) {
            NanonisClient.EndOfScan end = c.waitEndOfScan(NanonisClient.FOREVER);
            assertEquals(new NanonisClient.EndOfScan(false, ""), end);
            assertEquals("ffffffff", hex(s.requests.get(0).body()));
        }
    }
}
