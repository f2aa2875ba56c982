package org.scanline.nanonis;

import java.util.Optional;
import org.scanline.LineResampler;
import org.scanline.LineStream;
import org.scanline.Prediction;
import org.scanline.Sampling;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanStream;

/**
 * A {@link ScanStream} over a plain {@link LineStream}, for a runtime that does not implement
 * {@link ScanLineClassifier#newStream(Sampling, int)} or a frame whose physical size is unknown:
 * lines are resampled to the model's width only (pixel for pixel, whatever their physical size), an
 * isolated non-finite pixel is replaced by the mean of its neighbours, a line with more than one
 * non-finite pixel in 16 or two side by side is skipped, and the stream starts again every
 * {@code maxLines} lines.
 */
final class ResampledStream implements ScanStream {
    private final LineStream stream;
    private final LineResampler resampler;
    private final Sampling sampling;
    private final int maxLines;
    private final float[] repaired;
    private final float[] modelLine;
    private Prediction latest;
    private int pushed;
    private int skipped;
    private int pixelsRepaired;

    ResampledStream(ScanLineClassifier classifier, Sampling sampling, int pixels) {
        this.stream = classifier.newStream();
        this.resampler = LineResampler.of(pixels, classifier.pixels());
        this.sampling = sampling;
        this.maxLines = classifier.info().maxLines();
        this.repaired = new float[pixels];
        this.modelLine = new float[classifier.pixels()];
    }

    @Override
    public Optional<Prediction> push(float[] line) {
        if (line.length != repaired.length) {
            throw new org.scanline.BadDataException("a line of " + line.length + " pixels, the stream takes "
                    + repaired.length);
        }
        pushed++;
        int bad = 0;
        boolean adjacent = false;
        for (int i = 0; i < line.length; i++) {
            if (!Float.isFinite(line[i])) {
                bad++;
                adjacent |= i > 0 && !Float.isFinite(line[i - 1]);
            }
        }
        if (bad > 0 && (adjacent || bad > Math.max(1, line.length / 16) || bad == line.length)) {
            skipped++;
            return Optional.empty();
        }
        for (int i = 0; i < line.length; i++) {
            float v = line[i];
            if (!Float.isFinite(v)) {
                float left = i > 0 ? line[i - 1] : line[i + 1];
                float right = i + 1 < line.length ? line[i + 1] : line[i - 1];
                v = (left + right) / 2;
                pixelsRepaired++;
            }
            repaired[i] = v;
        }
        resampler.resample(repaired, 0, modelLine, 0);
        if (stream.linesSeen() >= maxLines) {
            stream.reset();
        }
        latest = stream.push(modelLine);
        return Optional.of(latest);
    }

    @Override
    public Optional<Prediction> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    public int linesPushed() {
        return pushed;
    }

    @Override
    public int linesSkipped() {
        return skipped;
    }

    @Override
    public int pixelsRepaired() {
        return pixelsRepaired;
    }

    /** @return the sampling given, or null when the frame's physical size is unknown */
    @Override
    public Sampling sampling() {
        return sampling;
    }

    @Override
    public void reset() {
        stream.reset();
        latest = null;
        pushed = 0;
        skipped = 0;
        pixelsRepaired = 0;
    }

    @Override
    public void close() {
        stream.close();
    }
}
