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
    private final SimulatedSurfaces surfaces;
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

    SimulatedMicroscope(SimulatedNanonis.Config config, SimulatedSurfaces surfaces) {
        this.config = config;
        this.surfaces = surfaces;
        this.hazard = new SplittableRandom(config.seed());
        this.shaperOutcome = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        this.record = config.recordLines() ? new ArrayList<>() : null;
        this.data = new float[config.lines() * config.pixels()];
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

    /** @return a copy of the current frame in the order the server sends it, after acquiring what is due */
    synchronized FrameData grab(String channel) {
        long now = System.nanoTime();
        update(now);
        if (config.lockstep() && running && !paused && now >= nextDue) {
            acquireLine(now);
        }
        return new FrameData(channel, config.lines(), config.pixels(), data.clone(), up);
    }

    synchronized String action(int action, boolean directionUp) {
        long now = System.nanoTime();
        update(now);
        switch (action) {
            case 0 -> {
                if (shaperUntil != 0) {
                    return "cannot start a scan while the tip shaper is running";
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
                List.copyOf(commands), List.copyOf(episodes));
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
                tipGood = true;
                if (badRun > 0 && episodes.size() < 1_000_000) {
                    episodes.add(badRun);
                }
                badRun = 0;
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

    private void startFrame(long now) {
        frame++;
        acquired = 0;
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
        SimulatedSurfaces.Frame s = surfaces.frame(config.seed(), f, goodTip, config.lines(), config.pixels(),
                config.badClass());
        if (s.heights().length != config.lines() * config.pixels()) {
            throw new IllegalStateException("the simulated surface of frame " + f + " has " + s.heights().length
                    + " heights, expected " + config.lines() + " × " + config.pixels());
        }
        return s;
    }

    private void acquireLine(long at) {
        if (acquired == config.lines()) {
            startFrame(at);
        }
        if (hazard.nextDouble() < config.degradePerLine()) {
            tipGood = false;
        }
        int lines = config.lines();
        int pixels = config.pixels();
        int line = acquired;
        int row = config.rowsInAcquisitionOrder() || up ? line : lines - 1 - line;
        SimulatedSurfaces.Frame source = tipGood ? goodScan : badScan;
        System.arraycopy(source.heights(), line * pixels, data, row * pixels, pixels);
        acquired++;
        totalLines++;
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
