package org.scanline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.ScanDataset;
import org.scanline.train.TrainingConfig;

class SampleBatcherTest {
    @TempDir
    Path dir;

    @Test
    void minLinesBeyondTheScansIsAnErrorNotClampedAndNoRunFolderIsMade() {
        ScanDataset data = TinyScans.make(3, 1);
        Path runs = dir.resolve("runs");
        TrainingConfig tooLong = TinyScans.config(Architecture.CAUSAL, runs).maxLines(16).minLines(13).build();
        BadConfigException e = assertThrows(BadConfigException.class, () -> new SampleBatcher(data, tooLong));
        assertTrue(e.getMessage().contains("minLines (13)") && e.getMessage().contains(TinyScans.LINES + " lines")
                && e.getMessage().contains(data.source()), e.getMessage());
        assertThrows(BadConfigException.class, () -> TrainingLoop.fit(tooLong, data, List.of()));
        assertFalse(Files.exists(runs), "refused before a run folder is made");

        TrainingConfig exact = TinyScans.config(Architecture.CAUSAL, runs).maxLines(16).minLines(TinyScans.LINES).build();
        SampleBatcher b = new SampleBatcher(data, exact);
        assertEquals(TinyScans.LINES, b.minLength);
        assertEquals(TinyScans.LINES, b.maxLength, "maxLines beyond the scans is the model's capacity, not an error");
    }
}
