package org.scanline.nanonis;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.scanline.BadConfigException;
import org.scanline.Prediction;

/**
 * When a tip counts as bad: a list of triggers, asked in order after every line; the first that
 * fires decides. Two kinds come with it — the bad classes probable enough after enough lines
 * ({@link #badClass}), and a tip change toward a bad state reported by the stream
 * ({@link #tipChange}) — and any other {@link Trigger} plugs in the same way.
 *
 * <pre>{@code
 * BadTipPolicy policy = new BadTipPolicy(List.of(
 *         BadTipPolicy.badClass(Set.of(2, 3), classifier.classNames(), 0.9, 8)));
 * BadTipPolicy.Decision d = policy.decide(stream.push(line), lineIndex);
 * if (d.badTip()) stopScan(d.reason());
 * }</pre>
 */
public final class BadTipPolicy {

    /** One way of recognising a bad tip. */
    public interface Trigger {
        /**
         * @param p the prediction after the line
         * @param line the line's index in the frame (0 = first acquired)
         * @return why the tip is bad, or empty when this trigger does not fire
         */
        Optional<String> check(Prediction p, int line);

        /** @return what the trigger looks for, for the start of a log */
        String describe();
    }

    /**
     * The outcome for one line.
     *
     * @param badTip true when a trigger fired
     * @param reason which trigger and why; empty when the tip is not judged bad
     */
    public record Decision(boolean badTip, String reason) {
        /** The tip is not judged bad. */
        public static final Decision OK = new Decision(false, "");
    }

    private final List<Trigger> triggers;

    /** @param triggers asked in order; at least one */
    public BadTipPolicy(List<Trigger> triggers) {
        if (triggers.isEmpty()) {
            throw new BadConfigException("a bad-tip policy needs at least one trigger");
        }
        this.triggers = List.copyOf(triggers);
    }

    /**
     * @param p the prediction after a line
     * @param line the line's index in the frame
     * @return the first trigger that fires, or {@link Decision#OK}
     */
    public Decision decide(Prediction p, int line) {
        for (Trigger t : triggers) {
            Optional<String> why = t.check(p, line);
            if (why.isPresent()) {
                return new Decision(true, why.get());
            }
        }
        return Decision.OK;
    }

    /** @return every trigger described, joined by "or" */
    public String describe() {
        return triggers.stream().map(Trigger::describe).collect(Collectors.joining(" or "));
    }

    /** The classes the validated default treats as a bad tip: a blunt tip ("rows") and an unstable one. */
    public static final List<String> VALIDATED_BAD_CLASSES = List.of("rows", "generic defects");
    /** The validated default's threshold on their summed probability. */
    public static final double VALIDATED_CONFIDENCE = 0.7;
    /** The validated default's fewest lines before a decision. */
    public static final int VALIDATED_MIN_LINES = 8;

    /**
     * The policy the measurements in docs/embedding.md validate: p(rows + generic defects) ≥ 0.7
     * after 8 lines. "asymmetries/dimers", the most common state of a usable tip, is not a bad class.
     *
     * @param classNames the model's class names; they must include both bad classes
     * @return the policy
     * @throws BadConfigException when the model lacks one of them (name the bad classes yourself)
     */
    public static BadTipPolicy validated(List<String> classNames) {
        Set<Integer> bad = new TreeSet<>();
        for (String c : VALIDATED_BAD_CLASSES) {
            int i = classNames.indexOf(c);
            if (i < 0) {
                throw new BadConfigException("the validated bad-tip policy needs the classes " + VALIDATED_BAD_CLASSES
                        + "; this model's classes are " + classNames + ": name the bad classes (--bad-class)");
            }
            bad.add(i);
        }
        return new BadTipPolicy(List.of(badClass(bad, classNames, VALIDATED_CONFIDENCE, VALIDATED_MIN_LINES)));
    }

