package org.scanline.backend;

import org.scanline.train.TrainingConfig;

/**
 * The learning rate per epoch: a linear warm-up from {@code warmupStartLr} to {@code learningRate}
 * over {@code warmupEpochs}, then ReduceLROnPlateau, cosine decay or a constant.
 *
 * <p>Warm-up epoch e (1-based, e ≤ W) trains at {@code start + (peak − start)·(e − 1)/W}; the first
 * epoch after it at the peak. The plateau rule is PyTorch's {@code ReduceLROnPlateau(mode="min",
 * threshold=1e-4, threshold_mode="rel", cooldown=0)}: it watches the validation loss of the epochs
 * after warm-up and multiplies the rate by {@code plateauFactor} (not below {@code minLr}) once more
 * than {@code plateauPatience} epochs in a row did not improve on the best by 0.01 %. Cosine: epoch
 * e &gt; W trains at {@code minLr + (peak − minLr)·(1 + cos(π·(e − W − 1)/(epochs − W)))/2}.
 *
 * <pre>{@code
 * LearningRateSchedule s = new LearningRateSchedule(config);
 * double lr = s.lrForEpoch(epoch);     // before the epoch
 * s.observe(epoch, validationLoss);    // after it
 * }</pre>
 */
final class LearningRateSchedule {
    static final double PLATEAU_THRESHOLD = 1e-4;

    private final TrainingConfig config;
    private State state;

    /**
     * What the schedule remembers between epochs (saved in {@code last} checkpoints).
     *
     * @param plateauLr the current post-warm-up rate of the plateau rule
     * @param best the best validation loss seen after warm-up
     * @param badEpochs epochs since the last improvement
     */
    record State(double plateauLr, double best, int badEpochs) {
    }

    /** @param config the run's config */
    LearningRateSchedule(TrainingConfig config) {
        this.config = config;
        this.state = new State(config.learningRate(), Double.POSITIVE_INFINITY, 0);
    }

    /**
     * @param epoch 1-based epoch about to start
     * @return the learning rate it trains at
     */
    double lrForEpoch(int epoch) {
        int w = config.warmupEpochs();
        double peak = config.learningRate();
        if (epoch <= w) {
            return config.warmupStartLr() + (peak - config.warmupStartLr()) * (epoch - 1) / w;
        }
        return switch (config.schedule()) {
            case CONSTANT -> peak;
            case PLATEAU -> state.plateauLr();
            case COSINE -> {
                int span = Math.max(1, config.epochs() - w);
                double progress = Math.min(1.0, (double) (epoch - w - 1) / span);
                yield config.minLr() + (peak - config.minLr()) * (1 + Math.cos(Math.PI * progress)) / 2;
            }
        };
    }

    /**
     * Feeds the validation loss of a finished epoch to the plateau rule.
     *
     * @param epoch the 1-based epoch that finished
     * @param validationLoss its validation loss
     */
    void observe(int epoch, double validationLoss) {
        if (epoch <= config.warmupEpochs() || config.schedule() != TrainingConfig.Schedule.PLATEAU) {
            return;
        }
        double lr = state.plateauLr();
        double best = state.best();
        int bad = state.badEpochs();
        if (validationLoss < best * (1 - PLATEAU_THRESHOLD)) {
            best = validationLoss;
            bad = 0;
        } else {
            bad++;
        }
        if (bad > config.plateauPatience()) {
            lr = Math.max(lr * config.plateauFactor(), config.minLr());
            bad = 0;
        }
        state = new State(lr, best, bad);
    }

    /** @return the state to save */
    State state() {
        return state;
    }

    /** @param saved a state from {@link #state()} */
    void restore(State saved) {
        this.state = saved;
    }
}
