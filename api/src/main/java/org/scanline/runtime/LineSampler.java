package org.scanline.runtime;

import org.scanline.LineRepair;
import org.scanline.LineResampler;
import org.scanline.ModelInfo;
import org.scanline.Sampling;
import org.scanline.SamplingRange;

/**
 * Brings acquired lines to the model's sampling: repairs isolated non-finite pixels
 * ({@link LineRepair}), resamples each line along its length, and takes lines across the frame at
 * the model's spacing. Pure Java; allocates nothing per line (every buffer is made here once).
 *
 * <p><b>With a known sampling on both sides</b> (the model file's {@link ModelInfo#sampling()} and the
 * frame's {@link Sampling}): the target pixel size is {@code p* = clamp(width / P, minPixel, maxPixel)}
 * for a line {@code width} nm long and a model of {@code P} pixels, rounded so that a whole number
 * {@code n} of pixels covers the line. The line is resampled to {@code n} pixels: the source pixel
 * nearest each target pixel's centre where the source is finer ({@link #BOX}: or the overlap-weighted
 * mean of the source pixels under it), linear interpolation where it is coarser. Where {@code n > P} the frame is wider than the model's field:
 * the line is cut into tiles of {@code P} pixels, evenly spread and overlapping, each its own stream.
 * A frame narrower than {@code minPixel × P} is stretched to {@code P} pixels. Lines are taken at the
 * spacing {@code q = p*} (clamped to the model's line range): a model line is the acquired line nearest
 * its centre ({@link #BOX}: the overlap-weighted mean of the acquired lines that fall in it), or, where
 * acquired lines are further apart than {@code q}, interpolated between the two acquired lines around its
 * centre; it is emitted once the line that decides it has arrived.
 * {@link #outOfRange()} says when the frame's sampling cannot be brought to the model's: pixels or
 * lines coarser than the model's coarsest, or a frame narrower than its field.
 *
 * <p><b>Without</b> (a file of format ≤ 4, or a frame of unknown size): lines are resampled to the
 * model's pixel count with {@link LineResampler} and taken one to one, as before format 5.
 */
final class LineSampler {
    /** Relative slack on range checks, so that a frame exactly at a bound is inside. */
    private static final double SLACK = 1e-6;
    /**
     * Where the frame is finer than the model, average the pixels and lines under each model pixel and
     * line (box) instead of taking the nearest one. Off: measured on simulated 512 × 512 frames, box
     * averaging cleans the per-pixel noise the model was trained with and costs 0.09 of balanced accuracy,
     * the nearest pixel 0.01 (docs/results.md); {@code -Dscanline.sampling.box=true} reruns the comparison.
     */
    static final boolean BOX = Boolean.getBoolean("scanline.sampling.box");
    private final int inPixels;
    private final int modelPixels;
    private final int width;
    private final double pixelNm;
    private final int[] tileOffsets;
    private final boolean outOfRange;
    /** Along the line, physical mode: target pixel j takes {@code count[j]} weights from source pixel {@code first[j]} on. */
    private final int[] first;
    private final int[] count;
    private final float[] weights;
    private final int stride;
    /** Along the line, count mode: the resampler, or null when the widths agree. */
    private final LineResampler byCount;
    /** Across lines: acquired and model line spacing, nm; NaN in count mode (one to one). */
    private final double acquiredLineNm;
    private final double modelLineNm;
    private final float[] repaired;
    private final float[] current;
    private final float[] previous;
    private final double[] sum;
    private final float[][] emitted;
    private int emittedCount;
    // across-line state
    private int acquired;
    private int nextModelLine;
    private double weight;
    private double previousCentre = Double.NaN;
    // counters
    private int skipped;
    private int pixelsRepaired;

