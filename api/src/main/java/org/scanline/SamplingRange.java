package org.scanline;

import org.apiguardian.api.API;

/**
 * The physical sampling a model was trained on: the range of pixel sizes along a line and of
 * line spacings, in nanometres (the simulator draws square frames of 8–25 nm at 128 px, so both
 * ranges are 0.0625–0.195 nm). Stored in the model file ({@code scanline.sampling}, format ≥ 5).
 *
 * @param minPixelNm smallest pixel size along a line, nm
 * @param maxPixelNm largest pixel size along a line, nm
 * @param minLineNm smallest line spacing, nm
 * @param maxLineNm largest line spacing, nm
 */
@API(status = API.Status.EXPERIMENTAL)
public record SamplingRange(double minPixelNm, double maxPixelNm, double minLineNm, double maxLineNm) {

    /** Validates the ranges. */
    public SamplingRange {
        check("pixel size", minPixelNm, maxPixelNm);
        check("line spacing", minLineNm, maxLineNm);
    }

    private static void check(String what, double min, double max) {
        if (!(min > 0) || !Double.isFinite(max) || !(max >= min)) {
            throw new IllegalArgumentException(what + " range must satisfy 0 < min ≤ max < ∞, got [" + min + ", "
                    + max + "] nm");
        }
    }

    /**
     * @param sampling a sampling
     * @return whether both of its distances lie inside the ranges
     */
    public boolean contains(Sampling sampling) {
        return sampling.pixelNm() >= minPixelNm && sampling.pixelNm() <= maxPixelNm
                && sampling.lineNm() >= minLineNm && sampling.lineNm() <= maxLineNm;
    }

    /**
     * The square sampling of frames drawn with widths in [{@code minWidthNm}, {@code maxWidthNm}] at
     * {@code pixels} pixels and as many lines: what a simulator of square frames trains on.
     *
     * @param minWidthNm narrowest frame, nm
     * @param maxWidthNm widest frame, nm
     * @param pixels pixels per line and lines per frame
     * @return the range {@code [minWidthNm / pixels, maxWidthNm / pixels]} for both axes
     */
    public static SamplingRange ofSquareFrames(double minWidthNm, double maxWidthNm, int pixels) {
        return new SamplingRange(minWidthNm / pixels, maxWidthNm / pixels, minWidthNm / pixels, maxWidthNm / pixels);
    }

    /** @return the value of {@code scanline.sampling}: {@code {"pixel_nm": [min, max], "line_nm": [min, max]}} */
    public String toJson() {
        return "{\"pixel_nm\": [" + minPixelNm + ", " + maxPixelNm + "], \"line_nm\": [" + minLineNm + ", "
                + maxLineNm + "]}";
    }
}
