package org.scanline.nanonis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The state of the simulated instrument behind {@link SimulatedNanonis}: a scan that acquires one
 * line every line time, a tip that degrades at random and is restored by the tip shaper. Time is
 * evaluated lazily: each call first acquires every line that has fallen due since the last one, so
 * no thread runs the scan. Every method is synchronised; waits release the monitor.
 *
 * <p>A frame comes from the {@link SimulatedSurfaces}: frame {@code f} as a good tip sees it, and the
 * bad-tip lines of that frame from frame {@code f} as a bad tip sees it (with the project simulator:
 * scan {@code f} of seed {@code s} among individual-atom scans, and among scans of the bad class). The tip is good at the start; before every acquired
 * line it turns bad with the configured probability (one draw per line whatever the tip's state, so
 * two sessions of one seed meet the same hazards at the same line counts).
 */
final class SimulatedMicroscope {
    /** One acquired line, for tests and measurements. */
    record Line(int frame, int line, int row, boolean badTip, long acquiredNanos) {
    }

    private final SimulatedNanonis.Config config;
    private final SimulatedFaults faults;
    private final Runnable interfaceDown;
    private final SimulatedSurfaces surfaces;
    private final SplittableRandom pulseOutcome;
    private final SplittableRandom hazard;
    private final SplittableRandom shaperOutcome;
    private final List<Line> record;
    private final List<String> commands = new ArrayList<>();

    private boolean running;
    private boolean paused;
    private boolean up;
    private int frame = -1;
    private int acquired;
    private long nextDue;
    private float[] data;
    private SimulatedSurfaces.Frame goodScan;
    private SimulatedSurfaces.Frame badScan;
    private boolean tipGood = true;
    private long shaperUntil;
    private int shaperRuns;
    private long totalLines;
    private long badLines;
    private int badRun;
    private final List<Integer> episodes = new ArrayList<>();
    private boolean sessionOver;
    private boolean closed;
    private int lines;
    private int pixels;
    private long deadUntil;
    private boolean withdrawn;
    private int pulses;
    private float centerX;
    private float centerY;

    /**
     * @param config the microscope
     * @param faults what goes wrong
     * @param surfaces where frames come from
     * @param interfaceDown called (under this object's lock) when the faults restart the TCP interface
     */
    SimulatedMicroscope(SimulatedNanonis.Config config, SimulatedFaults faults, SimulatedSurfaces surfaces,
            Runnable interfaceDown) {
        this.config = config;
        this.faults = faults;
        this.interfaceDown = interfaceDown;
        this.surfaces = surfaces;
        this.pulseOutcome = new SplittableRandom(config.seed() ^ 0x2545F4914F6CDD1DL);
        this.lines = config.lines();
        this.pixels = config.pixels();
        this.hazard = new SplittableRandom(config.seed());
        this.shaperOutcome = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        this.record = config.recordLines() ? new ArrayList<>() : null;
        this.data = new float[lines * pixels];
        Arrays.fill(data, Float.NaN);
        this.up = config.startUp();
        if (config.scanOnStart()) {
            startFrame(System.nanoTime());
        }
    }

    synchronized boolean running() {
        long now = System.nanoTime();
        update(now);
        return running;
    }

    /**
     * @param channel the channel's name
     * @param scale factor on every value (another channel than Z)
     * @return a copy of the current frame in the order the server sends it, after acquiring what is due
     */
    synchronized FrameData grab(String channel, float scale) {
        long now = System.nanoTime();
        update(now);
        if (config.lockstep() && running && !paused && now >= nextDue) {
            acquireLine(now);
        }
        float[] d = data.clone();
        if (now < deadUntil) {
            Arrays.fill(d, Float.NaN);
        }
        if (scale != 1) {
            for (int i = 0; i < d.length; i++) {
                d[i] *= scale;
            }
        }
        return new FrameData(channel, lines, pixels, d, up);
    }

    /** @return {@code Scan.BufferGet}'s pixels and lines */
    synchronized int[] size() {
        return new int[] {pixels, lines};
    }