    /**
     * @param info the model
     * @param sampling the frame's sampling, or null when unknown
     * @param inPixels pixels per acquired line
     */
    LineSampler(ModelInfo info, Sampling sampling, int inPixels) {
        if (inPixels <= 0) {
            throw new IllegalArgumentException("a line needs at least one pixel, got " + inPixels);
        }
        this.inPixels = inPixels;
        this.modelPixels = info.pixels();
        SamplingRange range = info.sampling().orElse(null);
        if (range == null || sampling == null) {
            width = modelPixels;
            pixelNm = Double.NaN;
            outOfRange = false;
            first = null;
            count = null;
            weights = null;
            stride = 0;
            byCount = inPixels == modelPixels ? null : LineResampler.of(inPixels, modelPixels);
            acquiredLineNm = Double.NaN;
            modelLineNm = Double.NaN;
        } else {
            double widthNm = inPixels * sampling.pixelNm();
            double target = Math.min(Math.max(widthNm / modelPixels, range.minPixelNm()), range.maxPixelNm());
            boolean narrow = widthNm < range.minPixelNm() * modelPixels * (1 - SLACK);
            width = Math.max(modelPixels, (int) Math.round(widthNm / target));
            pixelNm = widthNm / width;
            outOfRange = narrow || sampling.pixelNm() > range.maxPixelNm() * (1 + SLACK)
                    || sampling.lineNm() > range.maxLineNm() * (1 + SLACK);
            byCount = null;
            acquiredLineNm = sampling.lineNm();
            modelLineNm = narrow ? pixelNm : Math.min(Math.max(pixelNm, range.minLineNm()), range.maxLineNm());
            // weights: at most ceil(p*/s) + 1 source pixels per target pixel (2 when interpolating)
            stride = (int) Math.ceil(pixelNm / sampling.pixelNm()) + 2;
            first = new int[width];
            count = new int[width];
            weights = new float[width * stride];
            alongTheLine(sampling.pixelNm());
        }
        int tiles = (width + modelPixels - 1) / modelPixels;
        tileOffsets = new int[tiles];
        for (int t = 1; t < tiles; t++) {
            tileOffsets[t] = (int) Math.round((double) t * (width - modelPixels) / (tiles - 1));
        }
        repaired = new float[inPixels];
        current = new float[width];
        previous = new float[width];
        sum = new double[width];
        int most = Double.isNaN(modelLineNm) ? 1 : (int) Math.ceil(acquiredLineNm / modelLineNm) + 2;
        emitted = new float[most][width];
    }

    /** Source pixel i covers [i s, (i + 1) s), target pixel j covers [j p*, (j + 1) p*). */
    private void alongTheLine(double s) {
        for (int j = 0; j < width; j++) {
            int o = j * stride;
            if (pixelNm >= s && !BOX) {
                first[j] = Math.min(inPixels - 1, (int) Math.floor((j + 0.5) * pixelNm / s));
                count[j] = 1;
                weights[o] = 1;
            } else if (pixelNm >= s) {
                double a = j * pixelNm;
                double b = a + pixelNm;
                int i0 = Math.max(0, (int) Math.floor(a / s));
                int i1 = Math.min(inPixels - 1, (int) Math.ceil(b / s) - 1);
                first[j] = i0;
                double total = 0;
                for (int i = i0; i <= i1; i++) {
                    total += Math.max(0, Math.min(b, (i + 1) * s) - Math.max(a, i * s));
                }
                for (int i = i0; i <= i1; i++) {
                    double w = Math.max(0, Math.min(b, (i + 1) * s) - Math.max(a, i * s));
                    weights[o + i - i0] = (float) (w / total);
                }
                count[j] = i1 - i0 + 1;
            } else {
                double x = (j + 0.5) * pixelNm / s - 0.5;
                int i0 = (int) Math.floor(x);
                double t = x - i0;
                if (i0 < 0) {
                    i0 = 0;
                    t = 0;
                } else if (i0 >= inPixels - 1) {
                    i0 = inPixels - 1;
                    t = 0;
                }
                first[j] = i0;
                count[j] = t == 0 ? 1 : 2;
                weights[o] = (float) (1 - t);
                weights[o + 1] = (float) t;
            }
        }
    }

    /** @return pixels per resampled line: the model's, or more when the frame is wider than its field */
    int width() {
        return width;
    }

    /** @return the start of every tile of {@link ModelInfo#pixels()} pixels within a resampled line */
    int[] tileOffsets() {
        return tileOffsets.clone();
    }

    /** @return the resampled lines' pixel size, nm; NaN when the sampling is not known */
    double pixelNm() {
        return pixelNm;
    }

    /** @return the resampled lines' spacing, nm; NaN when lines are taken one to one */
    double lineNm() {
        return modelLineNm;
    }

    /** @return whether the frame's sampling is outside what the model can be given */
    boolean outOfRange() {
        return outOfRange;
    }

