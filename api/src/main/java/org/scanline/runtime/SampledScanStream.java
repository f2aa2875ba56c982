package org.scanline.runtime;

import java.util.EnumSet;
import java.util.Optional;
import org.scanline.BadDataException;
import org.scanline.LineState;
import org.scanline.ModelInfo;
import org.scanline.Prediction;
import org.scanline.Sampling;
import org.scanline.ScanStream;
import org.scanline.TipChange;
import org.scanline.TipChangeDetector;
import org.scanline.Uncertainty;

/**
 * A {@link ScanStream} on a classifier: a {@link LineSampler} brings each acquired line to the model's
 * sampling; every tile of a model line goes to its own {@link RollingLineStream}; the tiles'
 * probabilities are combined (their mean) and the prediction carries every reason it cannot be
 * trusted: low confidence, a sampling out of the model's range, a surface the model does not know
 * (when the file has a surface check), a non-finite model output.
 *
 * <p>With one tile, the tile's own prediction is reported (its tip state and tip change included);
 * with several, the tip states are averaged too and a detector of this stream's own confirms tip
 * changes on the averages.
 */
final class SampledScanStream implements ScanStream {
    private final OnnxClassifier owner;
    private final Sampling sampling;
    private final int inPixels;
    private final LineSampler sampler;
    private final int[] offsets;
    private final RollingLineStream[] tiles;
    private final float[] tile;
    private final PredictionDecoder decoder;
    private final SurfaceCheck.Scorer scorer;
    private final float[] probs;
    private final float[] states;
    private final TipChangeDetector detector;
    private final StreamGuard guard;
    private Prediction latest;
    private boolean released;

    /**
     * @param owner the classifier
     * @param sampling the frame's sampling, or null when unknown (lines one to one)
     * @param inPixels pixels per pushed line
     */
    SampledScanStream(OnnxClassifier owner, Sampling sampling, int inPixels) {
        ModelInfo info = owner.info();
        this.owner = owner;
        this.sampling = sampling;
        this.inPixels = inPixels;
        this.sampler = new LineSampler(info, sampling, inPixels);
        this.offsets = sampler.tileOffsets();
        this.decoder = owner.decoder();
        this.tile = new float[info.pixels()];
        this.probs = new float[info.classCount()];
        this.states = new float[info.lineStateNames().size()];
        this.detector = offsets.length > 1 && info.hasLineStates() ? owner.tipChangeDetector() : null;
        this.scorer = owner.surfaceScorer(sampler).orElse(null);
        this.tiles = new RollingLineStream[offsets.length];
        try {
            for (int t = 0; t < tiles.length; t++) {
                tiles[t] = new RollingLineStream(owner::newStream, info.maxLines(), info.pixels());
            }
        } catch (RuntimeException e) {
            closeTiles();
            throw e;
        }
        this.guard = new StreamGuard(owner.source(), this::release);
    }

    @Override
    public Optional<Prediction> push(float[] line) {
        guard.enter("push");
        try {
            if (line == null || line.length != inPixels) {
                throw new BadDataException("line " + sampler.acquired() + " has "
                        + (line == null ? "no pixels (null)" : line.length + " pixels") + "; this stream takes "
                        + inPixels);
            }
            int lines = sampler.push(line);
            for (int k = 0; k < lines; k++) {
                latest = modelLine(sampler.emitted(k));
            }
            return lines == 0 ? Optional.empty() : Optional.of(latest);
        } finally {
            guard.exit();
        }
    }

