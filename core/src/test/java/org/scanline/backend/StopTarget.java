package org.scanline.backend;

import java.nio.file.Path;
import org.scanline.train.TrainingInterruptedException;

/**
 * A training run in a child JVM for {@link GracefulStopTest}, with SIGINT and SIGTERM handled as
 * the CLI does. Prints {@code signals [..]} once handlers are installed, {@code batch E B} after each
 * batch (then sleeps, so a signal lands between batches), {@code epoch E} after each checkpoint;
 * ends with {@code done} (exit 0) or {@code interrupted SAVED_EPOCH RUN|-} and the message (exit 130).
 */
public final class StopTarget {
    private StopTarget() {
    }

    /** @param args the runs folder */
    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Path runs = Path.of(args[0]);
        try (GracefulStop.Handlers signals = GracefulStop.onSignals(System.out)) {
            System.out.println("signals " + signals.handled());
            ChildTraining.fitOrResume(runs, false);
        } catch (TrainingInterruptedException e) {
            System.out.println("interrupted " + e.savedEpoch() + " " + e.runDirectory().map(Path::toString).orElse("-"));
            System.out.println(e.getMessage());
            System.out.flush();
            System.exit(130);
        }
        System.out.println("done");
    }
}
