package org.scanline.backend;

import org.scanline.run.RunFolder;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.BadModelException;

/** Run folders that this build cannot trust are refused by name, before anything is read from them. */
class RunFolderFormatTest {
    @TempDir
    Path dir;

    @Test
    void aRunFolderOfANewerFormatIsRefusedNamingBothVersions() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"format\": " + (RunFolder.FORMAT + 1)
                + ", \"config\": {}, \"classNames\": [\"a\"], \"pixels\": 16}");
        BadModelException e = assertThrows(BadModelException.class, () -> RunFolder.open(dir));
        assertTrue(e.getMessage().contains(dir.resolve("config.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("format " + (RunFolder.FORMAT + 1)) && e.getMessage().contains("newer"),
                e.getMessage());
        // Resuming goes through the same check.
        assertThrows(BadModelException.class, () -> new DjlTrainingBackend().resume(dir, TinyScans.make(2, 1)));
    }

    @Test
    void aHalfWrittenConfigIsRefusedNotTrusted() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"format\": 1, \"config\": {\"archi");
        BadModelException e = assertThrows(BadModelException.class, () -> RunFolder.open(dir));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }
}
