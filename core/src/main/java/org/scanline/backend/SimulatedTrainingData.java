package org.scanline.backend;

import java.util.List;
import org.scanline.ScanDataset;
import org.scanline.simulate.SimulatedDataset;
import org.scanline.simulate.Simulator;
import org.scanline.run.RunSplits;
import org.scanline.simulate.SimulatorConfig;
import org.scanline.train.SimulationConfig;
import org.scanline.train.TrainingConfig;

/**
 * Fresh simulated scans every epoch: epoch {@code e} holds scans
 * {@code (e − 1)·n … e·n − 1} of the training seed ({@code n = stepsPerEpoch × batchSize}), so a
 * replayed or resumed epoch sees exactly the same scans and no scan is ever seen twice.
 */
final class SimulatedTrainingData implements TrainingData {
    private final TrainingConfig config;
    private final SimulationConfig sim;
    private final Simulator simulator;
    private final ScanDataset valid;
    private final byte[] validStates;
    private final float[] weights;

    SimulatedTrainingData(TrainingConfig config) {
        this.config = config;
        this.sim = config.simulation();
        this.simulator = new Simulator(RunSplits.simulatorConfig(sim));
        SimulatedDataset v = RunSplits.simulatedValidationScans(sim);
        this.valid = normalised(RunSplits.labelled(sim, v));
        this.validStates = v.lineStates();
        double[] shares = simulator.config().classShares();
        this.weights = new float[shares.length];
        for (int c = 0; c < shares.length; c++) {
            // Inverse frequency N/(K·n_c), as ClassWeights computes it for a dataset.
            weights[c] = config.classWeights() ? (float) (1.0 / (shares.length * shares[c])) : 1f;
        }
    }

    @Override
    public Epoch epoch(int epoch) {
        int n = sim.stepsPerEpoch() * config.batchSize();
        SimulatedDataset d = simulator.generate(sim.seed(), (long) (epoch - 1) * n, n, threads(), null);
        return new Epoch(normalised(RunSplits.labelled(sim, d)), d.lineStates());
    }

    private ScanDataset normalised(ScanDataset d) {
        config.normalizer().normalizeScans(d.images(), (long) d.count() * d.lines(), d.pixels());
        return d;
    }

    /** @return the simulator's version, which with the seeds names every scan this run sees */
    String simulatorVersion() {
        return simulator.config().version();
    }

    private int threads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public ScanDataset valid() {
        return valid;
    }

    @Override
    public byte[] validLineStates() {
        return validStates;
    }

    @Override
    public float[] classWeights() {
        return weights.clone();
    }

    @Override
    public int pixels() {
        return sim.pixels();
    }

    @Override
    public List<String> classNames() {
        return SimulatorConfig.CLASS_NAMES;
    }
}
