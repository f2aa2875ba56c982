package org.scanline.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.scanline.BadConfigException;
import org.scanline.nanonis.SimulatedFaults;
import org.scanline.nanonis.SimulatedNanonis;
import org.scanline.simulate.SimulatorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scanline nanonis-sim --port P}: a simulated Nanonis controller to try {@code watch} against
 * (see {@link SimulatedNanonis}). Runs until Ctrl-C or {@code --duration-s}, printing what the
 * simulated microscope does.
 */
@Command(name = "nanonis-sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a simulated Nanonis controller scanning H:Si(100) with a tip that degrades at random.",
            "Speaks the Nanonis TCP programming interface for Scan.StatusGet, Scan.FrameDataGrab, Scan.Action, "
                    + "Scan.WaitEndOfScan, Scan.BufferGet, Scan.FrameGet, Scan.FrameSet, Scan.SpeedGet, TipShaper.Start, "
                    + "Bias.Pulse, ZCtrl.Withdraw and Motor.StartMove; the tip shaper (and, by chance, a bias pulse) "
                    + "restores a good tip; --fault-* flags inject the faults of a real lab. Example: "
                    + "`scanline nanonis-sim --port 6501` in one terminal, "
                    + "`scanline watch --nanonis localhost:6501 --action condition model.onnx` in another."})
