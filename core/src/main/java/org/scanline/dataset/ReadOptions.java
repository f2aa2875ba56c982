package org.scanline.dataset;

import org.scanline.sxm.TraceDirection;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How {@link Datasets} turns files into scans: which channel and trace of a Nanonis {@code .sxm}
 * file becomes the image (numpy and MATLAB files have one image array), and how many bytes one array
 * in a numpy or MATLAB file may declare before it is decoded.
 *
 * <p>The byte limit is checked against the header (shape × item size) before anything is inflated
 * or allocated, so a compressed archive that would inflate to gigabytes (a zip bomb, or an honest
 * dataset larger than this JVM can hold) is refused in milliseconds. By default it is the heap still
 * free when the array is read; raise it when the declared size overstates what is kept (float64
 * images are held as float32), lower it when the files come from elsewhere.
 *
 * <pre>{@code
 * ReadOptions opts = ReadOptions.defaults().withChannel("Current").withDirection(TraceDirection.BACKWARD);
 * ScanDataset ds = Datasets.read(Path.of("scans/"), opts);
 * ScanDataset small = Datasets.read(Path.of("upload.npz"), ReadOptions.defaults().withMaxArrayBytes(64L << 20));
 * }</pre>
 *
 * @param channel channel name (case-insensitive), default {@code Z}
 * @param direction trace, default {@link TraceDirection#FORWARD}
 * @param maxArrayBytes the most bytes one array may declare, or {@link #FREE_HEAP} (the default)
 */
@API(status = API.Status.EXPERIMENTAL)
public record ReadOptions(String channel, TraceDirection direction, long maxArrayBytes) {
    /** {@link #maxArrayBytes} value meaning "the heap still free when the array is read". */
    public static final long FREE_HEAP = 0;

    /** Validates. */
    public ReadOptions {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(direction, "direction");
        if (maxArrayBytes < 0) {
            throw new IllegalArgumentException("maxArrayBytes must be positive or FREE_HEAP (0), found " + maxArrayBytes);
        }
    }

    /**
     * @param channel channel name
     * @param direction trace
     */
    public ReadOptions(String channel, TraceDirection direction) {
        this(channel, direction, FREE_HEAP);
    }

    /** @return Z, forward, the free heap as the array limit */
    public static ReadOptions defaults() {
        return new ReadOptions("Z", TraceDirection.FORWARD, FREE_HEAP);
    }

    /** @return these options with another channel */
    public ReadOptions withChannel(String name) {
        return new ReadOptions(name, direction, maxArrayBytes);
    }

    /** @return these options with another trace direction */
    public ReadOptions withDirection(TraceDirection d) {
        return new ReadOptions(channel, d, maxArrayBytes);
    }

    /**
     * @param bytes the most bytes one array may declare (shape × item size), or {@link #FREE_HEAP}
     * @return these options with that limit
     */
    public ReadOptions withMaxArrayBytes(long bytes) {
        return new ReadOptions(channel, direction, bytes);
    }
}
