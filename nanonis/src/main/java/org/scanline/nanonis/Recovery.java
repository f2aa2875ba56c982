package org.scanline.nanonis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Climbs a {@link RecoveryLadder} for {@link ScanWatcher} and leaves the microscope safe when it
 * cannot: every way out — the budget spent, a command failing mid-recovery, a tip shaper in an
 * unknown state, Ctrl-C — stops the scan, withdraws the tip when the ladder says so, moves the frame
 * back where it was, never starts a scan again and logs why. A tip shaper whose call timed out or
 * lost its connection may still be running: the scan is then never restarted.
 */
final class Recovery {
    /** How a recovery ended. */
    enum Outcome {
        /** The step was taken and the scan started again. */
        DONE,
        /** The budget was spent; the microscope was made safe. */
        GAVE_UP,
        /** A command failed, or the tip shaper's state is unknown; the microscope was made safe. */
        FAILED,
        /** A stop was requested mid-recovery; the microscope was made safe. */
        INTERRUPTED
    }

    /** Receives each action as a log record and a sentence. */
    interface Events {
        void event(ObjectNode record, String message);
    }

    private final Connection connection;
    private final RecoveryLadder ladder;
    private final Events events;
    private final BooleanSupplier stopRequested;
    private int conditionings;
    private int rung;
    private int pulses;
    private int moves;
    private int episodeAttempts;
    private long episodeStart;
    private boolean confirming;
    private int graceLeft;
    private int cleanLines;
    private ScanFrame originalFrame;
    private String safeReason;

    Recovery(Connection connection, RecoveryLadder ladder, Events events, BooleanSupplier stopRequested) {
        this.connection = connection;
        this.ladder = ladder;
        this.events = events;
        this.stopRequested = stopRequested;
    }

    /** @return recovery steps taken in the session */
    int conditionings() {
        return conditionings;
    }

    /** @return why the microscope was made safe, or null when it was not */
    String safeReason() {
        return safeReason;
    }

    /** @return true while a recovered tip awaits its confirmation */
    boolean confirming() {
        return confirming;
    }

    /**
     * Called before the policy is asked about a line.
     *
     * @return false during the grace lines after a restart: the line is not judged
     */
    boolean judging() {
        if (graceLeft > 0) {
            graceLeft--;
            return false;
        }
        return true;
    }

    /** A judged line was clean; enough of them in a row confirm a recovered tip. */
    void clean() {
        if (!confirming) {
            return;
        }
        if (++cleanLines >= ladder.confirmLines()) {
            confirming = false;
            events.event(DecisionLog.record("confirmed").put("clean_lines", cleanLines).put("steps", episodeAttempts),
                    "tip confirmed good after " + cleanLines + " clean lines (" + episodeAttempts + " recovery steps)");
            rung = 0;
            pulses = 0;
            episodeAttempts = 0;
        }
    }

    /**
     * Recovers a bad tip seen while the scan runs: stop, the next step, start again.
     *
     * @param up the scan direction to start again in
     * @return how it ended
     */
    Outcome recover(boolean up) {
        if (confirming) {
            rung = (rung + 1) % ladder.steps().size();
        } else {
            rung = 0;
            episodeAttempts = 0;
            episodeStart = System.nanoTime();
        }
        confirming = false;
        long spent = System.nanoTime() - episodeStart;
        if (episodeAttempts >= ladder.maxAttempts() || spent > ladder.maxTime().toNanos()
                || conditionings >= ladder.maxConditioning()) {
            String why = episodeAttempts >= ladder.maxAttempts() ? ladder.maxAttempts() + " steps without a confirmed good tip"
                    : conditionings >= ladder.maxConditioning() ? "the session's " + ladder.maxConditioning() + " steps"
                    : "the episode's " + ladder.maxTime().toSeconds() + " s";
            makeSafe("recovery budget reached: " + why, true, up);
            return Outcome.GAVE_UP;
        }
        RecoveryLadder.Step step = ladder.steps().get(rung);
        try {
            connection.read("Scan.Action stop", c -> {
                c.scanAction(NanonisClient.ScanAction.STOP, up);
                return null;
            });
            events.event(DecisionLog.record("stop-scan").put("reason", "recovering the tip").put("step", step.describe()),
                    "stopped the scan to recover the tip (" + step.describe() + ")");
            if (stopRequested.getAsBoolean()) {
                makeSafe("interrupted during recovery, before the " + step.describe(), true, up);
                return Outcome.INTERRUPTED;
            }
            long t0 = System.nanoTime();
            String done = take(step, up);
            if (done == null) {
                return Outcome.FAILED;
            }
            conditionings++;
            episodeAttempts++;
            events.event(DecisionLog.record("recovery-step").put("step", done).put("rung", rung)
                    .put("seconds", (System.nanoTime() - t0) / 1e9).put("episode_steps", episodeAttempts)
                    .put("session_steps", conditionings), String.format(Locale.ROOT, "%s done in %.1f s", done,
                    (System.nanoTime() - t0) / 1e9));
            if (stopRequested.getAsBoolean()) {
                makeSafe("interrupted during recovery, after the " + done, true, up);
                return Outcome.INTERRUPTED;
            }
            connection.once(c -> {
                c.scanAction(NanonisClient.ScanAction.START, up);
                return null;
            });
        } catch (RuntimeException e) { // a malformed answer as much as a lost controller
            makeSafe("recovery failed: " + e.getMessage(), true, up);
            return Outcome.FAILED;
        }
        confirming = true;
        cleanLines = 0;
        graceLeft = ladder.graceLines();
        events.event(DecisionLog.record("restart-scan").put("direction", up ? "up" : "down")
                .put("grace_lines", ladder.graceLines()).put("confirm_lines", ladder.confirmLines()),
                "started the scan again (" + (up ? "up" : "down") + "); " + ladder.graceLines() + " grace lines, then "
                        + ladder.confirmLines() + " clean lines confirm the tip");
        return Outcome.DONE;
    }

