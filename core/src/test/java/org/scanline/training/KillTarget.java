package org.scanline.training;

import java.nio.file.Path;
import java.util.List;
import org.scanline.Architecture;
import org.scanline.train.EpochMetrics;

/** A training run in a child JVM for {@link SigkillResumeTest}: slowed down so that a kill lands mid-epoch. */
public final class KillTarget {
    private KillTarget() {
    }

    static org.scanline.train.TrainingConfig config(Path runs) {
        return TinyScans.config(Architecture.CAUSAL, runs).epochs(4).dropout(0.1).noiseStd(0.1).samplesPerScan(2).seed(21).build();
    }

    /** @param args the runs folder */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        TrainingListener slow = new TrainingListener() {
            @Override
            public void onBatchEnd(TrainingContext ctx, int batch, double meanLoss, double accuracy) {
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
        new DjlTrainingBackend(List.of(slow)).fit(config(Path.of(args[0])), TinyScans.make(6, 8)).close();
    }
}
