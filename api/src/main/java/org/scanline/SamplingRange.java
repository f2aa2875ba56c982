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
}
