package org.scanline.backend;

import org.scanline.ScanDataset;
import org.scanline.run.RunSplits;
import org.scanline.simulate.SimulatedDataset;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.SimulatorConfig;
import org.scanline.train.SimulationConfig;
import org.scanline.train.TrainingConfig;

/**
 * Fresh simulated scans every epoch: epoch {@code e} holds scans
 * {@code (e − 1)·n … e·n − 1} of the training seed ({@code n = stepsPerEpoch × batchSize}), so a
 * replayed or resumed epoch sees exactly the same scans and no scan is ever seen twice. Validation is
 * the run's fixed simulated scans ({@link RunSplits#simulatedValidationScans}).
 */
final class SimulatedTrainingData extends TrainingData {
    private final TrainingConfig config;
    private final SimulationConfig sim;
    private final Simulator simulator;

    private SimulatedTrainingData(TrainingConfig config, Simulator simulator, SimulatedDataset valid) {
        super(normalised(RunSplits.labelled(config.simulation(), valid), config), valid.lineStates(),
                weights(simulator.config(), config), SimulatorConfig.CLASS_NAMES);
        this.config = config;
        this.sim = config.simulation();
        this.simulator = simulator;
    }

    /** @param config a config with a simulation @return its training and validation scans */
    static SimulatedTrainingData of(TrainingConfig config) {
        Simulator simulator = new Simulator(RunSplits.simulatorConfig(config.simulation()));
        return new SimulatedTrainingData(config, simulator, RunSplits.simulatedValidationScans(config.simulation()));
    }

    /** Inverse frequency N/(K·n_c) of the simulator's class shares, as ClassWeights computes it for a dataset. */
    private static float[] weights(SimulatorConfig simulator, TrainingConfig config) {
        double[] shares = simulator.classShares();
        float[] weights = new float[shares.length];
        for (int c = 0; c < shares.length; c++) {
            weights[c] = config.classWeights() ? (float) (1.0 / (shares.length * shares[c])) : 1f;
        }
        return weights;
    }

    @Override
    Epoch epoch(int epoch) {
        int n = sim.stepsPerEpoch() * config.batchSize();
        SimulatedDataset d = simulator.generate(sim.seed(), (long) (epoch - 1) * n, n, threads(), null);
        return new Epoch(normalised(RunSplits.labelled(sim, d), config), d.lineStates());
    }

    private static ScanDataset normalised(ScanDataset d, TrainingConfig config) {
        config.normalizer().normalizeScans(d.images(), (long) d.count() * d.lines(), d.pixels());
        return d;
    }

    /** @return the simulator's version, which with the seeds names every scan this run sees */
    String simulatorVersion() {
        return simulator.config().version();
    }

    private static int threads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