    /** @return {@code Scan.FrameGet}: the centre as last set, the size of the frame being scanned */
    synchronized ScanFrame frame() {
        float size = (float) ((goodScan != null ? goodScan.sizeNm() : 20.0) * 1e-9);
        return new ScanFrame(centerX, centerY, size, size, 0);
    }

    /** {@code Scan.FrameSet}: moves the centre; the next frame scans a fresh area (the size follows the surfaces). */
    synchronized void frameSet(ScanFrame f) {
        centerX = f.centerX();
        centerY = f.centerY();
        log(String.format(java.util.Locale.ROOT, "Scan.FrameSet centre %.1f, %.1f nm", f.centerX() * 1e9, f.centerY() * 1e9));
    }

    /** {@code ZCtrl.Withdraw}: the tip leaves the surface and the scan stops. */
    synchronized void withdraw() {
        update(System.nanoTime());
        withdrawn = true;
        running = false;
        paused = false;
        log("ZCtrl.Withdraw");
        notifyAll();
    }

    /** @return an error text, or null when the bias pulse was given */
    synchronized String pulse(float widthS, float biasV) {
        update(System.nanoTime());
        if (shaperUntil != 0) {
            return "a bias pulse cannot be given while the tip shaper is running";
        }
        pulses++;
        log(String.format(java.util.Locale.ROOT, "Bias.Pulse %.2f V %.3f s", biasV, widthS));
        if (pulseOutcome.nextDouble() < config.pulseSuccess()) {
            restoreTip();
        }
        return null;
    }

    /** Logs a command that changes nothing simulated. */
    synchronized void note(String command) {
        log(command);
    }

    synchronized String action(int action, boolean directionUp) {
        long now = System.nanoTime();
        update(now);
        switch (action) {
            case 0 -> {
                if (shaperUntil != 0) {
                    return "cannot start a scan while the tip shaper is running";
                }
                if (withdrawn) {
                    return "cannot start a scan: the tip is withdrawn (Z controller off); approach first";
                }
                up = directionUp;
                startFrame(now);
                log("Scan.Action start " + (up ? "up" : "down"));
            }
            case 1 -> {
                running = false;
                paused = false;
                log("Scan.Action stop");
            }
            case 2 -> {
                paused = running;
                log("Scan.Action pause");
            }
            case 3 -> {
                if (paused) {
                    paused = false;
                    nextDue = now + config.lineTime().toNanos();
                }
                log("Scan.Action resume");
            }
            default -> {
                return "scan action " + action + " is not simulated (0 start, 1 stop, 2 pause, 3 resume)";
            }
        }
        notifyAll();
        return null;
    }

    /** @return true when the wait timed out */
    synchronized boolean waitEndOfScan(int timeoutMs) throws InterruptedException {
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000L;
        log("Scan.WaitEndOfScan " + timeoutMs);
        while (true) {
            long now = System.nanoTime();
            update(now);
            if (!running || closed) {
                return false;
            }
            if (now >= deadline) {
                return true;
            }
            long until = Math.min(deadline, paused || config.lockstep() ? deadline : nextDue);
            waitNanos(until - now);
        }
    }

