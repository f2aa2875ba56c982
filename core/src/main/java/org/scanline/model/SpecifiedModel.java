package org.scanline.model;

import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scanline.Architecture;

/**
 * What the three architectures share: the sizes a {@link ModelSpec} fixes, the block itself, and the
 * registry of parameters under the names {@code docs/models.md} documents (the exporter's contract).
 */
abstract class SpecifiedModel extends AbstractBlock implements ScanModel {
    private final Architecture architecture;
    final int pixels;
    final int classes;
    final int maxLines;
    private final Map<String, Parameter> named = new LinkedHashMap<>();

    SpecifiedModel(Architecture architecture, ModelSpec spec) {
        this.architecture = architecture;
        this.pixels = spec.pixels();
        this.classes = spec.classes();
        this.maxLines = spec.maxLines();
    }

    /** Registers a parameter under its documented name; registration order is the export order. */
    final void name(String name, Parameter parameter) {
        named.put(name, parameter);
    }

    /** Registers a {@code Linear} or convolution block's {@code weight} and {@code bias} under a prefix. */
    final void nameWeightAndBias(String prefix, Block block) {
        name(prefix + ".weight", block.getParameters().get("weight"));
        name(prefix + ".bias", block.getParameters().get("bias"));
    }

    /** Registers a transformer layer's parameters under {@code prefix}. */
    final void nameLayer(String prefix, TransformerLayer layer) {
        layer.collect(prefix, named);
    }

    @Override
    public final Architecture architecture() {
        return architecture;
    }

    @Override
    public final Block block() {
        return this;
    }

    @Override
    public final int pixels() {
        return pixels;
    }

    @Override
    public final int classes() {
        return classes;
    }

    @Override
    public final int maxLines() {
        return maxLines;
    }

    @Override
    public final Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(named);
    }
}
