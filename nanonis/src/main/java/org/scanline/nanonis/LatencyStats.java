package org.scanline.nanonis;

import java.util.Arrays;

/** Latency samples in nanoseconds and their percentiles; keeps the first million. */
final class LatencyStats {
    private static final int MAX = 1 << 20;
    private long[] v = new long[256];
    private int n;

    void add(long nanos) {
        if (n == MAX) {
            return;
        }
        if (n == v.length) {
            v = Arrays.copyOf(v, 2 * n);
        }
        v[n++] = nanos;
    }

    int count() {
        return n;
    }

    /**
     * @param q quantile in [0, 1]
     * @return the nearest-rank quantile in nanoseconds, or 0 without samples
     */
    long quantile(double q) {
        if (n == 0) {
            return 0;
        }
        long[] s = Arrays.copyOf(v, n);
        Arrays.sort(s);
        int rank = (int) Math.ceil(q * n) - 1;
        return s[Math.max(0, Math.min(n - 1, rank))];
    }
}
