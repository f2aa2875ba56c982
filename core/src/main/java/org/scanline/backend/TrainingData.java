package org.scanline.backend;

import java.util.List;
import org.scanline.ScanDataset;

/**
 * Where a run's scans come from: the same training split every epoch (a dataset file) or fresh
 * simulated scans every epoch. Every set is already normalised. Line states, where known, are the
 * per-line tip states {@code [scans × lines]}; {@code null} where the data have none (real scans).
 */
interface TrainingData {

    /** One epoch's training scans and, when known, their per-line tip states. */
    record Epoch(ScanDataset scans, byte[] lineStates) {
    }

    /** @return the scans of epoch {@code epoch} (1-based), normalised */
    Epoch epoch(int epoch);

    /** @return the fixed validation scans, normalised */
    ScanDataset valid();

    /** @return per-line tip states of {@link #valid()}, or null */
    byte[] validLineStates();

    /** @return the loss weight of each class */
    float[] classWeights();

    /** @return pixels per line */
    int pixels();

    /** @return class names, index = label */
    List<String> classNames();
}
