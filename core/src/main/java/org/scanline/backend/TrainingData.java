package org.scanline.backend;

import java.util.List;
import org.scanline.ScanDataset;

/**
 * Where a run's scans come from: the same training split every epoch ({@link FileTrainingData}) or
 * fresh simulated scans every epoch ({@link SimulatedTrainingData}); the fixed validation scans, the
 * class weights and the class names are the same kind of thing for both and held here. Every set is
 * already normalised. Line states, where known, are the per-line tip states {@code [scans × lines]};
 * {@code null} where the data have none (real scans).
 */
abstract class TrainingData {

    /** One epoch's training scans and, when known, their per-line tip states. */
    record Epoch(ScanDataset scans, byte[] lineStates) {
    }

    private final ScanDataset valid;
    private final byte[] validLineStates;
    private final float[] classWeights;
    private final List<String> classNames;

    TrainingData(ScanDataset valid, byte[] validLineStates, float[] classWeights, List<String> classNames) {
        this.valid = valid;
        this.validLineStates = validLineStates;
        this.classWeights = classWeights;
        this.classNames = classNames;
    }

    /** @return the scans of epoch {@code epoch} (1-based), normalised */
    abstract Epoch epoch(int epoch);

    /** @return the fixed validation scans, normalised */
    final ScanDataset valid() {
        return valid;
    }

    /** @return per-line tip states of {@link #valid()}, or null */
    final byte[] validLineStates() {
        return validLineStates;
    }

    /** @return the loss weight of each class */
    final float[] classWeights() {
        return classWeights.clone();
    }

    /** @return pixels per line */
    final int pixels() {
        return valid.pixels();
    }

    /** @return class names, index = label */
    final List<String> classNames() {
        return classNames;
    }
}
