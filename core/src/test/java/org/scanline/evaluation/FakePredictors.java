package org.scanline.evaluation;

import java.util.List;
import java.util.Random;
import org.scanline.ScanDataset;

/**
 * Scans whose label becomes readable at a known line, and a predictor that reads it: the class
 * shows in pixel 0 of every line from {@code informativeFrom} on (as {@code 10 + label}); before
 * that the pixels are noise in [-1, 1) and the predictor says "uniform".
 */
final class FakePredictors {
    static final List<String> CLASSES = List.of("good", "blunt", "double", "unstable");

    private FakePredictors() {
    }

    static ScanDataset data(int[] labels, int lines, int pixels, int informativeFrom) {
        Random r = new Random(3);
        float[] x = new float[labels.length * lines * pixels];
        for (int s = 0; s < labels.length; s++) {
            for (int t = 0; t < lines; t++) {
                int base = (s * lines + t) * pixels;
                for (int p = 0; p < pixels; p++) {
                    x[base + p] = (float) (2 * r.nextDouble() - 1);
                }
                if (t >= informativeFrom) {
                    x[base] = 10 + labels[s];
                }
            }
        }
        return new ScanDataset("fake", x, labels.length, lines, pixels, labels, CLASSES);
    }

    /** Reads the marker of one line; uniform when absent. */
    static void decode(float[] x, int lineOffset, float[] out, int outOffset, int k) {
        float v = x[lineOffset];
        if (v >= 10) {
            out[outOffset + Math.round(v - 10)] = 1;
        } else {
            for (int c = 0; c < k; c++) {
                out[outOffset + c] = 1f / k;
            }
        }
    }

    /** Like causal/lrcn: a row after every line, from that line (so only from lines seen so far). */
    static ScanPredictor perLine(int maxLines) {
        return new ScanPredictor() {
            @Override public int classCount() { return 4; }
            @Override public boolean perLine() { return true; }
            @Override public int maxLines() { return maxLines; }
            @Override public float[] predict(float[] batch, int n, int lines, int pixels) {
                float[] out = new float[n * lines * 4];
                for (int s = 0; s < n; s++) {
                    for (int t = 0; t < lines; t++) {
                        decode(batch, (s * lines + t) * pixels, out, (s * lines + t) * 4, 4);
                    }
                }
                return out;
            }
        };
    }

    /** Like vit: one row per sample, from the last line it was given. */
    static ScanPredictor wholeInput(int maxLines) {
        return new ScanPredictor() {
            @Override public int classCount() { return 4; }
            @Override public boolean perLine() { return false; }
            @Override public int maxLines() { return maxLines; }
            @Override public float[] predict(float[] batch, int n, int lines, int pixels) {
                float[] out = new float[n * 4];
                for (int s = 0; s < n; s++) {
                    decode(batch, (s * lines + lines - 1) * pixels, out, s * 4, 4);
                }
                return out;
            }
        };
    }
}
