package org.scanline.backend;

import org.scanline.BadDataException;

import org.apiguardian.api.API;
import org.scanline.ScanDataset;
import org.scanline.dataset.Splits;
import org.scanline.train.TrainingConfig;

/**
 * The split a run trained on, recomputed from its config (splitSeed and ratios) exactly as training
 * computes it, so evaluation can take the run's own held-out test scans.
 *
 * <pre>{@code
 * RunSplits s = RunSplits.of(run.config(), data);
 * ScanDataset test = data.subset(s.test(), "test");
 * }</pre>
 *
 * <p>Internal: public so that evaluation and the exporter take the split training took; not part of
 * the library's API.
 *
 * @param train indices of the training scans, sorted
 * @param valid indices of the validation scans, sorted
 * @param test indices of the test scans, sorted
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public record RunSplits(int[] train, int[] valid, int[] test) {

    /**
     * @param config the run's config
     * @param data the whole dataset the run was trained on
     * @return the split training used
     */
    public static RunSplits of(TrainingConfig config, ScanDataset data) {
        // exactly the call TrainingLoop makes
        Splits s = Splits.stratified(data.labels(), config.trainRatio(), config.valRatio(), config.splitSeed());
        return new RunSplits(s.trainIndices().clone(), s.validIndices().clone(), s.testIndices().clone());
    }

    /**
     * @param data a dataset
     * @return the content hash training records in {@code config.json} ({@code dataset.contentSha256})
     */
    public static String contentSha256(ScanDataset data) {
        return TrainingLoop.contentSha256(data);
    }

    /**
     * The run's validation scans, after checking that {@code data} is the dataset the run recorded.
     *
     * @param run the run folder
     * @param data the dataset the run was trained on
     * @return the validation scans, raw
     * @throws BadDataException if the data is not the run's (different content hash)
     */
    public static ScanDataset validation(RunFolder run, ScanDataset data) {
        String recorded = run.dataContentSha256();
        String hash = contentSha256(data);
        if (!recorded.isEmpty() && !recorded.equals(hash)) {
            throw new BadDataException(data.source() + ": this is not the dataset run " + run.directory()
                    + " was trained on (content SHA-256 " + hash + ", the run recorded " + recorded + ")");
        }
        return data.subset(of(run.config(), data).valid(), "valid");
    }

    /**
     * The fixed validation scans of a run trained on the simulator ({@code simulation.validSeed}), raw,
     * with the labels it validated against.
     *
     * @param run a run folder whose config has a simulation
     * @return the validation scans
     * @throws org.scanline.BadConfigException if the run was trained on a dataset
     */
    public static ScanDataset simulatedValidation(RunFolder run) {
        org.scanline.train.SimulationConfig sim = run.config().simulation();
        if (sim == null) {
            throw new org.scanline.BadConfigException(run.directory() + " was trained on a dataset, not the simulator");
        }
        org.scanline.simulate.SimulatedDataset v = new org.scanline.simulate.Simulator(
                SimulatedTrainingData.simulatorConfig(sim)).generate(sim.validSeed(), sim.validScans());
        ScanDataset d = v.dataset();
        return new ScanDataset(d.source(), d.images(), d.count(), d.lines(), d.pixels(),
                sim.trueLabels() ? v.labelsTrue() : d.labels(), d.classNames());
    }
}
