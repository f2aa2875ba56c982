package org.scanline.backend;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.scanline.ScanDataset;
import org.scanline.model.ScanModels;

/** The training objective's terms: class-weighted cross-entropy on the scan label, and the per-line tip-state loss. */
final class Losses {
    private Losses() {
    }

    /**
     * Class-weighted cross-entropy averaged as PyTorch's {@code CrossEntropyLoss(weight=w)} does:
     * Σ w_y·(−log softmax(z)_y) / Σ w_y over every sample and every output position, the scan's label
     * being the target at every position.
     *
     * @param logits {@code [B, T, K]}
     * @param target weighted one-hot labels
     * @return the scalar loss
     */
    static NDArray weightedLoss(NDArray logits, LossTarget target) {
        long positions = logits.getShape().get(1);
        return logits.logSoftmax(-1).mul(target.weights).sum().neg().div((float) (target.denominator * positions));
    }

    /**
     * Cross-entropy of the per-line tip-state head, averaged over every line of every sample.
     *
     * @param stateLogits {@code [B, T, S]}
     * @param oneHot {@code [B, T, S]} one-hot tip state of each line
     * @return the scalar loss
     */
    static NDArray lineStateLoss(NDArray stateLogits, NDArray oneHot) {
        long n = stateLogits.getShape().get(0) * stateLogits.getShape().get(1);
        return stateLogits.logSoftmax(-1).mul(oneHot).sum().neg().div((float) n);
    }

    /**
     * @param states tip state of every line, {@code [scans × scanLines]}
     * @param scanLines lines per scan in {@code states}
     * @return {@code [B, T, S]} one-hot tip states of the first {@code t} lines of the given scans
     */
    static NDArray lineStateTargets(NDManager manager, byte[] states, int scanLines, int[] scans, int t) {
        int s = ScanModels.LINE_STATES;
        float[] oneHot = new float[scans.length * t * s];
        for (int i = 0; i < scans.length; i++) {
            for (int l = 0; l < t; l++) {
                oneHot[(i * t + l) * s + states[scans[i] * scanLines + l]] = 1f;
            }
        }
        return manager.create(oneHot, new Shape(scans.length, t, s));
    }

    /** Weighted one-hot targets and their weight sum per position. */
    static final class LossTarget {
        final NDArray weights;
        final double denominator;

        LossTarget(NDArray weights, double denominator) {
            this.weights = weights;
            this.denominator = denominator;
        }

        /** @return {@code [B, 1, K]} holding each sample's class weight at its label, and Σ w_y */
        static LossTarget of(NDManager manager, int[] labels, float[] classWeights) {
            int k = classWeights.length;
            float[] w = new float[labels.length * k];
            double denom = 0;
            for (int i = 0; i < labels.length; i++) {
                w[i * k + labels[i]] = classWeights[labels[i]];
                denom += classWeights[labels[i]];
            }
            return new LossTarget(manager.create(w, new Shape(labels.length, 1, k)), denom);
        }

        /** @param set the scans @param scans which of them @param classWeights per class @return their targets */
        static LossTarget of(NDManager manager, ScanDataset set, int[] scans, float[] classWeights) {
            int[] labels = new int[scans.length];
            for (int i = 0; i < scans.length; i++) {
                labels[i] = set.label(scans[i]);
            }
            return of(manager, labels, classWeights);
        }
    }
}
