package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./scanline} launcher builds on first use. Maven 3.8 writes colour resets ({@code ESC[0m})
 * even with {@code -B -q}, which reached the user's stderr as a stray {@code [0m[0m}. The launcher runs
 * here in a copy of the checkout's layout with stand-ins for {@code mvn} and {@code java} on the PATH
 * (the real build is a minute; what is tested is the launcher's handling of what Maven prints).
 */
class LauncherTest {
    @TempDir
    Path dir;

    static final String ESC = "\u001b";

    Path checkout(String mvnBody) throws IOException {
        Path root = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(Path.of("../scanline"), root.resolve("scanline"));
        Files.createDirectories(root.resolve("examples/src/main"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        script(bin.resolve("mvn"), mvnBody);
        script(bin.resolve("java"), "echo \"java ran: ${*: -1}\"");
        return root;
    }

    static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    String[] run(Path root) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("scanline").toString(), "demo");
        pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher did not finish");
        return new String[] {Integer.toString(p.exitValue()), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8)};
    }

    @Test
    void aQuietBuildLeavesNoColourCodesOnStderr() throws Exception {
        Path root = checkout("printf '\\033[0m\\033[0m'; printf '\\033[0m\\033[0m' >&2\n"
                + "mkdir -p examples/target && echo /x.jar > examples/target/classpath.txt"
                + " && touch examples/target/scanline-examples-0.1.0-SNAPSHOT.jar");
        String[] r = run(root);
        assertEquals("0", r[0], r[2]);
        assertEquals("java ran: demo\n", r[1]);
        assertEquals("scanline: building (mvn -q -DskipTests package)...\n", r[2]);
    }

    @Test
    void aFailedBuildShowsMavensErrorsWithoutColourCodesAndStops() throws Exception {
        Path root = checkout("printf '\\033[1;31m[ERROR]\\033[m COMPILATION ERROR Foo.java:[3,1]\\033[0m\\n' >&2; exit 1");
        String[] r = run(root);
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("[ERROR] COMPILATION ERROR Foo.java:[3,1]"), r[2]);
        assertFalse(r[2].contains(ESC), r[2]);
        assertEquals("", r[1], "java does not run after a failed build");
    }
}
