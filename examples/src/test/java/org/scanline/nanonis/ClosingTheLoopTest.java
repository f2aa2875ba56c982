package org.scanline.nanonis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
    record Outcome(SimulatedNanonis.Stats stats, List<SimulatedMicroscope.Line> lines, ScanWatcher.Summary summary) {

        /** @return lengths of the runs of consecutive bad-tip lines that ended before the session did */
        List<Integer> badRuns() {
            List<Integer> runs = new ArrayList<>();
            int run = 0;
            for (SimulatedMicroscope.Line l : lines) {
                if (l.badTip()) {
                    run++;
                } else if (run > 0) {
                    runs.add(run);
                    run = 0;
                }
            }
            return runs;
        }
    }

    static SimulatedNanonis.Config sim() {
        return SimulatedNanonis.Config.builder().seed(SEED).lines(LINES).pixels(PIXELS).lockstep(true)
                .lineTime(Duration.ZERO).degradePerLine(DEGRADE).badClass(2).shaperTime(Duration.ZERO).continuous(true)
                .sessionLines(SESSION).recordLines(true).build();
    }

    Outcome run(ScanWatcher.Action action) {
        try (SimulatedNanonis sim = SimulatedNanonis.start(sim(), "127.0.0.1", 0);
             NanonisClient client = NanonisClient.connect("127.0.0.1", sim.port(), Duration.ofSeconds(5))) {
            BluntTipDetector model = new BluntTipDetector(PIXELS, LINES, 0.9);
            BadTipPolicy policy = new BadTipPolicy(List.of(BadTipPolicy.badClass(Set.of(1), model.classNames(), 0.9, MIN_LINES)));
            ScanWatcher.Settings settings = ScanWatcher.Settings.builder().poll(Duration.ofNanos(1000)).action(action)
                    .shaperWait(Duration.ofSeconds(5)).maxConditioning(10_000).build();
            ScanWatcher.Summary s = new ScanWatcher(client, null, model, policy, TipSignals.ofPrediction(), settings,
                    dir.resolve(action.label() + ".jsonl"), new ScanWatcher.Listener() { }).run();
            return new Outcome(sim.stats(), sim.lines(), s);
        }
    }

    @Test
    void conditioningCutsTheLinesAcquiredWithABadTip() {
        Outcome report = run(ScanWatcher.Action.REPORT);
        Outcome condition = run(ScanWatcher.Action.CONDITION);

        assertEquals(SESSION, report.stats().linesAcquired());
        assertEquals(SESSION, condition.stats().linesAcquired());
        assertEquals(SESSION, report.summary().lines(), "every acquired line classified");
        assertEquals(SESSION, condition.summary().lines(), "every acquired line classified");
        assertEquals(0, report.stats().shaperRuns());
        assertTrue(report.stats().commands().stream().noneMatch(c -> c.startsWith("Scan.Action")),
                "report only never touches the scan: " + report.stats().commands());

        double before = report.stats().badTipFraction();
        double after = condition.stats().badTipFraction();
        List<Integer> runs = condition.badRuns();
        int[] sorted = runs.stream().mapToInt(Integer::intValue).sorted().toArray();
        int episodes = sorted.length;
        double mean = runs.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
        int shaper = condition.stats().shaperRuns();
        System.out.printf(Locale.ROOT, "closing the loop, seed %d, %d lines of %d × %d, tip turns blunt with p = %.4f per line%n"
                + "  report only: %.1f %% of lines acquired with a bad tip%n"
                + "  conditioning: %.1f %% (%d tip shaper runs, %d bad-tip episodes ended by one: bad lines per episode "
                + "median %d, mean %.1f, max %d; %d runs on a good tip)%n",
                SEED, SESSION, LINES, PIXELS, DEGRADE, 100 * before, 100 * after, shaper, episodes,
                episodes == 0 ? 0 : sorted[episodes / 2], mean, episodes == 0 ? 0 : sorted[episodes - 1], shaper - episodes);

        assertTrue(before > 0.5, "without conditioning the tip stays bad once it turns: " + before);
        assertTrue(after < before / 5, "conditioning must cut the bad-tip fraction: " + before + " → " + after);
        assertTrue(episodes >= 5, "the tip turned bad and was restored several times: " + episodes);
        assertTrue(sorted[episodes / 2] <= 2 * MIN_LINES + 4, "median detection delay in lines: " + sorted[episodes / 2]);
        assertEquals(shaper, condition.summary().conditionings());
        assertTrue(condition.stats().commands().contains("Scan.Action stop"));
    }
}
