package org.scanline.run;

import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;
import org.scanline.dataset.Splits;
import org.scanline.simulate.SimulatedDataset;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.SimulatorConfig;
import org.scanline.train.SimulationConfig;
import org.scanline.train.TrainingConfig;

/**
 * The one home of a run's splits: the stratified train/validation/test split of a dataset file,
 * computed from the config (splitSeed and ratios), and the simulator's fixed validation scans of a
 * run trained on the fly. Training takes its data here, and evaluation and the exporter take the same
 * held-out scans here, so the two cannot drift apart.
 *
 * <pre>{@code
 * RunSplits s = RunSplits.of(run.config(), data);
 * ScanDataset test = s.splits().test(data);
 * }</pre>
 *
 * <p>Internal: public so that training, evaluation and the exporter take one split; not part of
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
        Splits s = Splits.stratified(data.labels(), config.trainRatio(), config.valRatio(), config.splitSeed());
        return new RunSplits(s.trainIndices().clone(), s.validIndices().clone(), s.testIndices().clone());
    }

    /**
     * The split of a dataset about to be trained on, which must leave scans to train and validate on.
     *
     * @param config the run's config
     * @param data the whole dataset
     * @return the split
     * @throws BadDataException if the training or the validation split would be empty
     */
    public static RunSplits forTraining(TrainingConfig config, ScanDataset data) {
        RunSplits s = of(config, data);
        if (s.train.length == 0 || s.valid.length == 0) {
            throw new BadDataException(data.source() + ": " + data.count() + " scans are too few for a training and a "
                    + "validation split at trainRatio " + config.trainRatio() + ", valRatio " + config.valRatio());
        }
        return s;
    }

    /** @return the same split as {@link Splits}, which takes the scans out of a dataset */
    public Splits splits() {
        return new Splits(train, valid, test);
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
        String hash = Provenance.contentSha256(data);
        if (!recorded.isEmpty() && !recorded.equals(hash)) {
            throw new BadDataException(data.source() + ": this is not the dataset run " + run.directory()
                    + " was trained on (content SHA-256 " + hash + ", the run recorded " + recorded + ")");
        }
        return of(run.config(), data).splits().valid(data);
    }

    /**
     * The fixed validation scans of a run trained on the simulator ({@code simulation.validSeed}), raw,
     * with the labels it validated against.
     *
     * @param run a run folder whose config has a simulation
     * @return the validation scans
     * @throws BadConfigException if the run was trained on a dataset
     */
    public static ScanDataset simulatedValidation(RunFolder run) {
        SimulationConfig sim = run.config().simulation();
        if (sim == null) {
            throw new BadConfigException(run.directory() + " was trained on a dataset, not the simulator");
        }
        return labelled(sim, simulatedValidationScans(sim));
    }

    /**
     * @param sim the run's simulation
     * @return scans {@code 0 … validScans − 1} of {@code validSeed}, with their line states
     */
    public static SimulatedDataset simulatedValidationScans(SimulationConfig sim) {
        return new Simulator(simulatorConfig(sim)).generate(sim.validSeed(), sim.validScans());
    }

    /**
     * @param sim the run's simulation
     * @param scans simulated scans
     * @return the scans with the labels a run trains and validates on: the true ones or the label-noised ones
     */
    public static ScanDataset labelled(SimulationConfig sim, SimulatedDataset scans) {
        ScanDataset d = scans.dataset();
        return new ScanDataset(d.source(), d.images(), d.count(), d.lines(), d.pixels(),
                sim.trueLabels() ? scans.labelsTrue() : d.labels(), d.classNames());
    }

    /**
     * @param sim a run's simulation
     * @return the simulator settings it stands for
     */
    public static SimulatorConfig simulatorConfig(SimulationConfig sim) {
        return SimulatorConfig.builder().lines(sim.lines()).pixels(sim.pixels()).difficulty(sim.difficulty()).build();
    }
}
