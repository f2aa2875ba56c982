package org.scanline.nanonis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop closes: on the same seed, watching with tip conditioning leaves far fewer lines acquired
 * with a bad tip than watching with report only. The simulated server runs in lockstep (one line
 * per frame grab), so the session is the same whatever the thread timing; the model is the
 * {@link BluntTipDetector} rule, which sees only the lines. Prints the figures quoted in
 * docs/embedding.md; {@code -Dloop.lines=N -Dloop.seed=S} run a longer session or another seed.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClosingTheLoopTest {
    static final long SEED = Long.getLong("loop.seed", 7);
    static final int LINES = 64;
    static final int PIXELS = 64;
    static final long SESSION = Long.getLong("loop.lines", 1200);
    static final double DEGRADE = 1.0 / 80;
    static final int MIN_LINES = 4;

    @TempDir
    Path dir;

    /** What one simulated session did. */
    record Outcome(SimulatedNanonis.Stats stats, ScanWatcher.Summary summary) {
    }

    static SimulatedNanonis.Config sim() {
        return SimulatedNanonis.Config.builder().seed(SEED).lines(LINES).pixels(PIXELS).lockstep(true)
                .lineTime(Duration.ZERO).degradePerLine(DEGRADE).badClass(2).shaperTime(Duration.ZERO).continuous(true)
                .sessionLines(SESSION).build();
    }

    static BadTipPolicy byClass(BluntTipDetector m) {
        return new BadTipPolicy(List.of(BadTipPolicy.badClass(Set.of(1), m.classNames(), 0.9, MIN_LINES)));
    }

    static BadTipPolicy byTipChange(BluntTipDetector m) {
        return new BadTipPolicy(List.of(BadTipPolicy.tipChange(Set.of("blunt"), m.info().lineStateNames(), 0.9, 1)));
    }

    static BadTipPolicy byBoth(BluntTipDetector m) {
        return new BadTipPolicy(List.of(BadTipPolicy.badClass(Set.of(1), m.classNames(), 0.9, MIN_LINES),
                BadTipPolicy.tipChange(Set.of("blunt"), m.info().lineStateNames(), 0.9, 1)));
    }

    Outcome run(WatchSettings.Action action, Function<BluntTipDetector, BadTipPolicy> rule) {
        try (SimulatedNanonis sim = SimulatedNanonis.start(sim(), "127.0.0.1", 0);
             NanonisClient client = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(5))) {
            BluntTipDetector model = new BluntTipDetector(PIXELS, LINES, 0.9);
            // the tip shaper alone, judged from the first line after a restart: the recovery the table measures
            WatchSettings settings = WatchSettings.builder().poll(Duration.ofNanos(1000)).action(action)
                    .ladder(RecoveryLadder.builder().steps(List.of(new RecoveryLadder.TipShaper())).graceLines(0)
                            .confirmLines(1).shaperWait(Duration.ofSeconds(5)).maxConditioning(10_000).build()).build();
            ScanWatcher.Summary s = new ScanWatcher(client, null, model, rule.apply(model), settings,
                    dir.resolve(action.label() + ".jsonl"), new ScanWatcher.Listener() { }).run();
            return new Outcome(sim.stats(), s);
        }
    }

    static String describe(String name, Outcome o) {
        SimulatedNanonis.Stats s = o.stats();
        return String.format(Locale.ROOT, "  %-26s %5.1f %% of lines with a bad tip; %d tip shaper runs, %d bad-tip episodes "
                + "ended by one (bad lines per episode: median %d, p90 %d, max %d), %d runs on a good tip%n", name,
                100 * s.badTipFraction(), s.shaperRuns(), s.badEpisodes().size(), s.badEpisodeQuantile(0.5),
                s.badEpisodeQuantile(0.9), s.badEpisodeQuantile(1), s.shaperRunsOnAGoodTip());
    }

    @Test
    void conditioningCutsTheLinesAcquiredWithABadTip() {
        Outcome report = run(WatchSettings.Action.REPORT, ClosingTheLoopTest::byClass);
        Outcome condition = run(WatchSettings.Action.CONDITION, ClosingTheLoopTest::byClass);
        Outcome change = run(WatchSettings.Action.CONDITION, ClosingTheLoopTest::byTipChange);
        Outcome both = run(WatchSettings.Action.CONDITION, ClosingTheLoopTest::byBoth);
        System.out.printf(Locale.ROOT, "closing the loop, seed %d, %d lines of %d × %d px, tip turns blunt with p = %.4f per "
                + "line%n", SEED, SESSION, LINES, PIXELS, DEGRADE);
        System.out.print(describe("report only", report) + describe("condition on class", condition)
                + describe("condition on tip change", change) + describe("condition on either", both));

        for (Outcome o : List.of(report, condition, change, both)) {
            assertEquals(SESSION, o.stats().linesAcquired());
            assertEquals(SESSION, o.summary().lines(), "every acquired line classified");
            assertEquals(o.stats().shaperRuns(), o.summary().conditionings());
        }
        assertEquals(0, report.stats().shaperRuns());
        assertTrue(report.stats().commands().stream().noneMatch(c -> c.startsWith("Scan.Action")),
                "report only never touches the scan: " + report.stats().commands());

        double before = report.stats().badTipFraction();
        assertTrue(before > 0.5, "without conditioning the tip stays bad once it turns: " + before);
        for (Outcome o : List.of(condition, both)) {
            double after = o.stats().badTipFraction();
            assertTrue(after < before / 3, "conditioning must cut the bad-tip fraction: " + before + " → " + after);
            List<Integer> runs = o.stats().badEpisodes();
            assertTrue(runs.size() >= 5, "the tip turned bad and was restored several times: " + runs);
            assertTrue(o.stats().badEpisodeQuantile(0.5) <= 2 * MIN_LINES, "median detection delay in lines: " + runs);
        }
        assertTrue(change.stats().badTipFraction() < before, "tip changes alone help too");
        assertTrue(both.stats().badTipFraction() <= condition.stats().badTipFraction() + 0.01,
                "either trigger is at least as good as the class alone");
    }
}
