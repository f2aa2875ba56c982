package org.scanline.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunFolderNameTest {
    @Test
    void runNameCarriesTheSlurmJobAndTask() {
        LocalDateTime t = LocalDateTime.of(2026, 11, 25, 5, 15, 0);
        assertEquals("20261125_051500", RunFolder.runName(t, Map.of()));
        assertEquals("20261125_051500_j123", RunFolder.runName(t, Map.of("SLURM_JOB_ID", "123")));
        assertEquals("20261125_051500_j123_4", RunFolder.runName(t, Map.of("SLURM_JOB_ID", "123", "SLURM_ARRAY_TASK_ID", "4")));
    }
}