final class NanonisSimCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "6501", description = "Port to listen on, 0 for any (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--seed", defaultValue = "1", description = "Frames, tip hazards and shaper outcomes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lines", defaultValue = "128", description = "Lines per frame (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = "--pixels", defaultValue = "128", description = "Pixels per line (default: ${DEFAULT-VALUE}).")
    int pixels;

    @Option(names = "--line-time-ms", defaultValue = "1000", description = "Time per line (default: ${DEFAULT-VALUE} ms).")
    long lineTimeMs;

    @Option(names = "--degrade", defaultValue = "0.0033",
            description = "Probability per line that the tip turns bad (default: ${DEFAULT-VALUE}).")
    double degrade;

    @Option(names = "--bad-class", defaultValue = "rows",
            description = "Simulator class of the bad tip: asymmetries/dimers, rows or generic defects, or 1–3 (default: ${DEFAULT-VALUE}).")
    String badClass;

    @Option(names = "--shaper-s", defaultValue = "2", description = "Tip shaper duration (default: ${DEFAULT-VALUE} s).")
    double shaperS;

    @Option(names = "--shaper-success", defaultValue = "1",
            description = "Probability that the tip shaper restores a good tip (default: ${DEFAULT-VALUE}).")
    double shaperSuccess;

    @Option(names = "--down", description = "The first scan runs down (default: up).")
    boolean down;

    @Option(names = "--idle", description = "No scan running at the start (default: scanning).")
    boolean idle;

    @Option(names = "--continuous", description = "Start the next frame when one ends (Nanonis' continuous scan; default: off).")
    boolean continuous;

    @Option(names = "--session-lines", defaultValue = "0",
            description = "Stop scanning for good after this many lines (default: ${DEFAULT-VALUE} = never).")
    long sessionLines;

    @Option(names = "--rows-in-acquisition-order",
            description = "Serve row 0 as the first line acquired whatever the direction (default: bottom row first).")
    boolean rowsInAcquisitionOrder;

    @Option(names = "--channel", defaultValue = "14", description = "Channel index serving Z (default: ${DEFAULT-VALUE}).")
    int channel;

    @Option(names = "--lockstep",
            description = "Acquire one line per Scan.FrameDataGrab (when due): sessions that do not depend on timing (default: off).")
    boolean lockstep;

    @Option(names = "--duration-s", defaultValue = "0", description = "Stop after this long (default: ${DEFAULT-VALUE} = until Ctrl-C).")
    double durationS;

    @Option(names = "--pulse-success", defaultValue = "0.5",
            description = "Probability that a bias pulse restores a good tip (default: ${DEFAULT-VALUE}).")
    double pulseSuccess;

    @Option(names = "--fault-restart-at-line", defaultValue = "-1", paramLabel = "N",
            description = "Fault: the TCP interface restarts after N lines in all, the scan going on (default: never).")
    long restartAtLine;

    @Option(names = "--fault-kill-during-shaper",
            description = "Fault: TipShaper.Start drops every connection; the shaper runs on (default: off).")
    boolean killDuringShaper;

    @Option(names = "--fault-down-ms", defaultValue = "500",
            description = "How long the interface stays down after a restart or a kill (default: ${DEFAULT-VALUE} ms).")
    long downMs;

    @Option(names = "--fault-error-text-every", defaultValue = "0", paramLabel = "N",
            description = "Fault: every N-th frame grab carries an error text under error status 0 (default: never).")
    int errorTextEvery;

    @Option(names = "--fault-nan-pixel-every", defaultValue = "0", paramLabel = "N",
            description = "Fault: every N-th line has one NaN pixel (default: never).")
    int nanPixelEvery;

    @Option(names = "--fault-inf-row", defaultValue = "-1", paramLabel = "LINE",
            description = "Fault: this line of every frame is acquired as +Inf (default: none).")
    int infRow;

    @Option(names = "--fault-empty-grab-every", defaultValue = "0", paramLabel = "N",
            description = "Fault: every N-th frame grab answers 0 × 0 (default: never).")
    int emptyGrabEvery;

    @Option(names = "--fault-dead-at-line", defaultValue = "-1", paramLabel = "N",
            description = "Fault: after N lines in all, grabs serve only NaN for --fault-dead-ms (default: never).")
    long deadAtLine;

    @Option(names = "--fault-dead-ms", defaultValue = "0", description = "How long grabs serve only NaN (default: ${DEFAULT-VALUE} ms).")
    long deadMs;

    @Option(names = "--fault-resize", paramLabel = "FRAME:LINES:PIXELS",
            description = "Fault: from frame FRAME on, frames are LINES × PIXELS (default: never).")
    String resize;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        SimulatedNanonis.Config config = SimulatedNanonis.Config.builder().seed(seed).lines(lines).pixels(pixels)
                .lineTime(Duration.ofMillis(lineTimeMs)).degradePerLine(degrade).badClass(badClass(badClass))
                .shaperTime(Duration.ofMillis((long) (shaperS * 1000))).shaperSuccess(shaperSuccess).startUp(!down)
                .scanOnStart(!idle).continuous(continuous).sessionLines(sessionLines)
                .rowsInAcquisitionOrder(rowsInAcquisitionOrder).zChannel(channel).lockstep(lockstep)
                .pulseSuccess(pulseSuccess).build();
        SimulatedFaults.Builder fb = SimulatedFaults.builder().restartAtLine(restartAtLine).killDuringShaper(killDuringShaper)
                .downTime(Duration.ofMillis(downMs)).errorTextEvery(errorTextEvery).nanPixelEvery(nanPixelEvery)
                .infRowAt(infRow).emptyGrabEvery(emptyGrabEvery).dead(deadAtLine, Duration.ofMillis(deadMs));
        if (resize != null) {
            String[] p = resize.strip().split(":");
            try {
                fb.resize(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            } catch (RuntimeException e) {
                throw new BadConfigException("--fault-resize: expected FRAME:LINES:PIXELS (e.g. 2:64:64), found '" + resize + "'");
            }
        }
        SimulatedFaults faults = fb.build();
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch done = new CountDownLatch(1);
        try (SimulatedNanonis sim = SimulatedNanonis.start(config, faults, bind, port)) {
            out.printf(Locale.ROOT, "simulated Nanonis on %s:%d — %d × %d frames, %d ms per line, tip turns %s with p = %.4f "
                    + "per line, tip shaper %.1f s; Z on channel %d%n", bind, sim.port(), lines, pixels, lineTimeMs,
                    SimulatorConfig.CLASS_NAMES.get(config.badClass()), degrade, shaperS, channel);
            out.flush();
            Thread hook = new Thread(() -> {
                done.countDown();
                report(out, sim.stats());
            }, "nanonis-sim-ctrl-c");
            Runtime.getRuntime().addShutdownHook(hook);
            long end = durationS > 0 ? System.nanoTime() + (long) (durationS * 1e9) : Long.MAX_VALUE;
            SimulatedNanonis.Stats last = null;
            try {
                while (System.nanoTime() < end && !done.await(200, TimeUnit.MILLISECONDS)) {
                    SimulatedNanonis.Stats s = sim.stats();
                    if (last == null || s.frames() != last.frames() || s.tipGood() != last.tipGood()
                            || s.commands().size() != last.commands().size() || s.scanRunning() != last.scanRunning()) {
                        for (int i = last == null ? 0 : last.commands().size(); i < s.commands().size(); i++) {
                            out.println("nanonis-sim: " + s.commands().get(i));
                        }
                        out.printf(Locale.ROOT, "nanonis-sim: frame %d, scan %s, tip %s; %d lines, %.1f %% with a bad tip%n",
                                Math.max(0, s.frames() - 1), s.scanRunning() ? "running" : "stopped",
                                s.shaperRunning() ? "being shaped" : s.tipGood() ? "good" : "BAD", s.linesAcquired(),
                                100 * s.badTipFraction());
                        out.flush();
                        last = s;
                    }
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    report(out, sim.stats());
                } catch (IllegalStateException shuttingDown) {
                    // the hook reports
                }
            }
        }
        return 0;
    }

    private static void report(PrintWriter out, SimulatedNanonis.Stats s) {
        out.printf(Locale.ROOT, "nanonis-sim: %d lines in %d frames, %d with a bad tip (%.1f %%), %d tip shaper runs, "
                + "%d bias pulses%s%n", s.linesAcquired(), s.frames(), s.badTipLines(), 100 * s.badTipFraction(),
                s.shaperRuns(), s.pulses(), s.withdrawn() ? "; the tip is withdrawn" : "");
        if (!s.badEpisodes().isEmpty()) {
            out.printf(Locale.ROOT, "nanonis-sim: %d bad-tip episodes ended by the tip shaper, bad lines per episode: median %d, "
                    + "p90 %d, max %d; %d shaper runs on a good tip%n", s.badEpisodes().size(), s.badEpisodeQuantile(0.5),
                    s.badEpisodeQuantile(0.9), s.badEpisodeQuantile(1), s.shaperRunsOnAGoodTip());
        }
        out.flush();
    }

    static int badClass(String s) {
        String v = s.strip();
        int i = SimulatorConfig.CLASS_NAMES.indexOf(v);
        if (i < 0 && v.matches("\\d")) {
            i = Integer.parseInt(v);
        }
        if (i < 1 || i > 3) {
            throw new BadConfigException("--bad-class: expected one of " + SimulatorConfig.CLASS_NAMES.subList(1, 4)
                    + " or 1–3, found '" + s + "'");
        }
        return i;
    }
}
