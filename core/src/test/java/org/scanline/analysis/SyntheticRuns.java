package org.scanline.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scanline.run.MetricsCsv;
import org.scanline.train.EpochMetrics;
import org.scanline.train.TrainingConfig;

/** Writes run folders with a config and made-up metric curves, as the trainer would. */
public final class SyntheticRuns {
    private SyntheticRuns() {
    }

    /**
     * A run whose valid loss falls until {@code bestEpoch} and rises afterwards, while train keeps improving.
     *
     * @param dir run folder to create
     * @param config config to store (nested under "config" with provenance next to it)
     * @param epochs epochs to write
     * @param bestEpoch epoch of the lowest valid loss
     * @param validPeak best valid balanced accuracy
     * @return the folder
     */
    public static Path write(Path dir, TrainingConfig config, int epochs, int bestEpoch, double validPeak)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"format\":1,\"dataset\":{\"path\":\"x.npz\",\"sha256\":\"ab\"},"
                + "\"classNames\":[\"a\",\"b\",\"c\",\"d\"],\"config\":" + config.toJson() + "}");
        List<EpochMetrics> rows = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double trainLoss = 1.4 * Math.exp(-0.05 * e);
            double trainAcc = 0.3 + 0.5 * (1 - Math.exp(-0.08 * e));
            double validLoss = e <= bestEpoch ? 1.5 - 0.3 * e / bestEpoch : 1.2 + 0.02 * (e - bestEpoch);
            double validAcc = e <= bestEpoch ? 0.3 + (validPeak - 0.3) * e / bestEpoch : validPeak - 0.001 * (e - bestEpoch);
            rows.add(new EpochMetrics(e, "train", trainLoss, trainAcc, trainAcc - 0.01, 0.6 + trainAcc / 3, 1e-4, 10));
            rows.add(new EpochMetrics(e, "valid", validLoss, validAcc + 0.01, validAcc, 0.55 + validAcc / 3, 1e-4, 2));
        }
        MetricsCsv.write(dir.resolve("metrics.csv"), rows);
        return dir;
    }
}
