package org.scanline.nanonis;

import java.util.concurrent.atomic.AtomicLong;

/** The commands {@link SimulatedNanonis} answers, each decoded, run on the microscope and answered. */
final class SimulatedCommands {
    /** The channel that serves the current (Z scaled by 1e-3), beside Z. */
    static final int CURRENT_CHANNEL = 0;
    private static final String COMMANDS = "Scan.StatusGet, Scan.FrameDataGrab, Scan.Action, Scan.WaitEndOfScan, "
            + "Scan.BufferGet, Scan.FrameGet, Scan.FrameSet, Scan.SpeedGet, TipShaper.Start, Bias.Pulse, ZCtrl.Withdraw "
            + "and Motor.StartMove";
    private final SimulatedNanonis.Config config;
    private final SimulatedFaults faults;
    private final SimulatedMicroscope microscope;
    private final Runnable goDown;
    private final AtomicLong grabs = new AtomicLong();

    SimulatedCommands(SimulatedNanonis.Config config, SimulatedFaults faults, SimulatedMicroscope microscope,
            Runnable goDown) {
        this.config = config;
        this.faults = faults;
        this.microscope = microscope;
        this.goDown = goDown;
    }

    /** @return the response body (return values, then the error section), or null to drop the connection */
    byte[] handle(String command, byte[] body) throws InterruptedException {
        NanonisReply r = new NanonisReply(command, body);
        NanonisArgs w = new NanonisArgs();
        try {
            switch (command) {
                case "Scan.StatusGet" -> {
                    r.end();
                    w.u32(microscope.running() ? 1 : 0).error(null);
                }
                case "Scan.FrameDataGrab" -> {
                    return grab(r, w);
                }
                case "Scan.Action" -> {
                    int action = r.u16("the scan action");
                    long direction = r.u32("the scan direction");
                    r.end();
                    w.error(microscope.action(action, direction == 1));
                }
                case "Scan.WaitEndOfScan" -> {
                    int timeout = r.i32("the timeout");
                    r.end();
                    boolean timedOut = microscope.waitEndOfScan(timeout);
                    w.u32(timedOut ? 1 : 0).u32(0).error(null);
                }
                case "TipShaper.Start" -> {
                    boolean wait = r.u32("the wait flag") != 0;
                    int timeout = r.i32("the timeout");
                    r.end();
                    if (faults.killDuringShaper()) {
                        String refused = microscope.tipShaper(false, timeout);
                        if (refused == null) {
                            goDown.run();
                            return null;
                        }
                        w.error(refused);
                    } else {
                        w.error(microscope.tipShaper(wait, timeout));
                    }
                }
                case "Scan.BufferGet" -> {
                    r.end();
                    int[] size = microscope.size();
                    int[] channels = config.zChannel() == CURRENT_CHANNEL ? new int[] {config.zChannel()}
                            : new int[] {CURRENT_CHANNEL, config.zChannel()};
                    w.i32s(channels).i32(size[0]).i32(size[1]).error(null);
                }
                case "Scan.FrameGet" -> {
                    r.end();
                    ScanFrame f = microscope.frame();
                    w.f32(f.centerX()).f32(f.centerY()).f32(f.width()).f32(f.height()).f32(f.angle()).error(null);
                }
                case "Scan.FrameSet" -> {
                    ScanFrame f = new ScanFrame(r.f32("x"), r.f32("y"), r.f32("width"), r.f32("height"), r.f32("angle"));
                    r.end();
                    microscope.frameSet(f);
                    w.error(null);
                }
                case "Scan.SpeedGet" -> {
                    r.end();
                    float half = config.lineTime().toNanos() / 2e9f;
                    float speed = half > 0 ? microscope.frame().width() / half : 0;
                    w.f32(speed).f32(speed).f32(half).f32(half).u16(1).f32(1).error(null);
                }
                case "Bias.Pulse" -> {
                    r.u32("the wait flag");
                    float width = r.f32("the pulse width");
                    float bias = r.f32("the bias");
                    r.u16("the Z controller hold");
                    r.u16("absolute or relative");
                    r.end();
                    w.error(microscope.pulse(width, bias));
                }
                case "ZCtrl.Withdraw" -> {
                    r.u32("the wait flag");
                    r.i32("the timeout");
                    r.end();
                    microscope.withdraw();
                    w.error(null);
                }
                case "Motor.StartMove" -> {
                    long direction = r.u32("the direction");
                    int steps = r.u16("the steps");
                    r.u32("the group");
                    r.u32("the wait flag");
                    r.end();
                    microscope.note("Motor.StartMove direction " + direction + ", " + steps + " steps");
                    w.error(null);
                }
                default -> w.error("unknown command '" + command + "': the simulated Nanonis knows " + COMMANDS);
            }
        } catch (NanonisException e) {
            return new NanonisArgs().error(e.getMessage()).bytes();
        }
        return w.bytes();
    }

    private byte[] grab(NanonisReply r, NanonisArgs w) {
        long channel = r.u32("the channel index");
        r.u32("the data direction");
        r.end();
        boolean current = channel == CURRENT_CHANNEL && config.zChannel() != CURRENT_CHANNEL;
        if (channel != config.zChannel() && !current) {
            return w.string("").i32(0).i32(0).u32(0).error("channel " + channel + " is not in the scan buffer: the "
                    + "simulated microscope records channels " + CURRENT_CHANNEL + " (Current) and " + config.zChannel()
                    + " (Z)").bytes();
        }
        long n = grabs.incrementAndGet();
        FrameData f = current ? microscope.grab("Current (A)", 1e-3f) : microscope.grab("Z (m)", 1);
        if (faults.emptyGrabEvery() > 0 && n % faults.emptyGrabEvery() == 0) {
            f = new FrameData(f.channel(), 0, 0, new float[0], f.scanUp());
        }
        w.string(f.channel()).i32(f.rows()).i32(f.columns()).f32s(f.data()).u32(f.scanUp() ? 1 : 0);
        if (faults.errorTextEvery() > 0 && n % faults.errorTextEvery() == 0) {
            return w.u32(0).string("Scan.FrameDataGrab: the scan buffer is being reconfigured").bytes();
        }
        return w.error(null).bytes();
    }
}
