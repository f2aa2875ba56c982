package org.scanline.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.scanline.Architecture;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainingConfig;

/**
 * What the child-JVM training targets ({@link KillTarget}, {@link StopTarget}) and their tests share:
 * the run's config, finding its folder, a listener that prints progress and slows every batch down
 * so that a signal lands mid-epoch, and "resume the run if there is one, else start it".
 */
final class ChildTraining {
    private ChildTraining() {
    }

    static TrainingConfig config(Path runs) {
        return TinyScans.config(Architecture.CAUSAL, runs).epochs(4).dropout(0.1).noiseStd(0.1).samplesPerScan(2)
                .seed(21).build();
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
     * Prints {@code batch E B} after each batch, then sleeps 150 ms; {@code epoch E} after each
     * epoch's checkpoint; with {@code epochStarts}, {@code start E BATCHES} as each epoch starts.
     */
    static TrainingListener slowPrinting(boolean epochStarts) {
        return new TrainingListener() {
            @Override
            public void onEpochStart(TrainingContext ctx, int batches, double lr) {
                if (epochStarts) {
                    System.out.println("start " + ctx.epoch() + " " + batches);
                }
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
    }

    /** Resumes the run under {@code runs} if there is one, else starts it, with a slow printing listener. */
    static void fitOrResume(Path runs, boolean epochStarts) throws IOException {
        DjlTrainingBackend backend = new DjlTrainingBackend(List.of(slowPrinting(epochStarts)));
        Optional<Path> run = run(runs);
        if (run.isPresent()) {
            backend.resume(run.get(), TinyScans.make(6, 8)).close();
        } else {
            backend.fit(config(runs), TinyScans.make(6, 8)).close();
        }
    }
}
