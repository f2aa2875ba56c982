package org.scanline;

import org.apiguardian.api.API;

/**
 * What the runtime does with NaN or infinite pixels in an acquired line, in one place: an instrument
 * marks a dead pixel, a glitch or a line not yet acquired that way, and one bad pixel must neither
 * become a wrong answer nor end the classification of a scan.
 *
 * <ul>
 *   <li>A line with at most {@value #MAX_REPAIRED_FRACTION} of its pixels non-finite (at least one pixel
 *       allowed) is <b>repaired</b>: each bad pixel is linearly interpolated between the nearest finite
 *       pixels on either side of it along the line (the nearest finite pixel at either end). One dead
 *       column of a 128-pixel scan is one repaired pixel per line.</li>
 *   <li>A line with more is <b>skipped</b> and counted: it says too little about the surface.</li>
 *   <li>A line with more than half of its pixels non-finite is <b>not acquired</b>
 *       ({@link #acquired}): a file of a scan stopped early ends its acquired lines there.</li>
 * </ul>
 *
 * <pre>{@code
 * float[] clean = new float[line.length];
 * int repaired = LineRepair.repair(line, clean);      // -1: skip the line
 * }</pre>
 *
 * <p>{@link ScanStream} and {@link ScanLineClassifier#classifyAcquired} apply it; a {@link LineStream}
 * keeps its strict contract and refuses any non-finite pixel.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class LineRepair {
    /** Largest fraction of a line's pixels that may be non-finite for the line to be repaired. */
    public static final double MAX_REPAIRED_FRACTION = 0.1;

    private LineRepair() {
    }

    /**
     * @param pixels pixels per line
     * @return the most non-finite pixels a line of that width may have and still be repaired (at least 1)
     */
    public static int maxRepaired(int pixels) {
        return Math.max(1, (int) Math.floor(pixels * MAX_REPAIRED_FRACTION));
    }

    /**
     * @param line a line, or null
     * @return whether it is acquired: present, not empty, and at most half of its pixels non-finite
     */
    public static boolean acquired(float[] line) {
        if (line == null || line.length == 0) {
            return false;
        }
        int bad = 0;
        for (float v : line) {
            if (!Float.isFinite(v)) {
                bad++;
            }
        }
        return 2 * bad <= line.length;
    }

    /**
     * Copies a line, repairing its non-finite pixels, unless there are too many. Allocates nothing.
     *
     * @param src the line; not modified
     * @param dst receives the repaired line, at least as long as {@code src} (may be {@code src} itself)
     * @return the number of pixels repaired (0 for a clean line), or -1 when the line has more than
     *     {@link #maxRepaired} non-finite pixels, or none finite, and should be skipped ({@code dst} is
     *     then undefined)
     */
    public static int repair(float[] src, float[] dst) {
        int n = src.length;
        int bad = 0;
        for (float v : src) {
            if (!Float.isFinite(v)) {
                bad++;
            }
        }
        if (bad > maxRepaired(n) || bad == n) {
            return -1;
        }
        if (dst != src) {
            System.arraycopy(src, 0, dst, 0, n);
        }
        if (bad == 0) {
            return 0;
        }
        int lastGood = -1;
        for (int i = 0; i < n; i++) {
            if (Float.isFinite(src[i])) {
                if (i - lastGood > 1) {
                    fill(dst, n, lastGood, i);
                }
                lastGood = i;
            }
        }
        if (lastGood < n - 1) {
            fill(dst, n, lastGood, n);
        }
        return bad;
    }

    /** Fills {@code dst(left, right)} between the finite pixels at {@code left} and {@code right} (either may be outside). */
    private static void fill(float[] dst, int n, int left, int right) {
        for (int i = left + 1; i < right; i++) {
            if (left < 0) {
                dst[i] = dst[right];
            } else if (right >= n) {
                dst[i] = dst[left];
            } else {
                float t = (float) (i - left) / (right - left);
                dst[i] = dst[left] + t * (dst[right] - dst[left]);
            }
        }
    }

    /**
     * @param scan lines × pixels, line 0 acquired first
     * @return the number of leading lines that are {@linkplain #acquired acquired}
     */
    static int acquiredLines(float[][] scan) {
        for (int l = 0; l < scan.length; l++) {
            if (!acquired(scan[l])) {
                return l;
            }
        }
        return scan.length;
    }

    /**
     * The message of the {@link BadDataException} for a scan without an acquired line, one wording for
     * every implementation of {@link ScanLineClassifier#classifyAcquired}.
     *
     * @param scan a scan whose {@link ScanLineClassifier#acquiredLines} are 0
     * @return why line 0 is not acquired: missing, null, without pixels, or mostly NaN or infinite
     */
    public static String noAcquiredLine(float[][] scan) {
        return "no complete line acquired yet: line 0 " + (scan.length == 0 ? "does not exist" : scan[0] == null
                ? "is null" : scan[0].length == 0 ? "has no pixels" : "is mostly NaN or infinite");
    }

    /**
     * The acquired lines of a scan, repaired, without those that have too many non-finite pixels.
     *
     * @param scan lines × pixels, line 0 acquired first; not modified
     * @param maxLines most lines to return
     * @return at least one line, each a new array
     * @throws BadDataException if no line is acquired, or none is usable
     */
    static float[][] usableLines(float[][] scan, int maxLines) {
        int n = acquiredLines(scan);
        if (n == 0) {
            throw new BadDataException(noAcquiredLine(scan));
        }
        java.util.List<float[]> lines = new java.util.ArrayList<>(n);
        for (int l = 0; l < n && lines.size() < maxLines; l++) {
            float[] clean = new float[scan[l].length];
            if (repair(scan[l], clean) >= 0) {
                lines.add(clean);
            }
        }
        if (lines.isEmpty()) {
            throw new BadDataException("none of the " + n + " acquired lines is usable: each has more than "
                    + maxRepaired(scan[0].length) + " NaN or infinite pixels");
        }
        return lines.toArray(new float[0][]);
    }
}
