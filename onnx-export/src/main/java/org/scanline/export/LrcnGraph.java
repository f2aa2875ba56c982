package org.scanline.export;

import java.util.Map;
import org.scanline.ModelFormat;
import org.scanline.export.Graph.Attr;
import org.scanline.model.ModelSpec;
import org.scanline.model.Weight;

/** The {@code lrcn} graph: a rolling window of lines through VGG blocks, an LSTM over the windows and the class head. */
final class LrcnGraph extends GraphOps {
    LrcnGraph(ModelSpec spec, Map<String, Weight> weights, boolean int8) {
        super(spec, weights, int8);
    }

    /** @return the graph */
    Graph build() {
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

        return g;
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
}
