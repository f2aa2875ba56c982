package org.scanline.nanonis;

import java.util.ArrayList;
import java.util.List;
import org.scanline.Architecture;
import org.scanline.BadDataException;
import java.util.Optional;
import org.scanline.LineState;
import org.scanline.LineStream;
import org.scanline.ModelInfo;
import org.scanline.Normalizer;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;
import org.scanline.TipChange;
import org.scanline.TipChangeDetector;

/**
 * A stand-in for a trained model in the watch-loop tests: a fixed rule, not a mock. It sees only the
 * lines it is pushed — never the simulator's truth — and calls the tip blunt when the lines' fine
 * structure fades: the mean over the last four lines of the line's high-pass RMS (a pixel minus the
 * mean of its neighbours) against 20 pm. A sharp tip resolves the H:Si(100) atoms (typically
 * 30–60 pm of it); a blunt one, the simulator's "rows" class, shows 5–15 pm. It also has a
 * "tip-state head": the same rule on the line alone gives the line's state, and scanline-api's
 * {@link TipChangeDetector} turns those into tip changes, as a real stream does. Deterministic, so
 * the loop's figures reproduce exactly.
 */
final class BluntTipDetector implements ScanLineClassifier {
    static final List<String> CLASSES = List.of("sharp", "blunt");
    private static final double THRESHOLD_M = 20e-12;
    private static final double SCALE_M = 2e-12;
    private static final int WINDOW = 4;

    private final ModelInfo info;
    private final double confidenceThreshold;

    BluntTipDetector(int pixels, int maxLines, double confidenceThreshold) {
        this.info = new ModelInfo(2, Architecture.CAUSAL, CLASSES, pixels, maxLines, Normalizer.NONE, 1, "rule", "test",
                "{}", "{}", CLASSES);
        this.confidenceThreshold = confidenceThreshold;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public Prediction classify(float[][] scan) {
        try (LineStream s = newStream()) {
            Prediction p = null;
            for (float[] line : scan) {
                p = s.push(line);
            }
            if (p == null) {
                throw new BadDataException("no lines");
            }
            return p;
        }
    }

    @Override
    public List<Prediction> classifyBatch(List<float[][]> scans) {
        List<Prediction> out = new ArrayList<>();
        for (float[][] s : scans) {
            out.add(classify(s));
        }
        return out;
    }

    @Override
    public LineStream newStream() {
        return new LineStream() {
            private final double[] recent = new double[WINDOW];
            private TipChangeDetector changes = new TipChangeDetector(CLASSES, 0.9, 2);
            private int seen;

            @Override
            public Prediction push(float[] line) {
                if (line.length != info.pixels()) {
                    throw new BadDataException("expected " + info.pixels() + " pixels, found " + line.length);
                }
                if (seen >= info.maxLines()) {
                    throw new BadDataException("line " + seen + " is past the maximum of " + info.maxLines());
                }
                double s = 0;
                for (int p = 1; p < line.length - 1; p++) {
                    double d = line[p] - 0.5 * (line[p - 1] + line[p + 1]);
                    s += d * d;
                }
                double rms = Math.sqrt(s / (line.length - 2));
                recent[seen % WINDOW] = rms;
                float bluntLine = blunt(rms);
                float[] state = {1 - bluntLine, bluntLine};
                int si = bluntLine > 0.5f ? 1 : 0;
                Optional<TipChange> change = changes.update(seen, state);
                seen++;
                int n = Math.min(seen, WINDOW);
                double mean = 0;
                for (int i = 0; i < n; i++) {
                    mean += recent[i];
                }
                mean /= n;
                float blunt = blunt(mean);
                float[] probs = {1 - blunt, blunt};
                int c = blunt > 0.5f ? 1 : 0;
                return new Prediction(c, CLASSES.get(c), probs, seen, probs[c] < confidenceThreshold,
                        Optional.of(new LineState(si, CLASSES.get(si), state)), change);
            }

            @Override
            public int linesSeen() {
                return seen;
            }

            @Override
            public void reset() {
                seen = 0;
                changes = new TipChangeDetector(CLASSES, 0.9, 2);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
    }

    private static float blunt(double rms) {
        return (float) (1 / (1 + Math.exp((rms - THRESHOLD_M) / SCALE_M)));
    }
}
