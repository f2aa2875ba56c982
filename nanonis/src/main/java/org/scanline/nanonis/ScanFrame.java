package org.scanline.nanonis;

/**
 * The scan frame of {@code Scan.FrameGet} and {@code Scan.FrameSet}: where the frame lies and how
 * large it is, in metres and degrees (float32 on the wire).
 *
 * @param centerX x of the frame's centre, m
 * @param centerY y of the frame's centre, m
 * @param width width along the fast axis, m
 * @param height height along the slow axis, m
 * @param angle rotation, degrees (positive: clockwise)
 */
public record ScanFrame(float centerX, float centerY, float width, float height, float angle) {

    /**
     * @param dxNm shift along x, nm
     * @param dyNm shift along y, nm
     * @return the same frame moved by (dx, dy)
     */
    public ScanFrame moved(double dxNm, double dyNm) {
        return new ScanFrame((float) (centerX + dxNm * 1e-9), (float) (centerY + dyNm * 1e-9), width, height, angle);
    }
}
