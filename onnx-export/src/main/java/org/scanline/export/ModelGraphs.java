package org.scanline.export;

import java.util.Map;
import org.scanline.model.ModelSpec;
import org.scanline.model.Weight;

/**
 * Rebuilds each architecture of {@code docs/models.md} as an opset-17 ONNX graph from its named
 * weights: one builder per architecture ({@link CausalGraph}, {@link VitGraph}, {@link LrcnGraph})
 * over the shared operations of {@link GraphOps}. Which style a causal graph is written in, and which
 * model format that makes, is {@link GraphStyle}'s to say.
 */
final class ModelGraphs {
    private ModelGraphs() {
    }

    /**
     * @param spec sizes
     * @param weights named weights with the names of docs/models.md
     * @param int8 quantise the transformer's weight matrices to int8 (dynamic quantisation of activations)
     * @return the graph in the default style ({@link GraphStyle#FIXED_CACHE})
     */
    static Graph build(ModelSpec spec, Map<String, Weight> weights, boolean int8) {
        return build(spec, weights, int8, GraphStyle.FIXED_CACHE);
    }

    /**
     * @param spec sizes
     * @param weights named weights with the names of docs/models.md
     * @param int8 quantise the transformer's weight matrices to int8
     * @param style how a causal model's cache is laid out
     * @return the graph, with the model format it follows in {@link Graph#format()}
     */
    static Graph build(ModelSpec spec, Map<String, Weight> weights, boolean int8, GraphStyle style) {
        GraphStyle effective = style.effectiveFor(spec);
        Graph g = switch (spec.architecture()) {
            case CAUSAL -> new CausalGraph(spec, weights, int8, effective).build();
            case VIT -> new VitGraph(spec, weights, int8).build();
            case LRCN -> new LrcnGraph(spec, weights, int8).build();
        };
        g.format(effective.formatOf(spec));
        return g;
    }
}