    /** @return an error text, or null when the shaper ran (or started, when not waiting) */
    synchronized String tipShaper(boolean waitUntilFinished, int timeoutMs) throws InterruptedException {
        long now = System.nanoTime();
        update(now);
        if (running && !paused) {
            return "the tip shaper cannot run while a scan is running: stop the scan first";
        }
        if (shaperUntil != 0) {
            return "the tip shaper is already running";
        }
        log("TipShaper.Start wait=" + waitUntilFinished + " timeout=" + timeoutMs);
        shaperRuns++;
        shaperUntil = now + Math.max(1, config.shaperTime().toNanos());
        if (waitUntilFinished) {
            long deadline = timeoutMs < 0 ? Long.MAX_VALUE : now + timeoutMs * 1_000_000L;
            while (shaperUntil != 0 && !closed) {
                long t = System.nanoTime();
                if (t >= deadline) {
                    break;
                }
                waitNanos(Math.min(deadline, shaperUntil) - t);
                update(System.nanoTime());
            }
        }
        return null;
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized SimulatedNanonis.Stats stats() {
        update(System.nanoTime());
        return new SimulatedNanonis.Stats(totalLines, badLines, frame + 1, shaperRuns, running, tipGood, shaperUntil != 0,
                List.copyOf(commands), List.copyOf(episodes), withdrawn, pulses);
    }

    synchronized List<Line> lines() {
        return record == null ? List.of() : List.copyOf(record);
    }

    private void waitNanos(long nanos) throws InterruptedException {
        if (nanos > 0) {
            long ms = Math.max(1, Math.min(nanos / 1_000_000, 60_000));
            wait(ms);
        }
    }

    private void log(String command) {
        if (commands.size() < 10_000) {
            commands.add(command);
        }
    }

    /** Finishes the tip shaper and acquires every line due by {@code now}. */
    private void update(long now) {
        if (shaperUntil != 0 && now >= shaperUntil) {
            shaperUntil = 0;
            if (shaperOutcome.nextDouble() < config.shaperSuccess()) {
                restoreTip();
            }
            notifyAll();
        }
        if (config.lockstep()) {
            return;
        }
        while (running && !paused && now >= nextDue) {
            acquireLine(nextDue);
        }
    }

    private void restoreTip() {
        tipGood = true;
        if (badRun > 0 && episodes.size() < 1_000_000) {
            episodes.add(badRun);
        }
        badRun = 0;
    }

    private void startFrame(long now) {
        frame++;
        acquired = 0;
        if (faults.resizeAtFrame() >= 0 && frame >= faults.resizeAtFrame()
                && (lines != faults.resizeLines() || pixels != faults.resizePixels())) {
            lines = faults.resizeLines();
            pixels = faults.resizePixels();
            data = new float[lines * pixels];
            log("Scan.BufferSet " + pixels + " px × " + lines + " lines (frame " + frame + ")");
        }
        Arrays.fill(data, Float.NaN);
        if (sessionOver) {
            running = false;
            return;
        }
        goodScan = surface(frame, true);
        badScan = surface(frame, false);
        running = true;
        paused = false;
        nextDue = now + config.lineTime().toNanos();
    }

    private SimulatedSurfaces.Frame surface(int f, boolean goodTip) {
        SimulatedSurfaces.Frame s = surfaces.frame(config.seed(), f, goodTip, lines, pixels, config.badClass());
        if (s.heights().length != lines * pixels) {
            throw new IllegalStateException("the simulated surface of frame " + f + " has " + s.heights().length
                    + " heights, expected " + lines + " × " + pixels);
        }
        return s;
    }

    private void acquireLine(long at) {
        if (acquired == lines) {
            startFrame(at);
            if (!running) {
                return;
            }
        }
        if (hazard.nextDouble() < config.degradePerLine()) {
            tipGood = false;
        }
        int line = acquired;
        int row = config.rowsInAcquisitionOrder() || up ? line : lines - 1 - line;
        SimulatedSurfaces.Frame source = tipGood ? goodScan : badScan;
        System.arraycopy(source.heights(), line * pixels, data, row * pixels, pixels);
        if (line == faults.infRowAt()) {
            Arrays.fill(data, row * pixels, (row + 1) * pixels, Float.POSITIVE_INFINITY);
        }
        if (faults.nanPixelEvery() > 0 && (totalLines + 1) % faults.nanPixelEvery() == 0) {
            data[row * pixels + (int) ((totalLines * 7919) % pixels)] = Float.NaN;
        }
        acquired++;
        totalLines++;
        if (totalLines == faults.deadAtLine()) {
            deadUntil = at + faults.deadFor().toNanos();
        }
        if (totalLines == faults.restartAtLine()) {
            log("restart of the TCP interface");
            interfaceDown.run();
        }
        if (!tipGood) {
            badLines++;
            badRun++;
        }
        if (record != null) {
            record.add(new Line(frame, line, row, !tipGood, at));
        }
        nextDue = at + config.lineTime().toNanos();
        if (config.sessionLines() > 0 && totalLines >= config.sessionLines()) {
            sessionOver = true;
            running = false;
        } else if (acquired == lines && !config.continuous()) {
            running = false;
        }
        notifyAll();
    }
}
