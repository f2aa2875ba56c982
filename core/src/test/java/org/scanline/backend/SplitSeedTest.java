package org.scanline.backend;

import org.scanline.run.RunSplits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scanline.ScanDataset;
import org.scanline.train.TrainingConfig;

/** {@code seed} varies the initialisation and leaves the test scans alone; {@code splitSeed} chooses them. */
class SplitSeedTest {
    static ScanDataset data() {
        int n = 60;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return new ScanDataset("d", new float[n * 2 * 2], n, 2, 2, labels, List.of("a", "b", "c"));
    }

    @Test
    void anotherInitialisationSeedKeepsTheSplit() {
        ScanDataset d = data();
        RunSplits a = RunSplits.of(TrainingConfig.builder().seed(1).build(), d);
        RunSplits b = RunSplits.of(TrainingConfig.builder().seed(2).build(), d);
        assertArrayEquals(a.test(), b.test());
        assertArrayEquals(a.valid(), b.valid());
        RunSplits c = RunSplits.of(TrainingConfig.builder().seed(1).splitSeed(7).build(), d);
        assertFalse(Arrays.equals(a.test(), c.test()), "splitSeed chooses the test scans");
    }

    @Test
    void aConfigWrittenBeforeSplitSeedExistedSplitsAsItDidThen() {
        TrainingConfig old = TrainingConfig.fromJson("{\"seed\": 7}");
        assertEquals(7, old.splitSeed(), "runs of earlier versions split with seed");
        assertEquals(42, TrainingConfig.fromJson("{}").splitSeed());
        TrainingConfig now = TrainingConfig.builder().seed(7).build();
        assertEquals(42, now.splitSeed());
        assertEquals(now, TrainingConfig.fromJson(now.toJson()), "written configs carry splitSeed");
        ScanDataset d = data();
        assertArrayEquals(RunSplits.of(TrainingConfig.builder().seed(7).splitSeed(7).build(), d).test(),
                RunSplits.of(old, d).test());
    }
}
