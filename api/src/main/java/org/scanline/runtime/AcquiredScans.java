package org.scanline.runtime;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.scanline.BadDataException;
import org.scanline.LineRepair;
import org.scanline.ModelInfo;
import org.scanline.Prediction;
import org.scanline.Sampling;
import org.scanline.ScanLineClassifier;
import org.scanline.Uncertainty;

/**
 * {@link ScanLineClassifier#classifyAcquired} on the runtime: the acquired lines through a
 * {@link LineSampler}; a frame of at most {@code max_lines} model lines in one model call per tile
 * (the tiles of a wide frame in one batch, their probabilities averaged as a stream averages them),
 * a longer one through a {@link SampledScanStream}, so that it is followed to its last line.
 */
final class AcquiredScans {
    private AcquiredScans() {
    }

    /**
     * @param owner the classifier
     * @param scan lines × pixels as the file holds them
     * @param sampling the frame's sampling, or null when unknown
     * @return the prediction after the last acquired line
     */
    static Prediction classify(OnnxClassifier owner, float[][] scan, Sampling sampling) {
        int n = ScanLineClassifier.acquiredLines(scan);
        if (n == 0) {
            throw new BadDataException(org.scanline.LineRepair.noAcquiredLine(scan));
        }
        int width = scan[0].length;
        for (int l = 1; l < n; l++) {
            if (scan[l].length != width) {
                throw new BadDataException("line " + l + " has " + scan[l].length + " pixels, line 0 has " + width
                        + "; the lines of a scan must agree");
            }
        }
        ModelInfo info = owner.info();
        LineSampler sampler = new LineSampler(info, sampling, width);
        List<float[]> lines = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            int k = sampler.push(scan[l]);
            for (int e = 0; e < k; e++) {
                lines.add(sampler.emitted(e).clone());
            }
        }
        if (lines.isEmpty()) {
            throw new BadDataException(sampler.skipped() == n
                    ? "none of the " + n + " acquired lines is usable: each has more than "
                            + LineRepair.maxRepaired(width) + " NaN or infinite pixels"
                    : "the " + n + " acquired lines do not yet cover one line at the model's spacing ("
                            + sampler.lineNm() + " nm)");
        }
        if (lines.size() > info.maxLines()) {
            try (SampledScanStream stream = new SampledScanStream(owner, sampling, width)) {
                for (int l = 0; l < n; l++) {
                    stream.push(scan[l]);
                }
                return stream.latest().orElseThrow();
            }
        }
        int[] offsets = sampler.tileOffsets();
        int pixels = info.pixels();
        List<float[][]> tiles = new ArrayList<>(offsets.length);
        for (int offset : offsets) {
            float[][] t = new float[lines.size()][];
            for (int l = 0; l < t.length; l++) {
                t[l] = java.util.Arrays.copyOfRange(lines.get(l), offset, offset + pixels);
            }
            tiles.add(t);
        }
        EnumSet<Uncertainty> reasons = EnumSet.noneOf(Uncertainty.class);
        if (sampler.outOfRange()) {
            reasons.add(Uncertainty.SAMPLING);
        }
        Optional<SurfaceCheck.Scorer> scorer = owner.surfaceScorer(sampler);
        if (scorer.isPresent()) {
            for (float[] line : tiles.get(tiles.size() / 2)) {
                scorer.get().add(line, sampler.pixelNm());
            }
            if (!scorer.get().known()) {
                reasons.add(Uncertainty.UNKNOWN_SURFACE);
            }
        }
        List<Prediction> each = owner.classifyBatch(tiles);
        float[] probs = new float[info.classCount()];
        for (Prediction p : each) {
            SampledScanStream.addTile(probs, p.probabilities(), each.size());
            reasons.addAll(p.reasons());
        }
        SampledScanStream.finishTiles(probs);
        reasons.remove(Uncertainty.LOW_CONFIDENCE);
        return owner.decoder().fromProbabilities(probs, lines.size(), Optional.empty(), Optional.empty(), reasons);
    }
}