    /**
     * Fires when the probability that the scan is of a bad class — the sum over {@code classes} —
     * reaches {@code minConfidence}, after at least {@code minLines} lines. Summing matters when
     * several classes mean a bad tip: a scan torn between "rows" and "generic defects" is bad for
     * sure even when neither alone is confident.
     *
     * @param classes bad class indices
     * @param classNames the model's class names (for messages)
     * @param minConfidence lowest summed probability of the bad classes, in (0, 1]
     * @param minLines fewest lines the model must have seen, ≥ 1
     * @return the trigger
     */
    public static Trigger badClass(Set<Integer> classes, List<String> classNames, double minConfidence, int minLines) {
        Set<Integer> bad = new TreeSet<>(classes);
        checkCommon(minConfidence, minLines);
        if (bad.isEmpty()) {
            throw new BadConfigException("bad-tip policy: no bad class given");
        }
        for (int c : bad) {
            if (c < 0 || c >= classNames.size()) {
                throw new BadConfigException("bad-tip policy: class " + c + " does not exist (the model has "
                        + classNames.size() + " classes: " + classNames + ")");
            }
        }
        int[] indices = bad.stream().mapToInt(Integer::intValue).toArray();
        String names = bad.stream().map(classNames::get).collect(Collectors.joining(" + "));
        return new Trigger() {
            @Override
            public Optional<String> check(Prediction p, int line) {
                if (p.linesSeen() < minLines) {
                    return Optional.empty();
                }
                double sum = 0;
                for (int c : indices) {
                    sum += p.probability(c);
                }
                if (!(sum >= minConfidence)) { // a NaN sum is never a reason to act
                    return Optional.empty();
                }
                return Optional.of(String.format(Locale.ROOT, "p(%s) = %.3f ≥ %.2f after %d lines", names, sum,
                        minConfidence, p.linesSeen()));
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "p(%s) ≥ %.2f after ≥ %d lines", names, minConfidence, minLines);
            }
        };
    }

    /**
     * Fires when the stream reports a tip change ({@link Prediction#tipChange()}) to one of
     * {@code badStates} with a confidence of at least {@code minConfidence}, after at least
     * {@code minLines} lines. Needs a model with a tip-state head (model format ≥ 2).
     *
     * @param badStates names of the tip states that count as bad
     * @param stateNames the model's tip states ({@link org.scanline.ModelInfo#lineStateNames()})
     * @param minConfidence lowest confidence of the change
     * @param minLines fewest lines the model must have seen
     * @return the trigger
     * @throws BadConfigException if the model has no tip states, or a bad state is not one of them
     */
    public static Trigger tipChange(Set<String> badStates, List<String> stateNames, double minConfidence, int minLines) {
        checkCommon(minConfidence, minLines);
        if (stateNames.isEmpty()) {
            throw new BadConfigException("the tip-change trigger needs a model with a tip-state head (model format ≥ 2, "
                    + "trained with lineStateWeight > 0); this model has none: use the class trigger");
        }
        Set<String> bad = new TreeSet<>(badStates);
        if (bad.isEmpty()) {
            throw new BadConfigException("bad-tip policy: no bad tip state given");
        }
        for (String s : bad) {
            if (!stateNames.contains(s)) {
                throw new BadConfigException("bad-tip policy: tip state '" + s + "' does not exist (the model's states: "
                        + stateNames + ")");
            }
        }
        return new Trigger() {
            @Override
            public Optional<String> check(Prediction p, int line) {
                if (p.linesSeen() < minLines) {
                    return Optional.empty();
                }
                return p.tipChange().filter(c -> c.confidence() >= minConfidence && bad.contains(c.to()))
                        .map(c -> String.format(Locale.ROOT, "tip change at line %d (confirmed at %d): '%s' → '%s', p=%.3f ≥ %.2f",
                                c.line(), c.detectedAt(), c.from(), c.to(), c.confidence(), minConfidence));
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "tip change to [%s] with p ≥ %.2f after ≥ %d lines", String.join(", ", bad),
                        minConfidence, minLines);
            }
        };
    }

    private static void checkCommon(double minConfidence, int minLines) {
        if (!(minConfidence > 0 && minConfidence <= 1)) {
            throw new BadConfigException("bad-tip policy: confidence must be in (0, 1], found " + minConfidence);
        }
        if (minLines < 1) {
            throw new BadConfigException("bad-tip policy: minimum lines must be ≥ 1, found " + minLines);
        }
    }
}
