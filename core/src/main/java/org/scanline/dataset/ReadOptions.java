package org.scanline.dataset;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How {@link Datasets} turns instrument files into scans: which channel and trace of a Nanonis
 * {@code .sxm} file becomes the image. Numpy and MATLAB files ignore these options.
 *
 * <pre>{@code
 * ReadOptions opts = ReadOptions.defaults().withChannel("Current").withDirection(TraceDirection.BACKWARD);
 * ScanDataset ds = Datasets.read(Path.of("scans/"), opts);
 * }</pre>
 *
 * @param channel channel name (case-insensitive), default {@code Z}
 * @param direction trace, default {@link TraceDirection#FORWARD}
 */
@API(status = API.Status.EXPERIMENTAL)
public record ReadOptions(String channel, TraceDirection direction) {
    /** Validates. */
    public ReadOptions {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(direction, "direction");
    }

    /** @return Z, forward */
    public static ReadOptions defaults() {
        return new ReadOptions("Z", TraceDirection.FORWARD);
    }

    /** @return these options with another channel */
    public ReadOptions withChannel(String name) {
        return new ReadOptions(name, direction);
    }

    /** @return these options with another trace direction */
    public ReadOptions withDirection(TraceDirection d) {
        return new ReadOptions(channel, d);
    }
}
