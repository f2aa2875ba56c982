package org.scanline.training;

import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;
import org.scanline.dataset.Splits;

/**
 * The exact validation split a run trained with, for steps after training (calibration at export):
 * the same stratified split, seed and ratios as the training loop, un-normalised.
 *
 * <pre>{@code
 * ScanDataset valid = RunSplits.validation(RunFolder.open(runDir), Datasets.read(dataPath));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class RunSplits {
    private RunSplits() {
    }

    /**
     * @param run the run folder
     * @param data the dataset the run was trained on
     * @return the validation scans, raw
     * @throws BadDataException if the data is not the run's (different content hash)
     */
    public static ScanDataset validation(RunFolder run, ScanDataset data) {
        String recorded = run.dataContentSha256();
        String hash = TrainingLoop.contentSha256(data);
        if (!recorded.isEmpty() && !recorded.equals(hash)) {
            throw new BadDataException(data.source() + ": this is not the dataset run " + run.directory()
                    + " was trained on (content SHA-256 " + hash + ", the run recorded " + recorded + ")");
        }
        return Splits.stratified(data.labels(), run.config().trainRatio(), run.config().valRatio(),
                run.config().seed()).valid(data);
    }
}
