package org.scanline.export;

import org.scanline.model.ModelSpec;
import org.scanline.ModelFormat;
import org.scanline.model.CausalModel;

import ai.onnx.proto.OnnxMl;
import java.util.Arrays;
import java.util.Map;
import org.scanline.BadConfigException;
import org.scanline.BadModelException;
import org.scanline.export.Graph.Attr;
import org.scanline.model.Weight;

/**
 * Rebuilds each architecture of {@code docs/models.md} as an opset-17 ONNX graph from its named
 * weights. Linear weights arrive {@code [out, in]} and are stored transposed for {@code MatMul};
 * the query projection is pre-scaled by {@code 1/sqrt(hd)}; Q, K and V share one matrix so a step
 * does one product instead of three. A {@code causal} graph comes in the {@link GraphStyle}s.
 */
final class ModelGraphs {
    static final float LN_EPS = 1e-5f;
    private static final float MASKED = -1e9f;

    private final ModelSpec spec;
    private final Map<String, Weight> weights;
    private final boolean int8;
    private final GraphStyle style;
    private final Graph g;
    /** The DFT basis and power fold, shared by the line and difference spectra. */
    private String spectrumBasis;
    private String spectrumFold;

    private ModelGraphs(ModelSpec spec, Map<String, Weight> weights, boolean int8, GraphStyle style) {
        this.spec = spec;
        this.weights = weights;
        this.int8 = int8;
        this.style = style;
        this.g = new Graph("scanline_" + spec.architecture().id());
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
        ModelGraphs m = new ModelGraphs(spec, weights, int8, GraphStyle.FIXED_CACHE);
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
     * @param spec sizes
     * @param weights named weights with the names of docs/models.md
     * @param int8 quantise the transformer's weight matrices to int8
     * @param style how a causal model's cache is laid out
     * @return the graph, with the model format it follows in {@link Graph#format()}
     */
    static Graph build(ModelSpec spec, Map<String, Weight> weights, boolean int8, GraphStyle style) {
        GraphStyle effective = style;
        if (style == GraphStyle.FIXED_CACHE && !fixedCacheFits(spec)) {
            effective = GraphStyle.GROWING_CACHE;
        }
        if (spec.lineDifference() && effective == GraphStyle.GROWING_CACHE) {
            throw new BadConfigException("a causal model with line differences is written in model format "
                    + ModelFormat.PREVIOUS_LINE_SINCE + " only, which needs a fixed cache: a head size that is a "
                    + "multiple of 8 (this model's is " + spec.headDim() + ")");
        }
        ModelGraphs m = new ModelGraphs(spec, weights, int8, effective);
        switch (spec.architecture()) {
            case CAUSAL -> m.causal();
            case VIT -> m.vit();
            case LRCN -> m.lrcn();
            default -> throw new IllegalArgumentException(spec.architecture().toString());
        }
        if (spec.lineDifference()) {
            m.g.format(ModelFormat.PREVIOUS_LINE_SINCE);
        } else {
            m.g.format(effective == GraphStyle.FIXED_CACHE ? ModelFormat.FIXED_CACHE_SINCE : ModelFormat.FIXED_CACHE_SINCE - 1);
        }
        return m.g;
    }

    /** GroupQueryAttention's CPU kernel wants a head size that is a multiple of 8. */
    static boolean fixedCacheFits(ModelSpec spec) {
        return spec.headDim() % 8 == 0;
    }

    // ---- architectures ----

    private void causal() {
        int d = spec.dModel();
        int h = spec.numHeads();
        int hd = spec.headDim();
        boolean fixed = style == GraphStyle.FIXED_CACHE;
        g.input(ModelFormat.LINES, "batch", "new_lines", spec.pixels());
        if (fixed) {
            g.longInput(ModelFormat.PAST_LINES);
        }
        if (spec.lineDifference()) {
            g.input(ModelFormat.PREVIOUS_LINE, "batch", spec.pixels());
        }
        for (int l = 0; l < spec.numLayers(); l++) {
            g.input(ModelFormat.pastKey(l), "batch", h, fixed ? "past_rows" : "past_lines", hd);
            g.input(ModelFormat.pastValue(l), "batch", h, fixed ? "past_rows" : "past_lines", hd);
        }
        String linesShape = g.op("Shape", "lines_shape", new String[] {ModelFormat.LINES});
        String batchAndLines = g.op("Slice", "batch_and_lines", new String[] {linesShape, g.longs(0), g.longs(2)});
        String newLines = g.op("Gather", "new_lines", new String[] {linesShape, g.longScalar(1)}, Attr.i("axis", 0));
        String pastLines;
        if (fixed) {
            pastLines = ModelFormat.PAST_LINES;
        } else {
            String pastShape = g.op("Shape", "past_shape", new String[] {ModelFormat.pastKey(0)});
            pastLines = g.op("Gather", "past_lines", new String[] {pastShape, g.longScalar(2)}, Attr.i("axis", 0));
        }
        String total = g.op("Add", "total_lines", new String[] {pastLines, newLines});
        String queryPos = g.op("Range", "query_pos", new String[] {pastLines, total, g.longScalar(1)});
        String keyPos = g.op("Range", "key_pos", new String[] {g.longScalar(0), total, g.longScalar(1)});

        // Tokenizer: every line a 1-channel signal, or 2 channels with the difference from the line before.
        String x = g.op("Reshape", "line_signals", new String[] {ModelFormat.LINES, g.longs(-1, 1, spec.pixels())});
        String diff = null;
        if (spec.lineDifference()) {
            String before = g.op("Concat", "lines_before", new String[] {
                    g.op("Unsqueeze", "previous_row", new String[] {ModelFormat.PREVIOUS_LINE, g.longs(1)}),
                    g.op("Slice", "all_but_last", new String[] {ModelFormat.LINES, g.longs(0), g.longs(-1), g.longs(1)})},
                    Attr.i("axis", 1));
            diff = g.op("Sub", "line_difference", new String[] {ModelFormat.LINES, before});
            x = g.op("Concat", "line_signals_2ch", new String[] {x,
                    g.op("Reshape", "difference_signals", new String[] {diff, g.longs(-1, 1, spec.pixels())})},
                    Attr.i("axis", 1));
        }
        int in = spec.lineDifference() ? 2 : 1;
        // Format 3 writes the 1-D convolutions as 2-D ones over a [signals, channels, 1, pixels] image:
        // ONNX Runtime's CPU Conv runs a 1-D convolution image by image (an im2col and a small product
        // per line), a 2-D one in its blocked NCHWc kernels over all lines at once.
        boolean image = fixed;
        if (image) {
            x = g.op("Unsqueeze", "line_images", new String[] {x, g.longs(2)});
        }
        for (int i = 0; i < spec.convChannels().size(); i++) {
            int c = spec.convChannels().get(i);
            int k = i == 0 ? 7 : 3;
            float[] wd = weight("tokenizer.conv" + i + ".weight", c, in, k).data();
            String w = image ? g.floats("tokenizer.conv" + i + ".weight", wd, c, in, 1, k)
                    : g.floats("tokenizer.conv" + i + ".weight", wd, c, in, k);
            String b = g.floats("tokenizer.conv" + i + ".bias", weight("tokenizer.conv" + i + ".bias", c).data(), c);
            Attr[] conv = image
                    ? new Attr[] {Attr.ints("kernel_shape", 1, k), Attr.ints("strides", 1, 2), Attr.ints("pads", 0, k / 2, 0, k / 2)}
                    : new Attr[] {Attr.ints("kernel_shape", k), Attr.ints("strides", 2), Attr.ints("pads", k / 2, k / 2)};
            x = g.op("Relu", "conv" + i + "_relu", new String[] {g.op("Conv", "conv" + i, new String[] {x, w, b}, conv)});
            in = c;
        }
        x = g.op("ReduceMean", "line_features", new String[] {x},
                image ? Attr.ints("axes", 2, 3) : Attr.ints("axes", 2), Attr.i("keepdims", 0));
        x = linearFp32(x, "tokenizer.proj", in, d);
        if (spec.spectrumTokens()) {
            x = g.op("Add", "tokens_with_spectrum", new String[] {x, spectrumToken(ModelFormat.LINES, "tokenizer.spectrum", d)});
            if (diff != null) {
                x = g.op("Add", "tokens_with_difference", new String[] {x,
                        spectrumToken(diff, "tokenizer.diff_spectrum", d)});
            }
        }
        String tokShape = g.op("Concat", "token_shape", new String[] {batchAndLines, g.longs(d)}, Attr.i("axis", 0));
        x = g.op("Reshape", "tokens", new String[] {x, tokShape});

        String pe = g.floats("positional_encoding", sinusoid(spec.maxLines(), d), spec.maxLines(), d);
        x = g.op("Add", "tokens_pos", new String[] {x, g.op("Gather", "pe_rows", new String[] {pe, queryPos}, Attr.i("axis", 0))});
        if (fixed) {
            // GroupQueryAttention takes each sample's total length − 1 (int32 [batch]) and the total
            // (int32 scalar); it masks causally by itself and writes the new rows at past_lines.
            String batch = g.op("Slice", "batch", new String[] {linesShape, g.longs(0), g.longs(1)});
            String last = g.op("Sub", "last_line", new String[] {total, g.longScalar(1)});
            String last32 = g.op("Cast", "last_line_i32", new String[] {last},
                    Attr.i("to", OnnxMl.TensorProto.DataType.INT32.getNumber()));
            String seqlensK = g.op("Expand", "seqlens_k", new String[] {
                    g.op("Unsqueeze", "last_line_1", new String[] {last32, g.longs(0)}), batch});
            String total32 = g.op("Cast", "total_lines_i32", new String[] {total},
                    Attr.i("to", OnnxMl.TensorProto.DataType.INT32.getNumber()));
            // [batch, lines, d] throughout: no reshapes around the attention, and each residual add
            // joins the next norm in one SkipLayerNormalization, so a line runs a quarter fewer nodes.
            String[] stream = {layerNorm(x, "layers.0.ln1", d), x};
            for (int l = 0; l < spec.numLayers(); l++) {
                stream = fixedCacheLayer(stream[1], stream[0], l, seqlensK, total32);
            }
            lineHeads(stream[0], null);
            return;
        } else if (style == GraphStyle.PLAIN) {
            String mask = causalMask(queryPos, keyPos);
            for (int l = 0; l < spec.numLayers(); l++) {
                x = plainLayer(x, l, batchAndLines, mask);
            }
            x = g.op("Reshape", "rows", new String[] {x, g.longs(-1, d)});
        } else {
            // The layers run on [batch·lines, d] rows so every projection is one Gemm with its bias.
            x = g.op("Reshape", "rows", new String[] {x, g.longs(-1, d)});
            String headShape = g.op("Concat", "head_shape", new String[] {batchAndLines, g.longs(h, hd)},
                    Attr.i("axis", 0));
            String mask = causalMask(queryPos, keyPos);
            for (int l = 0; l < spec.numLayers(); l++) {
                x = layer(x, l, headShape, mask, ModelFormat.pastKey(l), ModelFormat.pastValue(l),
                        ModelFormat.presentKey(l), ModelFormat.presentValue(l));
            }
        }
        lineHeads(layerNorm(x, "norm", d), batchAndLines);
    }

    /**
     * The class and tip-state heads on the final normed rows, and the graph's outputs.
     *
     * @param normed {@code [batch, lines, d]}, or {@code [batch·lines, d]} rows
     * @param batchAndLines the shape to give rows, or null when {@code normed} already has it
     */
    private void lineHeads(String normed, String batchAndLines) {
        head(normed, "head", spec.classes(), ModelFormat.LOGITS, batchAndLines);
        if (spec.lineStates() > 0) {
            head(normed, "line_head", spec.lineStates(), ModelFormat.LINE_STATE, batchAndLines);
        }
        boolean fixed = style == GraphStyle.FIXED_CACHE;
        for (int l = 0; l < spec.numLayers(); l++) {
            g.output(ModelFormat.presentKey(l), "batch", spec.numHeads(), fixed ? "present_rows" : "total_lines",
                    spec.headDim());
            g.output(ModelFormat.presentValue(l), "batch", spec.numHeads(), fixed ? "present_rows" : "total_lines",
                    spec.headDim());
        }
    }

    private void head(String normed, String prefix, int out, String output, String batchAndLines) {
        if (batchAndLines == null) {
            linearNamed(normed, prefix, spec.dModel(), out, output);
        } else {
            String y = linearFp32(normed, prefix, spec.dModel(), out);
            String shape = g.op("Concat", prefix + "_shape", new String[] {batchAndLines, g.longs(out)}, Attr.i("axis", 0));
            g.opNamed("Reshape", output, new String[] {y, shape});
        }
        g.output(output, "batch", "new_lines", out);
    }

    /** A query at absolute line q sees keys at lines ≤ q: 0 there, a large negative number elsewhere. */
    private String causalMask(String queryPos, String keyPos) {
        String later = g.op("Greater", "later_key", new String[] {
                g.op("Unsqueeze", "key_row", new String[] {keyPos, g.longs(0)}),
                g.op("Unsqueeze", "query_col", new String[] {queryPos, g.longs(1)})});
        return g.op("Where", "causal_mask", new String[] {later, g.scalar("masked", MASKED), g.scalar("zero", 0f)});
    }

    private void vit() {
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
    }

    private void lrcn() {
        int w = spec.windowLines();
        int p = spec.pixels();
        g.input(ModelFormat.LINES, "batch", "new_lines", p);
        String linesShape = g.op("Shape", "lines_shape", new String[] {ModelFormat.LINES});
        String batchAndLines = g.op("Slice", "batch_and_lines", new String[] {linesShape, g.longs(0), g.longs(2)});
        String count = g.op("Gather", "line_count", new String[] {linesShape, g.longScalar(1)}, Attr.i("axis", 0));
        // W-1 zero lines on top, then window t is padded rows t..t+W-1; pooling mixes rows, so the
        // windows go into the batch axis rather than one convolution over the whole scan.
        String padded = g.op("Pad", "padded", new String[] {ModelFormat.LINES, g.longs(0, w - 1, 0, 0, 0, 0)});
        String starts = g.op("Unsqueeze", "window_start", new String[] {
                g.op("Range", "steps", new String[] {g.longScalar(0), count, g.longScalar(1)}), g.longs(1)});
        String offsets = g.op("Unsqueeze", "window_offset", new String[] {
                g.op("Range", "offsets", new String[] {g.longScalar(0), g.longScalar(w), g.longScalar(1)}), g.longs(0)});
        String rows = g.op("Add", "window_rows", new String[] {starts, offsets});
        String windows = g.op("Gather", "windows", new String[] {padded, rows}, Attr.i("axis", 1));
        String x = g.op("Reshape", "window_images", new String[] {windows, g.longs(-1, 1, w, p)});
        int in = 1;
        for (int i = 0; i < spec.convChannels().size(); i++) {
            int c = spec.convChannels().get(i);
            String wt = g.floats("cnn.conv" + i + ".weight", weight("cnn.conv" + i + ".weight", c, in, 3, 3).data(), c, in, 3, 3);
            String b = g.floats("cnn.conv" + i + ".bias", weight("cnn.conv" + i + ".bias", c).data(), c);
            x = g.op("Conv", "conv" + i, new String[] {x, wt, b}, Attr.ints("kernel_shape", 3, 3),
                    Attr.ints("pads", 1, 1, 1, 1));
            x = g.op("Relu", "conv" + i + "_relu", new String[] {x});
            x = g.op("MaxPool", "pool" + i, new String[] {x}, Attr.ints("kernel_shape", 2, 2), Attr.ints("strides", 2, 2));
            in = c;
        }
        x = g.op("ReduceMean", "window_features", new String[] {x}, Attr.ints("axes", 2, 3), Attr.i("keepdims", 0));
        String featShape = g.op("Concat", "feature_shape", new String[] {batchAndLines, g.longs(in)}, Attr.i("axis", 0));
        x = g.op("Reshape", "features", new String[] {x, featShape});
        x = g.op("Transpose", "features_tbc", new String[] {x}, Attr.ints("perm", 1, 0, 2));
        int hid = spec.lstmHidden();
        float[] wih = weight("lstm.w_ih", 4L * hid, in).data();
        float[] whh = weight("lstm.w_hh", 4L * hid, hid).data();
        float[] bih = weight("lstm.b_ih", 4L * hid).data();
        float[] bhh = weight("lstm.b_hh", 4L * hid).data();
        float[] bias = new float[8 * hid];
        System.arraycopy(iofc(bih, hid, 1), 0, bias, 0, 4 * hid);
        System.arraycopy(iofc(bhh, hid, 1), 0, bias, 4 * hid, 4 * hid);
        String y = g.opMulti("LSTM", "lstm", new String[] {x,
                g.floats("lstm.W", iofc(wih, hid, in), 1, 4L * hid, in),
                g.floats("lstm.R", iofc(whh, hid, hid), 1, 4L * hid, hid),
                g.floats("lstm.B", bias, 1, 8L * hid)}, new String[] {g.fresh("lstm_y")}, Attr.i("hidden_size", hid))[0];
        y = g.op("Squeeze", "lstm_h", new String[] {y, g.longs(1)});
        y = g.op("Transpose", "hidden_bth", new String[] {y}, Attr.ints("perm", 1, 0, 2));
        linearNamed(y, "head", hid, spec.classes(), ModelFormat.LOGITS);
        g.output(ModelFormat.LOGITS, "batch", "new_lines", spec.classes());
    }

    /**
     * The spectrum part of a causal token, {@code Linear(log(|DFT(line)|²/P + ε))}: one product with
     * the real-DFT basis, a square, and one product with a fixed matrix that adds each bin's real and
     * imaginary power and divides by P.
     */
    private String spectrumToken(String signal, String weights, int d) {
        int p = spec.pixels();
        int bins = p / 2 + 1;
        if (spectrumBasis == null) {
            spectrumBasis = g.floats("spectrum_basis", CausalModel.dftBasis(p), p, 2L * bins);
            float[] fold = new float[2 * bins * bins];
            for (int k = 0; k < bins; k++) {
                fold[k * bins + k] = 1f / p;
                fold[(bins + k) * bins + k] = 1f / p;
            }
            spectrumFold = g.floats("spectrum_fold", fold, 2L * bins, bins);
        }
        String rows = g.op("Reshape", "spectrum_rows", new String[] {signal, g.longs(-1, p)});
        String reIm = g.op("MatMul", "spectrum_re_im", new String[] {rows, spectrumBasis});
        String sq = g.op("Mul", "spectrum_sq", new String[] {reIm, reIm});
        String power = g.op("MatMul", "spectrum_power", new String[] {sq, spectrumFold});
        String logPower = g.op("Log", "spectrum_log", new String[] {
                g.op("Add", "spectrum_eps", new String[] {power, g.scalar("spectrum_epsilon", CausalModel.SPECTRUM_EPSILON)})});
        return linearFp32(logPower, weights, bins, d);
    }

    /** PyTorch stacks the gates i, f, g, o; ONNX wants i, o, f, c (c = PyTorch's g). */
    static float[] iofc(float[] ifgo, int hidden, int cols) {
        int block = hidden * cols;
        float[] out = new float[ifgo.length];
        int[] from = {0, 3, 1, 2};
        for (int gate = 0; gate < 4; gate++) {
            System.arraycopy(ifgo, from[gate] * block, out, gate * block, block);
        }
        return out;
    }

    // ---- building blocks ----

    private String layer(String x, int l, String headsShape, String mask, String pastK, String pastV, String presentK, String presentV) {
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
        return feedForward(x, ctx, p);
    }

    /**
     * A format-3 layer on {@code [batch, lines, d]}: the packed QKV goes to GroupQueryAttention
     * (query heads, then key heads, then value heads, as the packed input wants), whose presents are
     * the graph's present outputs; each residual add is the sum output of the SkipLayerNormalization
     * that also computes the next norm (the next layer's ln1, or the final norm).
     *
     * @param x the residual stream
     * @param n1 {@code x} normed by this layer's ln1
     * @return the residual stream after the layer normed by the next norm, and the stream itself
     */
    private String[] fixedCacheLayer(String x, String n1, int l, String seqlensK, String total32) {
        int d = spec.dModel();
        int h = spec.numHeads();
        String p = "layers." + l + ".";
        String[] out = g.msOpMulti("GroupQueryAttention", p + "attention",
                new String[] {qkv(n1, p, true), "", "", ModelFormat.pastKey(l), ModelFormat.pastValue(l), seqlensK, total32},
                new String[] {g.fresh(p + "context"), ModelFormat.presentKey(l), ModelFormat.presentValue(l)},
                Attr.i("num_heads", h), Attr.i("kv_num_heads", h), Attr.f("scale", 1f));
        String[] n2 = skipLayerNorm(out[0], x, p + "attn.o", d, p + "ln2");
        String f = gelu(linear(n2[0], p + "ffn.fc1", d, spec.ffnDim(), true), p + "gelu");
        String next = l + 1 < spec.numLayers() ? "layers." + (l + 1) + ".ln1" : "norm";
        return skipLayerNorm(f, n2[1], p + "ffn.fc2", spec.ffnDim(), next);
    }

    /**
     * {@code residual + Linear(x)} and its layer norm in one SkipLayerNormalization; an fp32
     * product's bias goes into the fused node, an int8 one's stays in DynamicQuantizeMatMul.
     *
     * @return the normed sum and the sum
     */
    private String[] skipLayerNorm(String x, String residual, String linear, int in, String norm) {
        int d = spec.dModel();
        String y;
        String bias = "";
        if (int8) {
            y = linear(x, linear, in, d, true);
        } else {
            float[] w = transposed(weight(linear + ".weight", d, in).data(), d, in);
            y = g.op("MatMul", linear + "_mm", new String[] {x, g.floats(linear + ".weight_t", w, in, d)});
            bias = g.floats(linear + ".bias", weight(linear + ".bias", d).data(), d);
        }
        String gamma = g.floats(norm + ".weight", weight(norm + ".weight", d).data(), d);
        String beta = g.floats(norm + ".bias", weight(norm + ".bias", d).data(), d);
        String[] out = g.msOpMulti("SkipLayerNormalization", norm, bias.isEmpty() ? new String[] {y, residual, gamma, beta}
                        : new String[] {y, residual, gamma, beta, bias},
                new String[] {g.fresh(norm), "", "", g.fresh(linear + "_residual")}, Attr.f("epsilon", LN_EPS));
        return new String[] {out[0], out[3]};
    }

    /** Output projection, residual, second norm, FFN and residual: the part every style shares. */
    private String feedForward(String x, String ctx, String p) {
        int d = spec.dModel();
        String o = linear(ctx, p + "attn.o", d, d);
        String hres = g.op("Add", p + "attn_residual", new String[] {x, o});
        String n2 = layerNorm(hres, p + "ln2", d);
        String f = linear(n2, p + "ffn.fc1", d, spec.ffnDim());
        f = gelu(f, p + "gelu");
        f = linear(f, p + "ffn.fc2", spec.ffnDim(), d);
        return g.op("Add", p + "ffn_residual", new String[] {hres, f});
    }

    /**
     * The obvious layer ({@link GraphStyle#PLAIN}) on {@code [batch, lines, d]}: three products for Q,
     * K and V, each {@code MatMul} then {@code Add}, scores divided by √hd, the cache concatenated.
     */
    private String plainLayer(String x, int l, String batchAndLines, String mask) {
        int d = spec.dModel();
        int h = spec.numHeads();
        int hd = spec.headDim();
        String p = "layers." + l + ".";
        String headShape = g.op("Concat", p + "head_shape", new String[] {batchAndLines, g.longs(h, hd)},
                Attr.i("axis", 0));
        String n1 = layerNorm(x, p + "ln1", d);
        String q = heads(plainLinear(n1, p + "attn.q", d, d), headShape, p + "q_heads");
        String k = heads(plainLinear(n1, p + "attn.k", d, d), headShape, p + "k_heads");
        String v = heads(plainLinear(n1, p + "attn.v", d, d), headShape, p + "v_heads");
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
        String o = plainLinear(ctx, p + "attn.o", d, d);
        String hres = g.op("Add", p + "attn_residual", new String[] {x, o});
        String n2 = layerNorm(hres, p + "ln2", d);
        String f = plainLinear(n2, p + "ffn.fc1", d, spec.ffnDim());
        f = gelu(f, p + "gelu");
        f = plainLinear(f, p + "ffn.fc2", spec.ffnDim(), d);
        return g.op("Add", p + "ffn_residual", new String[] {hres, f});
    }

    /** {@code MatMul} then {@code Add} on any rank (int8: the dynamically quantised chain). */
    private String plainLinear(String x, String prefix, int in, int out) {
        float[] w = transposed(weight(prefix + ".weight", out, in).data(), out, in);
        float[] b = weight(prefix + ".bias", out).data();
        if (int8) {
            return matmulBias(x, prefix, w, b, in, out);
        }
        String wt = g.floats(prefix + ".weight_t", w, in, out);
        return g.op("Add", prefix, new String[] {g.op("MatMul", prefix + "_mm", new String[] {x, wt}),
                g.floats(prefix + ".bias", b, out)});
    }

    /** Q, K and V in one product; the query columns carry the 1/sqrt(hd) of the scores. */
    private String qkv(String n1, String p, boolean anyRank) {
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

    private String heads(String x, String shape, String name) {
        String r = g.op("Reshape", name + "_split", new String[] {x, shape});
        return g.op("Transpose", name, new String[] {r}, Attr.ints("perm", 0, 2, 1, 3));
    }

    /** Exact GELU in the form PyTorch exports, which ONNX Runtime's GeluFusion recognises. */
    private String gelu(String x, String name) {
        String scaled = g.op("Div", name + "_scaled", new String[] {x, g.scalar("sqrt2", (float) Math.sqrt(2))});
        String erf = g.op("Erf", name + "_erf", new String[] {scaled});
        String one = g.op("Add", name + "_1p", new String[] {erf, g.scalar("one", 1f)});
        String prod = g.op("Mul", name + "_x1p", new String[] {x, one});
        return g.op("Mul", name, new String[] {prod, g.scalar("half", 0.5f)});
    }

    private String layerNorm(String x, String prefix, int d) {
        String w = g.floats(prefix + ".weight", weight(prefix + ".weight", d).data(), d);
        String b = g.floats(prefix + ".bias", weight(prefix + ".bias", d).data(), d);
        return g.op("LayerNormalization", prefix, new String[] {x, w, b}, Attr.i("axis", -1), Attr.f("epsilon", LN_EPS));
    }

    /** A transformer Linear on rows: int8 when asked. */
    private String linear(String x, String prefix, int in, int out) {
        return linear(x, prefix, in, out, false);
    }

    /** A transformer Linear, on rows or on {@code x} of any rank ({@link #matmulBias}). */
    private String linear(String x, String prefix, int in, int out, boolean anyRank) {
        return matmulBias(x, prefix, transposed(weight(prefix + ".weight", out, in).data(), out, in),
                weight(prefix + ".bias", out).data(), in, out, anyRank);
    }

    private String linearFp32(String x, String prefix, int in, int out) {
        String w = g.floats(prefix + ".weight_t", transposed(weight(prefix + ".weight", out, in).data(), out, in), in, out);
        String b = g.floats(prefix + ".bias", weight(prefix + ".bias", out).data(), out);
        return g.op("Add", prefix, new String[] {g.op("MatMul", prefix + "_mm", new String[] {x, w}), b});
    }

    private void linearNamed(String x, String prefix, int in, int out, String output) {
        String w = g.floats(prefix + ".weight_t", transposed(weight(prefix + ".weight", out, in).data(), out, in), in, out);
        String b = g.floats(prefix + ".bias", weight(prefix + ".bias", out).data(), out);
        g.opNamed("Add", output, new String[] {g.op("MatMul", prefix + "_mm", new String[] {x, w}), b});
    }

    /** {@code x · w + b} for rows {@code x [n, in]}, with {@code w} given {@code [in, out]}. */
    private String matmulBias(String x, String prefix, float[] w, float[] b, int in, int out) {
        return matmulBias(x, prefix, w, b, in, out, false);
    }

    /**
     * {@code x · w + b} with {@code w} given {@code [in, out]}: one Gemm for fp32 rows {@code [n, in]},
     * MatMul then Add for {@code x} of any rank ({@code anyRank}), the quantised chain for int8.
     */
    private String matmulBias(String x, String prefix, float[] w, float[] b, int in, int out, boolean anyRank) {
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

    private Weight weight(String name, long... shape) {
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
