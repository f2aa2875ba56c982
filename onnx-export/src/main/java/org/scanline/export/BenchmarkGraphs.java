package org.scanline.export;

import java.util.Map;
import org.scanline.ModelFormat;
import org.scanline.export.Graph.Attr;
import org.scanline.model.ModelSpec;
import org.scanline.model.Weight;

/**
 * The graphs that only benchmarks build: the weight products alone ({@code bench-runtime}'s floor) and
 * the obvious causal layer of {@link GraphStyle#PLAIN} (its baseline). Kept apart from the
 * architectures' builders, which they reuse, so that what is deployed reads without them.
 */
final class BenchmarkGraphs {
    private BenchmarkGraphs() {
    }

    /**
     * The transformer layers' weight products alone, each built as the format-3 layer builds it (the
     * packed QKV, the output projection, the FFN's two products; float32 MatMul or the int8 chain that
     * ONNX Runtime fuses into DynamicQuantizeMatMul), chained through a Slice of the QKV's first
     * {@code d} columns. Input {@code x [batch, lines, d]}, output {@code y}. Timed against the whole
     * graph it shows what a line costs beyond reading and multiplying the weights.
     *
     * @param spec sizes (a causal model)
     * @param weights named weights with the names of docs/models.md
     * @param int8 int8 weight matrices
     * @return the graph
     */
    static Graph productsOnly(ModelSpec spec, Map<String, Weight> weights, boolean int8) {
        GraphOps m = new GraphOps(spec, weights, int8);
        int d = spec.dModel();
        m.g.input("x", "batch", "lines", d);
        String x = "x";
        for (int l = 0; l < spec.numLayers(); l++) {
            String p = "layers." + l + ".";
            String q = m.g.op("Slice", p + "q", new String[] {m.qkv(x, p, true), m.g.longs(0), m.g.longs(d), m.g.longs(2)});
            x = m.linear(q, p + "attn.o", d, d, true);
            x = m.linear(m.linear(x, p + "ffn.fc1", d, spec.ffnDim(), true), p + "ffn.fc2", spec.ffnDim(), d, true);
        }
        m.g.opNamed("Identity", "y", new String[] {x});
        m.g.output("y", "batch", "lines", d);
        return m.g;
    }

    /**
     * The obvious layer ({@link GraphStyle#PLAIN}) on {@code [batch, lines, d]}: three products for Q,
     * K and V, each {@code MatMul} then {@code Add}, scores divided by √hd, the cache concatenated.
     */
    static String plainLayer(GraphOps o, String x, int l, String batchAndLines, String mask) {
        Graph g = o.g;
        int d = o.spec.dModel();
        int h = o.spec.numHeads();
        int hd = o.spec.headDim();
        String p = "layers." + l + ".";
        String headShape = g.op("Concat", p + "head_shape", new String[] {batchAndLines, g.longs(h, hd)},
                Attr.i("axis", 0));
        String n1 = o.layerNorm(x, p + "ln1", d);
        String q = o.heads(plainLinear(o, n1, p + "attn.q", d, d), headShape, p + "q_heads");
        String k = o.heads(plainLinear(o, n1, p + "attn.k", d, d), headShape, p + "k_heads");
        String v = o.heads(plainLinear(o, n1, p + "attn.v", d, d), headShape, p + "v_heads");
        k = g.opNamed("Concat", ModelFormat.presentKey(l), new String[] {ModelFormat.pastKey(l), k}, Attr.i("axis", 2));
        v = g.opNamed("Concat", ModelFormat.presentValue(l), new String[] {ModelFormat.pastValue(l), v},
                Attr.i("axis", 2));
        String kt = g.op("Transpose", p + "k_t", new String[] {k}, Attr.ints("perm", 0, 1, 3, 2));
        String scores = g.op("Div", p + "scores", new String[] {g.op("MatMul", p + "qk", new String[] {q, kt}),
                g.scalar(p + "sqrt_hd", (float) Math.sqrt(hd))});
        scores = g.op("Add", p + "masked_scores", new String[] {scores, mask});
        String attn = g.op("Softmax", p + "attn_probs", new String[] {scores}, Attr.i("axis", -1));
        String ctx = g.op("MatMul", p + "context", new String[] {attn, v});
        ctx = g.op("Transpose", p + "context_bthd", new String[] {ctx}, Attr.ints("perm", 0, 2, 1, 3));
        String ctxShape = g.op("Concat", p + "context_shape", new String[] {batchAndLines, g.longs(d)},
                Attr.i("axis", 0));
        ctx = g.op("Reshape", p + "context_bld", new String[] {ctx, ctxShape});
        return o.feedForward(x, ctx, p, (in, prefix, from, to) -> plainLinear(o, in, prefix, from, to));
    }

    /** {@code MatMul} then {@code Add} on any rank (int8: the dynamically quantised chain). */
    private static String plainLinear(GraphOps o, String x, String prefix, int in, int out) {
        float[] w = GraphOps.transposed(o.weight(prefix + ".weight", out, in).data(), out, in);
        float[] b = o.weight(prefix + ".bias", out).data();
        if (o.int8) {
            return o.matmulBias(x, prefix, w, b, in, out);
        }
        String wt = o.g.floats(prefix + ".weight_t", w, in, out);
        return o.g.op("Add", prefix, new String[] {o.g.op("MatMul", prefix + "_mm", new String[] {x, wt}),
                o.g.floats(prefix + ".bias", b, out)});
    }
}
