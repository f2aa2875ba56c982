package org.scanline.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;

/**
 * Training on the fly from the built-in simulator instead of from a file: every step draws fresh
 * scans, so a model never sees a scan twice. Scan {@code i} of epoch {@code e} is simulator scan
 * {@code (e − 1) · stepsPerEpoch · batchSize + i} of {@code seed}, a pure function of the config,
 * which is what makes a resumed run replay exactly. Validation uses the fixed scans
 * {@code 0 … validScans − 1} of {@code validSeed}; choose a test seed different from both.
 *
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.builder()
 *         .simulation(SimulationConfig.defaults())
 *         .lineStateWeight(0.5)
 *         .build();
 * TrainedModel model = TrainingSession.create(config).fitOnSimulator();
 * }</pre>
 *
 * @param lines lines per simulated scan
 * @param pixels pixels per simulated line
 * @param difficulty the simulator's difficulty knob (1 = its defaults; 0 … 3)
 * @param seed seed of the training scans
 * @param validSeed seed of the validation scans (must differ from {@code seed})
 * @param validScans number of validation scans
 * @param stepsPerEpoch optimiser steps per epoch (an epoch is the unit of checkpoints and metrics)
 * @param trueLabels train on the simulator's true scan labels rather than its label-noised ones
 *
 * <p>Each component is a config key ({@code simulation.lines}, …, {@link TrainingConfig#settings()})
 * with its {@code train} flag; {@link #defaults()} is the one place of their defaults.
 */
@API(status = API.Status.EXPERIMENTAL)
public record SimulationConfig(
        @Key(flag = "--sim-lines", label = "N", help = "Simulated lines per scan")
        @JsonProperty("lines") int lines,
        @Key(flag = "--sim-pixels", label = "N", help = "Simulated pixels per line")
        @JsonProperty("pixels") int pixels,
        @Key(flag = "--sim-difficulty", label = "D", help = "Simulator difficulty, 0-3")
        @JsonProperty("difficulty") double difficulty,
        @Key(flag = "--sim-seed", label = "N", help = "Seed of the simulated training scans")
        @JsonProperty("seed") long seed,
        @Key(flag = "--valid-seed", label = "N", help = "Seed of the simulated validation scans")
        @JsonProperty("validSeed") long validSeed,
        @Key(flag = "--valid-scans", label = "N", help = "Simulated validation scans")
        @JsonProperty("validScans") int validScans,
        @Key(flag = "--steps-per-epoch", label = "N", help = "Optimiser steps per epoch when simulating")
        @JsonProperty("stepsPerEpoch") int stepsPerEpoch,
        @Key(help = "Train on the simulator's true scan labels rather than its label-noised ones")
        @JsonProperty("trueLabels") boolean trueLabels) {

    /** Validates every value. */
    @JsonCreator
    public SimulationConfig {
        if (lines < 24) {
            throw new BadConfigException("simulation.lines must be at least 24, found " + lines);
        }
        if (pixels < 16) {
            throw new BadConfigException("simulation.pixels must be at least 16, found " + pixels);
        }
        if (!(difficulty >= 0 && difficulty <= 3)) {
            throw new BadConfigException("simulation.difficulty must be in [0, 3], found " + difficulty);
        }
        if (seed == validSeed) {
            throw new BadConfigException("simulation.validSeed must differ from simulation.seed (both " + seed
                    + "): validation scans must never be trained on");
        }
        if (validScans < 1) {
            throw new BadConfigException("simulation.validScans must be positive, found " + validScans);
        }
        if (stepsPerEpoch < 1) {
            throw new BadConfigException("simulation.stepsPerEpoch must be positive, found " + stepsPerEpoch);
        }
    }

    /**
     * @return 128 × 128 scans at default difficulty, training seed 1000, 1,000 validation scans of
     *     seed 2000, 250 steps per epoch, true labels
     */
    public static SimulationConfig defaults() {
        return new SimulationConfig(128, 128, 1.0, 1000, 2000, 1000, 250, true);
    }

    /**
     * @param lines lines per scan
     * @param pixels pixels per line
     * @return this config with another scan size
     */
    public SimulationConfig withSize(int lines, int pixels) {
        return new SimulationConfig(lines, pixels, difficulty, seed, validSeed, validScans, stepsPerEpoch, trueLabels);
    }

    /**
     * @param steps optimiser steps per epoch
     * @param valid validation scans
     * @return this config with another epoch and validation size
     */
    public SimulationConfig withBudget(int steps, int valid) {
        return new SimulationConfig(lines, pixels, difficulty, seed, validSeed, valid, steps, trueLabels);
    }
}
