package org.scanline.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A child JVM for {@link AtomicOutputTest}: {@code write FILE} writes one file and exits;
 * {@code hold FILE} opens the file, writes a little, prints {@code open} and waits to be killed.
 */
public final class AtomicOutputChild {
    private AtomicOutputChild() {
    }

    /**
     * @param args the mode and the file
     * @throws Exception if writing fails or the wait is interrupted
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        if (args[0].equals("write")) {
            AtomicOutput.writeString(file, "written under the child's umask\n");
            return;
        }
        try (AtomicOutput out = new AtomicOutput(file)) {
            out.stream().write(new byte[4096]);
            out.stream().flush();
            System.out.println("open");
            System.out.flush();
            Thread.sleep(120_000);
            throw new IOException("not killed");
        }
    }
}
