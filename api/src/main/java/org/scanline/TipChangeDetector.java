package org.scanline;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Turns per-line model outputs into tip-change events, by two triggers; either reports a change.
 *
 * <ul>
 *   <li><b>State switch</b> (always on): a tip state is confirmed once it is the most probable with
 *       probability ≥ {@code threshold} on {@code persistence} consecutive lines, and a change is
 *       reported when a newly confirmed state differs from the previously confirmed one. The first
 *       confirmed state of a scan is not a change. Requiring persistence trades a line or two of delay
 *       for far fewer false alarms on single noisy lines.</li>
 *   <li><b>Class rise</b> (with a {@link ClassRise}, and only where {@link #update(int, float[], float[])}
 *       is given the class logits): the class-so-far probability of a <i>watched</i> class — the class
 *       that means "the tip changed or is unstable", "generic defects" for the simulated H:Si(100)
 *       models — rises from calm to high. The trigger is armed once that probability has stayed below
 *       {@code calm} for {@code calmLines} consecutive lines, and fires on the first line where it
 *       reaches {@code rise}; it is then disarmed until the next calm stretch. A model's class head
 *       sees a tip change on the line it happens far more often than its per-line state head, which
 *       tends to keep the state it saw before (see {@code docs/models/hsi100-causal-v4.md}, "Tip
 *       changes"). The state reported as {@code to} is then the most probable state other than
 *       {@code from} (the most probable new state, given that it changed), and the state switch starts
 *       afresh from that line: its next confirmed state is not reported again.</li>
 * </ul>
 *
 * Used by the streams and by evaluation, so both count the same events. Not thread-safe: one per
 * stream.
 *
 * <pre>{@code
 * TipChangeDetector d = new TipChangeDetector(List.of("good", "bad"), 0.9, 2);
 * Optional<TipChange> e = d.update(lineIndex, stateProbabilities);
 *
 * // with the class-rise trigger, as the streams use it:
 * TipChangeDetector d2 = new TipChangeDetector(states, 0.8, 2, new TipChangeDetector.ClassRise(3, 0.3, 0.2, 5));
 * Optional<TipChange> e2 = d2.update(lineIndex, stateProbabilities, classLogits);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class TipChangeDetector {
    private final List<String> states;
    private final double threshold;
    private final int persistence;
    private final ClassRise classRise;
    private int confirmed = -1;
    private int run = -1;
    private int runStart;
    private int runLength;
    private int calmRun;
    private boolean armed;

    /**
     * The class-rise trigger's settings.
     *
     * @param classIndex index of the watched class in the model's class logits, ≥ 0
     * @param rise class-so-far probability of the watched class that fires the trigger, in (0, 1]
     * @param calm probability below which a line counts as calm, in (0, rise)
     * @param calmLines consecutive calm lines that arm the trigger, ≥ 1
     */
    @API(status = API.Status.EXPERIMENTAL)
    public record ClassRise(int classIndex, double rise, double calm, int calmLines) {
        /** Validates the values. */
        public ClassRise {
            if (classIndex < 0) {
                throw new BadConfigException("tip-change class index must be ≥ 0, found " + classIndex);
            }
            if (!(rise > 0 && rise <= 1) || !(calm > 0 && calm < rise)) {
                throw new BadConfigException("tip-change class rise needs 0 < calm < rise ≤ 1, found calm " + calm
                        + " and rise " + rise);
            }
            if (calmLines < 1) {
                throw new BadConfigException("tip-change class rise needs at least 1 calm line, found " + calmLines);
            }
        }
    }

    /**
     * A detector with the state switch only.
     *
     * @param states state names, index = probability index
     * @param threshold probability a state needs on a line to count, in (0, 1]
     * @param persistence consecutive confident lines that confirm a state, ≥ 1
     */
    public TipChangeDetector(List<String> states, double threshold, int persistence) {
        this(states, threshold, persistence, null);
    }

    /**
     * A detector with the state switch and, when {@code classRise} is not null, the class rise.
     *
     * @param states state names, index = probability index
     * @param threshold probability a state needs on a line to count, in (0, 1]
     * @param persistence consecutive confident lines that confirm a state, ≥ 1
     * @param classRise the class-rise trigger, or null for none
     */
    public TipChangeDetector(List<String> states, double threshold, int persistence, ClassRise classRise) {
        this.states = List.copyOf(states);
        if (!(threshold > 0 && threshold <= 1)) {
            throw new BadConfigException("tip-change threshold must be in (0, 1], found " + threshold);
        }
        if (persistence < 1) {
            throw new BadConfigException("tip-change persistence must be at least 1 line, found " + persistence);
        }
        this.threshold = threshold;
        this.persistence = persistence;
        this.classRise = classRise;
    }

    /** @return the class-rise trigger, if this detector has one */
    public Optional<ClassRise> classRise() {
        return Optional.ofNullable(classRise);
    }

    /**
     * The state switch alone (the class rise, if any, is not fed).
     *
     * @param line index of the line these probabilities belong to (lines arrive in order)
     * @param probabilities the line's state probabilities
     * @return the change this line confirms, if any
     */
    public Optional<TipChange> update(int line, float[] probabilities) {
        return update(line, probabilities, null);
    }

    /**
     * Both triggers.
     *
     * @param line index of the line these outputs belong to (lines arrive in order)
     * @param probabilities the line's state probabilities
     * @param classLogits the class head's logits after this line, uncalibrated (temperature 1, so that
     *     every file of the same weights triggers alike), or null to skip the class rise on this line
     * @return the change this line reveals, if any
     * @throws BadDataException if the class logits have no entry for the watched class
     */
    public Optional<TipChange> update(int line, float[] probabilities, float[] classLogits) {
        int best = argmax(probabilities, -1);
        Optional<TipChange> switched = stateSwitch(line, probabilities, best);
        if (classRise == null || classLogits == null) {
            return switched;
        }
        if (classLogits.length <= classRise.classIndex()) {
            throw new BadDataException("tip-change class " + classRise.classIndex() + " needs that many class logits, found "
                    + classLogits.length);
        }
        double p = probability(classLogits, classRise.classIndex());
        calmRun = p < classRise.calm() ? calmRun + 1 : 0;
        boolean fire = armed && p >= classRise.rise() && switched.isEmpty();
        armed = (armed && !fire && switched.isEmpty()) || calmRun >= classRise.calmLines();
        if (!fire) {
            return switched;
        }
        int from = confirmed >= 0 ? confirmed : best;
        int to = states.size() > 1 ? argmax(probabilities, from) : from;
        confirmed = -1;
        run = -1;
        runLength = 0;
        return Optional.of(new TipChange(line, line, states.get(from), states.get(to), (float) p));
    }

    private Optional<TipChange> stateSwitch(int line, float[] probabilities, int best) {
        if (!(probabilities[best] >= threshold)) { // a NaN probability confirms nothing
            run = -1;
            runLength = 0;
            return Optional.empty();
        }
        if (best == run) {
            runLength++;
        } else {
            run = best;
            runStart = line;
            runLength = 1;
        }
        if (runLength < persistence || run == confirmed) {
            return Optional.empty();
        }
        int before = confirmed;
        confirmed = run;
        if (before < 0) {
            return Optional.empty();
        }
        return Optional.of(new TipChange(runStart, line, states.get(before), states.get(run), probabilities[best]));
    }

    /** @return index of the largest value, skipping index {@code skip} (-1 for none) */
    private static int argmax(float[] values, int skip) {
        int best = -1;
        for (int i = 0; i < values.length; i++) {
            if (i != skip && (best < 0 || values[i] > values[best])) {
                best = i;
            }
        }
        return best;
    }

    /** @return softmax probability of {@code index} */
    private static double probability(float[] logits, int index) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        return Math.exp(logits[index] - max) / sum;
    }

    /** @return the confirmed state's index, or -1 before one is confirmed (and after a class rise) */
    public int confirmedState() {
        return confirmed;
    }

    /** Forgets everything, ready for the next scan. */
    public void reset() {
        confirmed = -1;
        run = -1;
        runLength = 0;
        calmRun = 0;
        armed = false;
    }
}