    private Prediction modelLine(float[] line) {
        int pixels = tile.length;
        if (scorer != null) {
            System.arraycopy(line, offsets[offsets.length / 2], tile, 0, pixels);
            scorer.add(tile, sampler.pixelNm());
        }
        EnumSet<Uncertainty> reasons = EnumSet.noneOf(Uncertainty.class);
        if (sampler.outOfRange()) {
            reasons.add(Uncertainty.SAMPLING);
        }
        if (scorer != null && !scorer.known()) {
            reasons.add(Uncertainty.UNKNOWN_SURFACE);
        }
        if (tiles.length == 1) {
            Prediction p = tiles[0].push(line);
            for (Uncertainty r : reasons) {
                p = p.withReason(r);
            }
            return p;
        }
        java.util.Arrays.fill(probs, 0);
        java.util.Arrays.fill(states, 0);
        int seen = 0;
        for (int t = 0; t < tiles.length; t++) {
            Prediction p = tiles[t].push(slice(line, t));
            reasons.addAll(p.reasons());
            addTile(probs, p.probabilities(), tiles.length);
            if (p.lineState().isPresent()) {
                float[] s = p.lineState().get().probabilities();
                for (int c = 0; c < states.length; c++) {
                    states[c] += s[c] / tiles.length;
                }
            }
            seen = p.linesSeen();
        }
        finishTiles(probs);
        reasons.remove(Uncertainty.LOW_CONFIDENCE);
        Optional<LineState> state = Optional.empty();
        Optional<TipChange> change = Optional.empty();
        if (detector != null) {
            int best = PredictionDecoder.argmax(states);
            state = Optional.of(new LineState(best, owner.info().lineStateNames().get(best), states));
            change = detector.update(tiles[0].pushed() - 1, states);
        }
        return decoder.fromProbabilities(probs, seen, state, change, reasons);
    }

    /**
     * Tiles are combined by the mean of their probabilities; with {@code -Dscanline.tiles.geometric=true}
     * by the normalised geometric mean (mean of log-probabilities), the alternative measured in
     * docs/results.md.
     */
    static final boolean GEOMETRIC = Boolean.getBoolean("scanline.tiles.geometric");

    /** Adds one tile's probabilities to the running combination of {@code tiles} tiles. */
    static void addTile(float[] sum, float[] tile, int tiles) {
        for (int c = 0; c < sum.length; c++) {
            sum[c] += (GEOMETRIC ? (float) Math.log(Math.max(tile[c], 1e-30f)) : tile[c]) / tiles;
        }
    }

    /** Turns the running combination into probabilities. */
    static void finishTiles(float[] sum) {
        if (!GEOMETRIC) {
            return;
        }
        PredictionDecoder.softmax(sum, 0, sum.length, 1);
    }

    private float[] slice(float[] line, int t) {
        System.arraycopy(line, offsets[t], tile, 0, tile.length);
        return tile;
    }

    @Override
    public Optional<Prediction> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    public int linesPushed() {
        return sampler.acquired();
    }

    @Override
    public int linesSkipped() {
        return sampler.skipped();
    }

    @Override
    public int pixelsRepaired() {
        return sampler.pixelsRepaired();
    }

    @Override
    public Sampling sampling() {
        return sampling;
    }

    /** @return model lines given to the model since creation or the last reset */
    int modelLines() {
        return tiles[0].pushed();
    }

    /** @return whether the frame's sampling is outside what the model was trained on */
    boolean outOfRange() {
        return sampler.outOfRange();
    }

    @Override
    public void reset() {
        guard.enter("reset");
        try {
            sampler.reset();
            for (RollingLineStream t : tiles) {
                t.reset();
            }
            if (scorer != null) {
                scorer.reset();
            }
            if (detector != null) {
                detector.reset();
            }
            latest = null;
        } finally {
            guard.exit();
        }
    }

    @Override
    public void close() {
        guard.close();
    }

    private synchronized void release() {
        if (!released) {
            released = true;
            closeTiles();
        }
    }

    private void closeTiles() {
        for (RollingLineStream t : tiles) {
            if (t != null) {
                t.close();
            }
        }
    }

    @Override
    public String toString() {
        return "ScanStream[" + inPixels + " px" + (sampling == null ? ", sampling unknown" : ", " + sampling)
                + " → " + sampler.width() + " px in " + tiles.length + " tile(s)" + "]";
    }
}
