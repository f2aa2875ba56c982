package org.scanline.export;

import ai.onnx.proto.OnnxMl;
import java.util.Arrays;
import java.util.Map;
import org.scanline.BadModelException;
import org.scanline.export.Graph.Attr;
import org.scanline.model.ModelSpec;
import org.scanline.model.Weight;

/**
 * The operations every architecture's graph is built from, over one {@link Graph}: named weights
 * checked against their documented shapes, layer norm, the Linear in its forms (Gemm on rows, MatMul
 * and Add on any rank, the int8 chain), the packed QKV product, GELU, the unfused attention layer
 * and its feed-forward tail. Linear weights arrive {@code [out, in]} and are stored transposed for
 * {@code MatMul}; the query projection is pre-scaled by {@code 1/sqrt(hd)}. The builders
 * ({@link CausalGraph}, {@link VitGraph}, {@link LrcnGraph}) extend it.
 */
class GraphOps {
    static final float LN_EPS = 1e-5f;
    static final float MASKED = -1e9f;

    final ModelSpec spec;
    final Map<String, Weight> weights;
    final boolean int8;
    final Graph g;

    GraphOps(ModelSpec spec, Map<String, Weight> weights, boolean int8) {
        this.spec = spec;
        this.weights = weights;
        this.int8 = int8;
        this.g = new Graph("scanline_" + spec.architecture().id());
    }

    String layer(String x, int l, String headsShape, String mask, String pastK, String pastV, String presentK, String presentV) {
        int d = spec.dModel();
        String p = "layers." + l + ".";
        String n1 = layerNorm(x, p + "ln1", d);
        String qkv = qkv(n1, p, false);
        String[] split = g.opMulti("Split", p + "qkv_split", new String[] {qkv, g.longs(d, d, d)},
                new String[] {g.fresh(p + "q"), g.fresh(p + "k"), g.fresh(p + "v")}, Attr.i("axis", -1));
        String q = heads(split[0], headsShape, p + "q_heads");
        String k = heads(split[1], headsShape, p + "k_heads");
        String v = heads(split[2], headsShape, p + "v_heads");
        if (pastK != null) {
            k = g.opNamed("Concat", presentK, new String[] {pastK, k}, Attr.i("axis", 2));
            v = g.opNamed("Concat", presentV, new String[] {pastV, v}, Attr.i("axis", 2));
        }
        String kt = g.op("Transpose", p + "k_t", new String[] {k}, Attr.ints("perm", 0, 1, 3, 2));
        String scores = g.op("MatMul", p + "scores", new String[] {q, kt});
        if (mask != null) {
            scores = g.op("Add", p + "masked_scores", new String[] {scores, mask});
        }
        String attn = g.op("Softmax", p + "attn_probs", new String[] {scores}, Attr.i("axis", -1));
        String ctx = g.op("MatMul", p + "context", new String[] {attn, v});
        ctx = g.op("Transpose", p + "context_bthd", new String[] {ctx}, Attr.ints("perm", 0, 2, 1, 3));
        ctx = g.op("Reshape", p + "context_rows", new String[] {ctx, g.longs(-1, d)});
        return feedForward(x, ctx, p, this::linear);
    }

    /** A transformer Linear: the Gemm on rows, or the plain graph's MatMul then Add. */
    @FunctionalInterface
    interface Linear {
        String apply(String x, String prefix, int in, int out);
    }

    /** Output projection, residual, second norm, FFN and residual: the tail every unfused layer shares. */
    String feedForward(String x, String ctx, String p, Linear linear) {
        int d = spec.dModel();
        String o = linear.apply(ctx, p + "attn.o", d, d);
        String hres = g.op("Add", p + "attn_residual", new String[] {x, o});
        String n2 = layerNorm(hres, p + "ln2", d);
        String f = linear.apply(n2, p + "ffn.fc1", d, spec.ffnDim());
        f = gelu(f, p + "gelu");
        f = linear.apply(f, p + "ffn.fc2", spec.ffnDim(), d);
        return g.op("Add", p + "ffn_residual", new String[] {hres, f});
    }

