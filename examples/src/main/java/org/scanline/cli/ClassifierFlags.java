package org.scanline.cli;

import org.scanline.BadConfigException;
import org.scanline.ScanLineClassifier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags {@code classify} and {@code stream} share: how many lines of a scan to use, the
 * confidence threshold, and which trace of a {@code .sxm} file to read.
 */
final class ClassifierFlags {
    @Option(names = "--lines", paramLabel = "N",
            description = "Use only the first N lines of each scan, N ≥ 1 (default: every acquired line, up to the "
                    + "model's maximum).")
    Integer lines;

    @Option(names = "--threshold", defaultValue = "0.6", paramLabel = "P",
            description = "Confidence below which a prediction is uncertain (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Mixin
    TraceOptions trace;

    /**
     * @return the most lines to use: {@code --lines}, or no limit
     * @throws BadConfigException if {@code --lines} is below 1
     */
    int lineLimit() {
        if (lines != null && lines < 1) {
            throw new BadConfigException("--lines must be at least 1, found " + lines
                    + " (leave it out to use every acquired line)");
        }
        return lines == null ? Integer.MAX_VALUE : lines;
    }

    /** @return the classifier's options with {@code --threshold} */
    ScanLineClassifier.Options options() {
        return ScanLineClassifier.Options.builder().confidenceThreshold(threshold).build();
    }
}
