package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the command line writes by default into the folder it runs in never shows up as a change to
 * commit: the demo's output, the Quick start's scratch folder, and {@code watch}'s decision log
 * ({@code watch-<time>.jsonl}, which used to be untracked noise in {@code git status}).
 */
class GitIgnoreTest {
    static boolean ignored(Path root, String path) throws Exception {
        Process p = new ProcessBuilder("git", "-C", root.toString(), "check-ignore", "-q", "--no-index", path)
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS));
        assumeTrue(p.exitValue() == 0 || p.exitValue() == 1, "git check-ignore could not run here");
        return p.exitValue() == 0;
    }

    @Test
    void theFilesTheCommandsWriteByDefaultAreIgnored() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(root.resolve(".git")) || Files.isRegularFile(root.resolve(".git")),
                "not a git checkout: " + root);
        for (String path : new String[] {"watch-20261208_021500.jsonl", "demo-out/scan-0-rows.png", "scratch/sim.npz"}) {
            assertEquals(true, ignored(root, path), path);
        }
        assertEquals(false, ignored(root, "docs/reliability.md"), "the check tells ignored from tracked");
    }
}
