package org.scanline.nanonis;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.scanline.BadConfigException;

/**
 * How {@link ScanWatcher} recovers a bad tip, as rusty-tip climbs its ladder: the scan is stopped,
 * one step is taken, and the scan starts again. The first bad tip of an episode takes the first
 * step; a tip still judged bad before it was confirmed good takes the next one (after the last, the
 * first again). After every restart the policy is not asked for {@code graceLines} lines; then
 * {@code confirmLines} clean lines in a row confirm the tip and end the episode. An episode that
 * takes more than {@code maxAttempts} steps or {@code maxTime} gives up: the scan is stopped, the
 * tip withdrawn when {@code withdrawOnGiveUp}, and the watch ends (exit 2 on the command line).
 *
 * <pre>{@code
 * RecoveryLadder ladder = RecoveryLadder.builder()
 *         .steps(List.of(new RecoveryLadder.TipShaper(),
 *                 new RecoveryLadder.BiasPulse(List.of(new RecoveryLadder.Pulse(3f, Duration.ofMillis(50)))),
 *                 new RecoveryLadder.FreshArea(1.5)))
 *         .confirmLines(8).graceLines(8).maxAttempts(6).maxTime(Duration.ofMinutes(10)).build();
 * }</pre>
 *
 * @param steps the rungs, climbed in order; at least one
 * @param confirmLines clean lines in a row after the grace lines that confirm a recovered tip, ≥ 1
 * @param graceLines lines after every restart on which the policy is not asked, ≥ 0
 * @param maxAttempts steps one episode may take, ≥ 1
 * @param maxTime time one episode may take, from the first bad tip
 * @param maxConditioning steps the whole session may take, ≥ 0
 * @param withdrawOnGiveUp withdraw the tip ({@code ZCtrl.Withdraw}) when giving up or when a recovery fails
 * @param shaperWait how long {@code TipShaper.Start} may take
 */
