package org.scanline.dataset;

import java.util.Locale;
import org.scanline.BadDataException;

/**
 * The check behind {@link ReadOptions#maxArrayBytes()}: what an array declares (shape × item size)
 * against the limit, before a byte of it is inflated or allocated.
 */
final class ArrayLimit {
    private ArrayLimit() {
    }

    /**
     * @param declaredBytes shape × item size, from the header
     * @param maxArrayBytes the caller's limit, or {@link ReadOptions#FREE_HEAP}
     * @param where the file (and entry), for the message
     * @param declared what the header declares, e.g. {@code "(4, 128, 128) <f4"}
     * @throws BadDataException if the array declares more than the limit
     */
    static void check(long declaredBytes, long maxArrayBytes, String where, String declared) {
        boolean heap = maxArrayBytes == ReadOptions.FREE_HEAP;
        long limit = heap ? freeHeap(declaredBytes) : maxArrayBytes;
        if (declaredBytes > limit) {
            throw new BadDataException(where + ": declares " + declared + " = " + bytes(declaredBytes)
                    + ", more than the limit of " + bytes(limit) + (heap
                    ? " (the heap still free; raise -Xmx, or the limit with ReadOptions.withMaxArrayBytes)"
                    : " (ReadOptions.maxArrayBytes)") + "; refused before decoding");
        }
    }

    /**
     * The heap this JVM can still allocate. Garbage counts as used until collected, so when the
     * array seems not to fit, one collection runs before the answer is final: a refusal must not
     * depend on when the collector last ran.
     */
    static long freeHeap(long wanted) {
        Runtime r = Runtime.getRuntime();
        long free = r.maxMemory() - (r.totalMemory() - r.freeMemory());
        if (wanted > free) {
            System.gc();
            free = r.maxMemory() - (r.totalMemory() - r.freeMemory());
        }
        return free;
    }

    static String bytes(long n) {
        return n < 1 << 20 ? n + " bytes" : String.format(Locale.ROOT, "%d bytes (%.1f MiB)", n, n / 1048576.0);
    }
}
