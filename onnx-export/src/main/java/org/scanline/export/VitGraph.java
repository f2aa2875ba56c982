package org.scanline.export;

import java.util.Map;
import org.scanline.ModelFormat;
import org.scanline.export.Graph.Attr;
import org.scanline.model.ModelSpec;
import org.scanline.model.Weight;

/** The {@code vit} graph: line embedding, a class token, learned positions, the layers and the class head. */
final class VitGraph extends GraphOps {
    VitGraph(ModelSpec spec, Map<String, Weight> weights, boolean int8) {
        super(spec, weights, int8);
    }

    /** @return the graph */
    Graph build() {
        int d = spec.dModel();
        g.input(ModelFormat.LINES, "batch", "lines_in", spec.pixels());
        String linesShape = g.op("Shape", "lines_shape", new String[] {ModelFormat.LINES});
        String batch = g.op("Slice", "batch", new String[] {linesShape, g.longs(0), g.longs(1)});
        String count = g.op("Slice", "line_count", new String[] {linesShape, g.longs(1), g.longs(2)});
        String x = linearFp32(ModelFormat.LINES, "embed", spec.pixels(), d);
        String cls = g.floats("cls", weight("cls", d).data(), 1, 1, d);
        String clsShape = g.op("Concat", "cls_shape", new String[] {batch, g.longs(1), g.longs(d)}, Attr.i("axis", 0));
        String clsB = g.op("Expand", "cls_batch", new String[] {cls, clsShape});
        x = g.op("Concat", "with_cls", new String[] {clsB, x}, Attr.i("axis", 1));
        String pos = g.floats("pos", weight("pos", spec.maxLines() + 1, d).data(), spec.maxLines() + 1, d);
        String tokens = g.op("Add", "token_count", new String[] {count, g.longs(1)});
        String posRows = g.op("Slice", "pos_rows", new String[] {pos, g.longs(0), tokens, g.longs(0)});
        x = g.op("Add", "tokens_pos", new String[] {x, posRows});
        x = g.op("Reshape", "rows", new String[] {x, g.longs(-1, d)});
        String headShape = g.op("Concat", "head_shape", new String[] {batch, tokens,
                g.longs(spec.numHeads(), spec.headDim())}, Attr.i("axis", 0));
        for (int l = 0; l < spec.numLayers(); l++) {
            x = layer(x, l, headShape, null, null, null, null, null);
        }
        String tokenShape = g.op("Concat", "token_shape", new String[] {batch, tokens, g.longs(d)}, Attr.i("axis", 0));
        x = g.op("Reshape", "encoded", new String[] {x, tokenShape});
        x = g.op("Slice", "cls_out", new String[] {x, g.longs(0), g.longs(1), g.longs(1)});
        x = layerNorm(x, "norm", d);
        linearNamed(x, "head", d, spec.classes(), ModelFormat.LOGITS);
        g.output(ModelFormat.LOGITS, "batch", 1, spec.classes());

        return g;
    }
}
