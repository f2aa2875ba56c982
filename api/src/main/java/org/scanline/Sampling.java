package org.scanline;

import org.apiguardian.api.API;

/**
 * The physical sampling of scan lines: the distance between neighbouring pixels along a line (the
 * fast axis) and between neighbouring lines (the slow axis), in nanometres. A model trained on
 * frames of known size records the sampling it was trained on ({@link ModelInfo#sampling()}); a
 * stream or scan given its sampling is brought to the model's by the runtime, so a 128 × 128 and a
 * 512 × 512 frame of the same area give the same answer.
 *
 * <pre>{@code
 * Sampling s = Sampling.ofFrame(20.0, 20.0, 512, 512);   // a 20 nm frame of 512 × 512 px
 * try (ScanStream stream = classifier.newStream(s, 512)) { ... }
 * }</pre>
 *
 * @param pixelNm distance between pixels along a line, nm (finite, positive)
 * @param lineNm distance between lines, nm (finite, positive)
 */
@API(status = API.Status.EXPERIMENTAL)
public record Sampling(double pixelNm, double lineNm) {

    /** Validates both distances. */
    public Sampling {
        if (!(pixelNm > 0) || !Double.isFinite(pixelNm) || !(lineNm > 0) || !Double.isFinite(lineNm)) {
            throw new IllegalArgumentException("sampling distances must be finite and positive, got " + pixelNm
                    + " nm between pixels and " + lineNm + " nm between lines");
        }
    }

    /**
     * The sampling of a frame: its physical width and height divided by its pixels and lines.
     *
     * @param widthNm frame width along the fast axis, nm
     * @param heightNm frame height along the slow axis, nm
     * @param pixels pixels per line
     * @param lines lines in the frame
     * @return the sampling
     * @throws IllegalArgumentException if a size or count is not positive and finite
     */
    public static Sampling ofFrame(double widthNm, double heightNm, int pixels, int lines) {
        if (pixels <= 0 || lines <= 0) {
            throw new IllegalArgumentException("a frame needs at least one pixel and one line, got " + pixels
                    + " × " + lines);
        }
        return new Sampling(widthNm / pixels, heightNm / lines);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.4g nm/px × %.4g nm/line", pixelNm, lineNm);
    }
}