    /** @return what was done, or null when the microscope had to be made safe */
    private String take(RecoveryLadder.Step step, boolean up) {
        if (step instanceof RecoveryLadder.TipShaper) {
            long t0 = System.nanoTime();
            try {
                connection.once(c -> {
                    c.tipShaperStart(true, ladder.shaperWait());
                    return null;
                });
            } catch (NanonisException e) {
                boolean unknown = e.kind() == NanonisException.Kind.TIMEOUT || e.kind() == NanonisException.Kind.CONNECTION;
                events.event(DecisionLog.record("tip-shaper").put("error", e.getMessage()).put("state_unknown", unknown),
                        "tip shaper failed: " + e.getMessage());
                makeSafe(unknown ? "the tip shaper may still be running (" + e.kind() + "): " + e.getMessage()
                        : "the tip shaper was refused: " + e.getMessage(), !unknown, up);
                return null;
            }
            if (System.nanoTime() - t0 >= ladder.shaperWait().toNanos() * 95 / 100) {
                // the controller's wait ran out, not necessarily the shaper: it may still be running
                events.event(DecisionLog.record("tip-shaper").put("error", "the wait of " + ladder.shaperWait().toMillis()
                        + " ms ran out").put("state_unknown", true), "the tip shaper's wait ran out: it may still be running");
                makeSafe("the tip shaper may still be running (its wait of " + ladder.shaperWait().toMillis()
                        + " ms ran out)", false, up);
                return null;
            }
            return "tip shaper";
        }
        if (step instanceof RecoveryLadder.BiasPulse b) {
            RecoveryLadder.Pulse p = b.strategies().get(pulses++ % b.strategies().size());
            connection.once(c -> {
                c.biasPulse(true, p.width(), p.volts(), 1, 2);
                return null;
            });
            return "bias pulse " + p;
        }
        RecoveryLadder.FreshArea a = (RecoveryLadder.FreshArea) step;
        ScanFrame now = connection.read("Scan.FrameGet", NanonisClient::frameGet);
        if (originalFrame == null) {
            originalFrame = now;
        }
        moves++;
        double dx = (moves % 2 == 1 ? 1 : 0) * a.frames() * now.width() * 1e9;
        double dy = (moves % 2 == 0 ? 1 : 0) * a.frames() * now.height() * 1e9;
        ScanFrame next = now.moved(dx, dy);
        connection.once(c -> {
            c.frameSet(next);
            return null;
        });
        return String.format(Locale.ROOT, "fresh area (frame centre moved %.1f nm, %.1f nm)", dx, dy);
    }

    /**
     * Leaves the microscope safe: the scan stopped, the tip withdrawn when the ladder says so, the frame
     * back where it was when {@code restoreFrame}; never a scan started. Every action is tried even
     * when one before it failed, each on a fresh connection if needed.
     *
     * @param why the reason, logged
     * @param restoreFrame move the frame back (not while a tip shaper may be running)
     * @param up the scan direction, for the stop
     */
    void makeSafe(String why, boolean restoreFrame, boolean up) {
        safeReason = why;
        connection.persist();
        events.event(DecisionLog.record("safe-exit").put("reason", why), "making the microscope safe: " + why);
        act("stop-scan", "stopped the scan", c -> c.scanAction(NanonisClient.ScanAction.STOP, up));
        if (ladder.withdrawOnGiveUp()) {
            act("withdraw", "withdrew the tip (ZCtrl.Withdraw)", c -> c.zCtrlWithdraw(true, java.time.Duration.ofSeconds(10)));
        }
        if (restoreFrame && originalFrame != null) {
            ScanFrame back = originalFrame;
            act("restore-frame", "moved the frame back where it was", c -> c.frameSet(back));
        }
    }

    private void act(String type, String done, java.util.function.Consumer<NanonisClient> call) {
        try {
            connection.read(type, c -> {
                call.accept(c);
                return null;
            });
            events.event(DecisionLog.record(type), done);
        } catch (RuntimeException e) {
            events.event(DecisionLog.record(type).put("error", String.valueOf(e.getMessage())),
                    type + " failed: " + e.getMessage() + (type.equals("withdraw") ? " — THE TIP MAY STILL BE ENGAGED" : ""));
        }
    }
}
