package org.scanline.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.scanline.Architecture;
import org.scanline.train.EpochMetrics;

/**
 * A training run in a child JVM for {@link SigkillResumeTest}: slowed down so that a kill lands
 * mid-epoch. It resumes the run in the runs folder if there is one, else starts it, and prints
 * {@code start E BATCHES} as each epoch starts, {@code batch E B} after each batch and {@code epoch E} after each epoch's checkpoint.
 */
public final class KillTarget {
    private KillTarget() {
    }

    static org.scanline.train.TrainingConfig config(Path runs) {
        return TinyScans.config(Architecture.CAUSAL, runs).epochs(4).dropout(0.1).noiseStd(0.1).samplesPerScan(2).seed(21).build();
    }

    /** @return the single run folder under {@code runs}, if training has created it */
    static Optional<Path> run(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("config.json"))).findFirst();
        }
    }

    /**
     * @param args the runs folder
     * @throws IOException if the runs folder cannot be listed
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        TrainingListener slow = new TrainingListener() {
            @Override
            public void onEpochStart(TrainingContext ctx, int batches, double lr) {
                System.out.println("start " + ctx.epoch() + " " + batches);
            }

            @Override
            public void onBatchEnd(TrainingContext ctx, int batch, double meanLoss, double accuracy) {
                System.out.println("batch " + ctx.epoch() + " " + batch);
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onEpochEnd(TrainingContext ctx, EpochMetrics train, EpochMetrics valid) {
                System.out.println("epoch " + ctx.epoch());
            }
        };
        Path runs = Path.of(args[0]);
        DjlTrainingBackend backend = new DjlTrainingBackend(List.of(slow));
        Optional<Path> run = run(runs);
        if (run.isPresent()) {
            backend.resume(run.get(), TinyScans.make(6, 8)).close();
        } else {
            backend.fit(config(runs), TinyScans.make(6, 8)).close();
        }
        System.out.println("done");
    }
}
