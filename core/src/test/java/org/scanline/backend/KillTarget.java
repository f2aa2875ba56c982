package org.scanline.backend;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A training run in a child JVM for {@link SigkillResumeTest}: slowed down so that a kill lands
 * mid-epoch. It resumes the run in the runs folder if there is one, else starts it, and prints
 * {@code start E BATCHES} as each epoch starts, {@code batch E B} after each batch and {@code epoch E} after each epoch's checkpoint.
 */
public final class KillTarget {
    private KillTarget() {
    }

    /**
     * @param args the runs folder
     * @throws IOException if the runs folder cannot be listed
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        ChildTraining.fitOrResume(Path.of(args[0]), true);
        System.out.println("done");
    }
}
