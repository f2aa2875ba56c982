package org.scanline.cli;

import org.scanline.dataset.ReadOptions;
import org.scanline.sxm.TraceDirection;
import picocli.CommandLine.Option;

/** The {@code --channel} and {@code --direction} flags that pick the trace of a Nanonis {@code .sxm} file. */
final class TraceOptions {
    @Option(names = "--channel", defaultValue = "Z", paramLabel = "NAME",
            description = "Channel of .sxm files, as `inspect` lists them, e.g. Z or Current (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(names = "--direction", defaultValue = "forward", paramLabel = "DIR",
            description = "Trace of .sxm files: forward or backward (mirrored to forward's pixel order) "
                    + "(default: ${DEFAULT-VALUE}).")
    String direction;

    ReadOptions readOptions() {
        return new ReadOptions(channel, TraceDirection.parse(direction));
    }
}