    /** A query at absolute line q sees keys at lines ≤ q: 0 there, a large negative number elsewhere. */
    String causalMask(String queryPos, String keyPos) {
        String later = g.op("Greater", "later_key", new String[] {
                g.op("Unsqueeze", "key_row", new String[] {keyPos, g.longs(0)}),
                g.op("Unsqueeze", "query_col", new String[] {queryPos, g.longs(1)})});
        return g.op("Where", "causal_mask", new String[] {later, g.scalar("masked", MASKED), g.scalar("zero", 0f)});
    }

    /** Q, K and V in one product; the query columns carry the 1/sqrt(hd) of the scores. */
    String qkv(String n1, String p, boolean anyRank) {
        int d = spec.dModel();
        int hd = spec.headDim();
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] wqkv = new float[3 * d * d];
        float[] bqkv = new float[3 * d];
        String[] parts = {"q", "k", "v"};
        for (int i = 0; i < 3; i++) {
            float s = i == 0 ? scale : 1f;
            float[] w = weight(p + "attn." + parts[i] + ".weight", d, d).data();
            float[] b = weight(p + "attn." + parts[i] + ".bias", d).data();
            for (int o = 0; o < d; o++) {
                for (int c = 0; c < d; c++) {
                    wqkv[c * 3 * d + i * d + o] = w[o * d + c] * s;
                }
                bqkv[i * d + o] = b[o] * s;
            }
        }
        return matmulBias(n1, p + "attn.qkv", wqkv, bqkv, d, 3 * d, anyRank);
    }

    String heads(String x, String shape, String name) {
        String r = g.op("Reshape", name + "_split", new String[] {x, shape});
        return g.op("Transpose", name, new String[] {r}, Attr.ints("perm", 0, 2, 1, 3));
    }

    /** Exact GELU in the form PyTorch exports, which ONNX Runtime's GeluFusion recognises. */
    String gelu(String x, String name) {
        String scaled = g.op("Div", name + "_scaled", new String[] {x, g.scalar("sqrt2", (float) Math.sqrt(2))});
        String erf = g.op("Erf", name + "_erf", new String[] {scaled});
        String one = g.op("Add", name + "_1p", new String[] {erf, g.scalar("one", 1f)});
        String prod = g.op("Mul", name + "_x1p", new String[] {x, one});
        return g.op("Mul", name, new String[] {prod, g.scalar("half", 0.5f)});
    }

    String layerNorm(String x, String prefix, int d) {
        String w = g.floats(prefix + ".weight", weight(prefix + ".weight", d).data(), d);
        String b = g.floats(prefix + ".bias", weight(prefix + ".bias", d).data(), d);
        return g.op("LayerNormalization", prefix, new String[] {x, w, b}, Attr.i("axis", -1), Attr.f("epsilon", LN_EPS));
    }

    /** A transformer Linear on rows: int8 when asked. */
    String linear(String x, String prefix, int in, int out) {
        return linear(x, prefix, in, out, false);
    }

    /** A transformer Linear, on rows or on {@code x} of any rank ({@link #matmulBias}). */
    String linear(String x, String prefix, int in, int out, boolean anyRank) {
        return matmulBias(x, prefix, transposed(weight(prefix + ".weight", out, in).data(), out, in),
                weight(prefix + ".bias", out).data(), in, out, anyRank);
    }

    String linearFp32(String x, String prefix, int in, int out) {
        String w = g.floats(prefix + ".weight_t", transposed(weight(prefix + ".weight", out, in).data(), out, in), in, out);
        String b = g.floats(prefix + ".bias", weight(prefix + ".bias", out).data(), out);
        return g.op("Add", prefix, new String[] {g.op("MatMul", prefix + "_mm", new String[] {x, w}), b});
    }

    void linearNamed(String x, String prefix, int in, int out, String output) {
        String w = g.floats(prefix + ".weight_t", transposed(weight(prefix + ".weight", out, in).data(), out, in), in, out);
        String b = g.floats(prefix + ".bias", weight(prefix + ".bias", out).data(), out);
        g.opNamed("Add", output, new String[] {g.op("MatMul", prefix + "_mm", new String[] {x, w}), b});
    }

    /** {@code x · w + b} for rows {@code x [n, in]}, with {@code w} given {@code [in, out]}. */
    String matmulBias(String x, String prefix, float[] w, float[] b, int in, int out) {
        return matmulBias(x, prefix, w, b, in, out, false);
    }

    /**
     * {@code x · w + b} with {@code w} given {@code [in, out]}: one Gemm for fp32 rows {@code [n, in]},
     * MatMul then Add for {@code x} of any rank ({@code anyRank}), the quantised chain for int8.
     */
    String matmulBias(String x, String prefix, float[] w, float[] b, int in, int out, boolean anyRank) {
        String bias = g.floats(prefix + ".bias", b, out);
        if (!int8) {
            String wt = g.floats(prefix + ".weight_t", w, in, out);
            if (anyRank) {
                return g.op("Add", prefix, new String[] {g.op("MatMul", prefix + "_mm", new String[] {x, wt}), bias});
            }
            return g.op("Gemm", prefix, new String[] {x, wt, bias});
        }
        // Symmetric per-output-column int8 weights (zero point 0); activations quantised per call.
        byte[] q = new byte[w.length];
        float[] colScale = new float[out];
        for (int o = 0; o < out; o++) {
            float max = 0;
            for (int i = 0; i < in; i++) {
                max = Math.max(max, Math.abs(w[i * out + o]));
            }
            colScale[o] = max == 0 ? 1f : max / 127f;
            for (int i = 0; i < in; i++) {
                q[i * out + o] = (byte) Math.round(w[i * out + o] / colScale[o]);
            }
        }
        String wq = g.int8s(prefix + ".weight_q", q, in, out);
        String ws = g.floats(prefix + ".weight_scale", colScale, out);
        String[] dq = g.opMulti("DynamicQuantizeLinear", prefix + "_dq", new String[] {x},
                new String[] {g.fresh(prefix + "_xq"), g.fresh(prefix + "_xscale"), g.fresh(prefix + "_xzero")});
        String acc = g.op("MatMulInteger", prefix + "_mmi", new String[] {dq[0], wq, dq[2]});
        String accF = g.op("Cast", prefix + "_acc", new String[] {acc},
                Attr.i("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber()));
        String scale = g.op("Mul", prefix + "_scale", new String[] {dq[1], ws});
        String y = g.op("Mul", prefix + "_deq", new String[] {accF, scale});
        return g.op("Add", prefix, new String[] {y, bias});
    }

    Weight weight(String name, long... shape) {
        Weight w = weights.get(name);
        if (w == null) {
            throw new BadModelException("weight '" + name + "' missing from the model's named weights (have "
                    + weights.size() + " names, e.g. " + weights.keySet().stream().sorted().limit(5).toList() + ")");
        }
        if (!Arrays.equals(w.shape(), shape)) {
            throw new BadModelException("weight '" + name + "' has shape " + Arrays.toString(w.shape())
                    + ", expected " + Arrays.toString(shape) + " for " + spec);
        }
        return w;
    }

    static float[] transposed(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = w[r * cols + c];
            }
        }
        return t;
    }

    /** {@code PE[t, 2j] = sin(t / 10000^(2j/d))}, {@code PE[t, 2j+1] = cos(...)}, computed in double. */
    static float[] sinusoid(int lines, int d) {
        float[] pe = new float[lines * d];
        for (int t = 0; t < lines; t++) {
            for (int j = 0; 2 * j < d; j++) {
                double angle = t / Math.pow(10000.0, 2.0 * j / d);
                pe[t * d + 2 * j] = (float) Math.sin(angle);
                if (2 * j + 1 < d) {
                    pe[t * d + 2 * j + 1] = (float) Math.cos(angle);
                }
            }
        }
        return pe;
    }
}
