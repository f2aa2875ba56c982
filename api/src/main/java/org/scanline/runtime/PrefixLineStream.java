package org.scanline.runtime;

import org.scanline.Prediction;

/**
 * The stream of a model without a cache ({@code vit}, {@code lrcn}): it keeps the normalised
 * lines so far and runs the whole prefix through the graph after each line.
 */
final class PrefixLineStream extends GuardedLineStream {
    private final float[] prefix;

    PrefixLineStream(OnnxClassifier owner) {
        super(owner);
        this.prefix = new float[maxLines * pixels];
    }

    @Override
    Prediction step(float[] line, int index) {
        normalizer.normalize(line, 0, prefix, index * pixels, pixels);
        float[] logits = owner.runFull(java.util.Arrays.copyOf(prefix, (index + 1) * pixels), 1, index + 1)[0];
        return decoder.decode(logits, index + 1);
    }

    @Override
    void freeNative() {
        // Nothing native: the prefix is a Java array and each call's tensors are closed by runFull.
    }
}
