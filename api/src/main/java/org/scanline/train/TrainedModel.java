package org.scanline.train;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The result of {@link TrainingSession#fit}: the run folder it wrote, the config it used and the
 * per-epoch metrics. The weights themselves live in the run folder's checkpoints; export them with
 * {@code scanline export RUN_DIR}. Holds native memory in some backends: close it.
 */
@API(status = API.Status.STABLE)
public interface TrainedModel extends AutoCloseable {

    /** @return the run folder ({@code runs/YYYYMMDD_HHMMSS...}) */
    Path runDirectory();

    /** @return the fully resolved config of the run */
    TrainingConfig config();

    /** @return every epoch's metrics, train and valid rows, in order */
    List<EpochMetrics> history();

    /** @return the validation row with the lowest loss: the epoch whose weights are kept as best */
    default Optional<EpochMetrics> bestValidation() {
        return history().stream()
                .filter(m -> m.split().equals("valid"))
                .min(Comparator.comparingDouble(EpochMetrics::loss));
    }

    @Override
    void close();
}
