package org.scanline;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Turns per-line tip-state probabilities into tip-change events: a state is confirmed once it is the
 * most probable with probability ≥ {@code threshold} on {@code persistence} consecutive lines, and a
 * change is reported when a newly confirmed state differs from the previously confirmed one. The
 * first confirmed state of a scan is not a change. Requiring persistence trades a line or two of
 * delay for far fewer false alarms on single noisy lines (see {@code docs/results.md}). Used by the
 * streams and by evaluation, so both count the same events. Not thread-safe: one per stream.
 *
 * <pre>{@code
 * TipChangeDetector d = new TipChangeDetector(List.of("good", "bad"), 0.9, 2);
 * Optional<TipChange> e = d.update(lineIndex, stateProbabilities);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class TipChangeDetector {
    private final List<String> states;
    private final double threshold;
    private final int persistence;
    private int confirmed = -1;
    private int run = -1;
    private int runStart;
    private int runLength;

    /**
     * @param states state names, index = probability index
     * @param threshold probability a state needs on a line to count, in (0, 1]
     * @param persistence consecutive confident lines that confirm a state, ≥ 1
     */
    public TipChangeDetector(List<String> states, double threshold, int persistence) {
        this.states = List.copyOf(states);
        if (!(threshold > 0 && threshold <= 1)) {
            throw new BadConfigException("tip-change threshold must be in (0, 1], found " + threshold);
        }
        if (persistence < 1) {
            throw new BadConfigException("tip-change persistence must be at least 1 line, found " + persistence);
        }
        this.threshold = threshold;
        this.persistence = persistence;
    }

    /**
     * @param line index of the line these probabilities belong to (lines arrive in order)
     * @param probabilities the line's state probabilities
     * @return the change this line confirms, if any
     */
    public Optional<TipChange> update(int line, float[] probabilities) {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        if (probabilities[best] < threshold) {
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

    /** @return the confirmed state's index, or -1 before one is confirmed */
    public int confirmedState() {
        return confirmed;
    }

    /** Forgets everything, ready for the next scan. */
    public void reset() {
        confirmed = -1;
        run = -1;
        runLength = 0;
    }
}