    /**
     * Takes the next acquired line.
     *
     * @param line the raw line, {@code inPixels} long; not modified
     * @return the number of model lines it completed, read with {@link #emitted(int)} before the next push
     */
    int push(float[] line) {
        emittedCount = 0;
        int fixed = LineRepair.repair(line, repaired);
        int index = acquired++;
        if (fixed < 0) {
            skipped++;
        } else {
            pixelsRepaired += fixed;
            resample(repaired, current);
        }
        boolean good = fixed >= 0;
        if (Double.isNaN(modelLineNm)) {
            if (good) {
                System.arraycopy(current, 0, emitted[emittedCount++], 0, width);
            }
        } else if (acquiredLineNm <= modelLineNm && BOX) {
            average(index, good);
        } else if (good) {
            interpolate(index);
        }
        return emittedCount;
    }

    /** Acquired line i covers [i L, (i + 1) L); each model line the overlap-weighted mean of what falls in it. */
    private void average(int index, boolean good) {
        double a = index * acquiredLineNm;
        double b = a + acquiredLineNm;
        while (true) {
            double start = nextModelLine * modelLineNm;
            double end = start + modelLineNm;
            double overlap = Math.min(b, end) - Math.max(a, start);
            if (good && overlap > 0) {
                for (int p = 0; p < width; p++) {
                    sum[p] += overlap * current[p];
                }
                weight += overlap;
            }
            if (b < end - SLACK * modelLineNm) {
                return;
            }
            if (weight > 0) {
                float[] out = emitted[emittedCount++];
                for (int p = 0; p < width; p++) {
                    out[p] = (float) (sum[p] / weight);
                }
            }
            java.util.Arrays.fill(sum, 0);
            weight = 0;
            nextModelLine++;
        }
    }

    /**
     * Each model line from the acquired lines around its centre: interpolated where they are further
     * apart than the model's, the nearest one where they are closer.
     */
    private void interpolate(int index) {
        double centre = (index + 0.5) * acquiredLineNm;
        while ((nextModelLine + 0.5) * modelLineNm <= centre + SLACK * modelLineNm) {
            double c = (nextModelLine + 0.5) * modelLineNm;
            float[] out = emitted[emittedCount++];
            if (Double.isNaN(previousCentre) || c <= previousCentre) {
                System.arraycopy(current, 0, out, 0, width);
            } else {
                float t = (float) ((c - previousCentre) / (centre - previousCentre));
                if (acquiredLineNm <= modelLineNm) {
                    t = t < 0.5f ? 0 : 1;      // finer lines: the nearest one, as along the line
                }
                for (int p = 0; p < width; p++) {
                    out[p] = previous[p] + t * (current[p] - previous[p]);
                }
            }
            nextModelLine++;
        }
        System.arraycopy(current, 0, previous, 0, width);
        previousCentre = centre;
    }

    private void resample(float[] src, float[] dst) {
        if (weights == null) {
            if (byCount == null) {
                System.arraycopy(src, 0, dst, 0, inPixels);
            } else {
                byCount.resample(src, 0, dst, 0);
            }
            return;
        }
        for (int j = 0; j < width; j++) {
            int o = j * stride;
            int i0 = first[j];
            double v = 0;
            for (int k = 0; k < count[j]; k++) {
                v += weights[o + k] * src[i0 + k];
            }
            dst[j] = (float) v;
        }
    }

    /**
     * @param k a line completed by the last push, from 0
     * @return it, {@link #width()} pixels; overwritten by the next push
     */
    float[] emitted(int k) {
        if (k >= emittedCount) {
            throw new IndexOutOfBoundsException(k + " of " + emittedCount);
        }
        return emitted[k];
    }

    /** @return acquired lines pushed since creation or the last reset */
    int acquired() {
        return acquired;
    }

    /** @return acquired lines skipped for too many non-finite pixels */
    int skipped() {
        return skipped;
    }

    /** @return non-finite pixels repaired */
    int pixelsRepaired() {
        return pixelsRepaired;
    }

    /** Forgets every line, for the next frame. */
    void reset() {
        acquired = 0;
        nextModelLine = 0;
        weight = 0;
        java.util.Arrays.fill(sum, 0);
        previousCentre = Double.NaN;
        skipped = 0;
        pixelsRepaired = 0;
        emittedCount = 0;
    }
}