public record RecoveryLadder(List<Step> steps, int confirmLines, int graceLines, int maxAttempts, Duration maxTime,
        int maxConditioning, boolean withdrawOnGiveUp, Duration shaperWait) {

    /** One rung of the ladder, taken with the scan stopped. */
    public sealed interface Step permits TipShaper, BiasPulse, FreshArea {
        /** @return a few words for logs */
        String describe();
    }

    /** {@code TipShaper.Start} with the shaper's current settings, waiting for its end. */
    public record TipShaper() implements Step {
        @Override
        public String describe() {
            return "tip shaper";
        }
    }

    /**
     * A bias pulse; the n-th time this rung is taken in an episode it gives strategy n (cycling).
     *
     * @param strategies the pulses to try, in order; at least one
     */
    public record BiasPulse(List<Pulse> strategies) implements Step {
        /** Copies and checks. */
        public BiasPulse {
            strategies = List.copyOf(strategies);
            if (strategies.isEmpty()) {
                throw new BadConfigException("recovery: a bias-pulse step needs at least one pulse");
            }
        }

        @Override
        public String describe() {
            return "bias pulse " + strategies.stream().map(Pulse::toString).collect(Collectors.joining(" | "));
        }
    }

    /**
     * One bias pulse: absolute bias, Z controller held during the pulse.
     *
     * @param volts bias during the pulse, V
     * @param width duration
     */
    public record Pulse(float volts, Duration width) {
        /** Checks. */
        public Pulse {
            if (!Float.isFinite(volts) || width == null || width.isNegative() || width.isZero()) {
                throw new BadConfigException("recovery: a pulse needs a finite bias and a positive width, found " + volts
                        + " V, " + width);
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%+.2f V %d ms", volts, width.toMillis());
        }
    }

    /**
     * Moves the scan frame ({@code Scan.FrameSet}) to a fresh area, alternately right and down.
     *
     * @param frames how far, in frame widths (≥ 1 leaves the scanned area)
     */
    public record FreshArea(double frames) implements Step {
        /** Checks. */
        public FreshArea {
            if (!(frames > 0) || !Double.isFinite(frames)) {
                throw new BadConfigException("recovery: a fresh area lies a positive number of frames away, found " + frames);
            }
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "fresh area %.1f frames away", frames);
        }
    }

    /** Validates. */
    public RecoveryLadder {
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        if (steps.isEmpty()) {
            throw new BadConfigException("recovery: the ladder needs at least one step");
        }
        if (confirmLines < 1 || graceLines < 0 || maxAttempts < 1 || maxConditioning < 0) {
            throw new BadConfigException("recovery: confirm lines ≥ 1, grace lines ≥ 0, attempts ≥ 1 and conditionings ≥ 0,"
                    + " found " + confirmLines + ", " + graceLines + ", " + maxAttempts + ", " + maxConditioning);
        }
        if (maxTime == null || maxTime.isNegative() || maxTime.isZero()) {
            throw new BadConfigException("recovery: the time budget must be positive, found " + maxTime);
        }
        if (shaperWait == null || shaperWait.isNegative() || shaperWait.toMillis() > Integer.MAX_VALUE) {
            throw new BadConfigException("recovery: the tip shaper wait must be 0 to 24 days, found " + shaperWait);
        }
    }

    /** @return the ladder in words, for the start of a log */
    public String describe() {
        return steps.stream().map(Step::describe).collect(Collectors.joining(" → ")) + String.format(Locale.ROOT,
                "; %d grace lines, %d clean lines confirm; at most %d steps and %d s an episode, %d steps a session%s",
                graceLines, confirmLines, maxAttempts, maxTime.toSeconds(), maxConditioning,
                withdrawOnGiveUp ? "; withdraw on giving up" : "");
    }

    /**
     * @return a builder with the defaults: tip shaper → bias pulses of +3 V then −3 V, 50 ms → a fresh
     *     area 1.5 frames away; 8 grace lines, 8 clean lines confirm; 6 steps and 10 minutes an episode,
     *     10 steps a session; withdraw on giving up; a 60 s shaper wait
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder; every setter returns this. */
    public static final class Builder {
        private List<Step> steps = List.of(new TipShaper(), new BiasPulse(List.of(new Pulse(3f, Duration.ofMillis(50)),
                new Pulse(-3f, Duration.ofMillis(50)))), new FreshArea(1.5));
        private int confirmLines = 8;
        private int graceLines = 8;
        private int maxAttempts = 6;
        private Duration maxTime = Duration.ofMinutes(10);
        private int maxConditioning = 10;
        private boolean withdrawOnGiveUp = true;
        private Duration shaperWait = Duration.ofSeconds(60);

        private Builder() {
        }

        /** @param v the rungs @return this */
        public Builder steps(List<Step> v) {
            steps = v;
            return this;
        }

        /** @param v clean lines that confirm @return this */
        public Builder confirmLines(int v) {
            confirmLines = v;
            return this;
        }

        /** @param v lines not judged after a restart @return this */
        public Builder graceLines(int v) {
            graceLines = v;
            return this;
        }

        /** @param v steps an episode may take @return this */
        public Builder maxAttempts(int v) {
            maxAttempts = v;
            return this;
        }

        /** @param v time an episode may take @return this */
        public Builder maxTime(Duration v) {
            maxTime = v;
            return this;
        }

        /** @param v steps a session may take @return this */
        public Builder maxConditioning(int v) {
            maxConditioning = v;
            return this;
        }

        /** @param v withdraw the tip on giving up @return this */
        public Builder withdrawOnGiveUp(boolean v) {
            withdrawOnGiveUp = v;
            return this;
        }

        /** @param v tip shaper wait @return this */
        public Builder shaperWait(Duration v) {
            shaperWait = v;
            return this;
        }

        /** @return the ladder */
        public RecoveryLadder build() {
            return new RecoveryLadder(steps, confirmLines, graceLines, maxAttempts, maxTime, maxConditioning,
                    withdrawOnGiveUp, shaperWait);
        }
    }
}
