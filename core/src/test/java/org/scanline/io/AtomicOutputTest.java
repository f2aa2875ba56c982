package org.scanline.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AtomicOutput}, the one way the project writes files: new files get the permissions of any
 * new file (not {@code createTempFile}'s owner-only 0600, which kept a microscope's service account
 * from reading exported models), a failure mid-write leaves neither the file nor a temporary, and a
 * JVM ended by SIGTERM deletes the temporary it was writing.
 */
class AtomicOutputTest {
    @TempDir
    Path dir;

    static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    static Set<PosixFilePermission> mode(Path p) throws IOException {
        return Files.getPosixFilePermissions(p);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyWayOfWritingGivesThePermissionsOfAPlainNewFile() throws IOException {
        Assumptions.assumeTrue(posix(dir), "needs POSIX permissions");
        Set<PosixFilePermission> plain = mode(Files.createFile(dir.resolve("plain")));
        AtomicOutput.writeString(dir.resolve("a.txt"), "a");
        AtomicOutput.write(dir.resolve("b.bin"), out -> out.write(1));
        AtomicOutput.writeText(dir.resolve("c.csv"), w -> w.write("c"));
        AtomicOutput.writeFile(dir.resolve("d.png"), tmp -> Files.write(tmp, new byte[] {1}));
        try (AtomicOutput out = new AtomicOutput(dir.resolve("e.onnx"))) {
            out.stream().write(2);
            out.commit();
        }
        for (String f : List.of("a.txt", "b.bin", "c.csv", "d.png", "e.onnx")) {
            assertEquals(PosixFilePermissions.toString(plain), PosixFilePermissions.toString(mode(dir.resolve(f))), f);
        }
    }

    /** The case: under umask 022 a written file is readable by group and others, as any new file is. */
    @Test
    void underUmask022TheFileIsReadableByGroupAndOthers() throws Exception {
        Assumptions.assumeTrue(posix(dir) && Files.isExecutable(Path.of("/bin/sh")), "needs POSIX and /bin/sh");
        Path file = dir.resolve("model.onnx");
        Process p = new ProcessBuilder("/bin/sh", "-c", "umask 022 && touch \"$1\" && exec \"$2\" -cp \"$3\" "
                + AtomicOutputChild.class.getName() + " write \"$4\"", "sh", dir.resolve("plain").toString(),
                javaBin(), System.getProperty("java.class.path"), file.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(mode(dir.resolve("plain"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(mode(file)));
    }

    @Test
    void aFailureMidWriteLeavesNoFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("model.onnx");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicOutput.write(target, out -> {
            out.write(new byte[200_000]);
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals(List.of(), names());

        assertThrows(UncheckedIOException.class, () -> AtomicOutput.writeFile(dir.resolve("plot.png"), tmp -> {
            Files.write(tmp, new byte[1000]);
            throw new IOException("encoder failed");
        }));
        assertEquals(List.of(), names());

        AtomicOutput.writeString(target, "old");
        assertThrows(UncheckedIOException.class, () -> AtomicOutput.write(target, out -> {
            out.write("new, half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("killed");
        }));
        assertEquals("old", Files.readString(target), "the previous file is untouched");
        assertEquals(List.of("model.onnx"), names());
    }

    @Test
    void aJvmEndedBySigtermDeletesTheTemporaryItWasWriting() throws Exception {
        Path target = dir.resolve("model.onnx");
        Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                AtomicOutputChild.class.getName(), "hold", target.toString()).redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null && !line.equals("open"); ) {
                log.append(line).append('\n');
            }
            assertEquals(1, names().size(), "the child holds one temporary: " + names() + "\n" + log);
            assertTrue(names().get(0).contains(AtomicOutput.TEMP_MARK), names()::toString);
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(143, p.exitValue(), "ended by SIGTERM");
        assertEquals(List.of(), names());
        assertFalse(Files.exists(target));
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
