package org.scanline.export;

import ai.onnx.proto.OnnxMl;
import java.util.Map;
import org.scanline.ModelFormat;
import org.scanline.export.Graph.Attr;
import org.scanline.model.CausalModel;
import org.scanline.model.ModelSpec;
import org.scanline.model.Weight;

/**
 * The {@code causal} step graph: inputs, the line tokenizer (convolutions, optional spectrum and
 * line-difference channels), positions from {@code past_lines}, the layers in the {@link GraphStyle}
 * asked for, and the class and tip-state heads with the present key/value outputs.
 */
final class CausalGraph extends GraphOps {
    private final GraphStyle style;
    /** The DFT basis and power fold, shared by the line and difference spectra. */
    private String spectrumBasis;
    private String spectrumFold;

    CausalGraph(ModelSpec spec, Map<String, Weight> weights, boolean int8, GraphStyle style) {
        super(spec, weights, int8);
        this.style = style;
    }

    /** @return the graph */
    Graph build() {
        causal();
        return g;
    }

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
                x = BenchmarkGraphs.plainLayer(this, x, l, batchAndLines, mask);
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
}
