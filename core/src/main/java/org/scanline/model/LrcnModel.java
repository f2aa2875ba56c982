package org.scanline.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.scanline.Architecture;

/**
 * Gordon et al.'s {@code lrcn}: a VGG-like CNN over the rolling window of the last W lines (zeros
 * before line 0), global average pooling, a one-layer LSTM and a head on every step
 * ({@code [B, T, K]}); see {@code docs/models.md}. The LSTM is our own {@link LstmCell} (PyTorch's
 * gate order i, f, g, o), whose four tensors are {@code lstm.w_ih}, {@code lstm.w_hh},
 * {@code lstm.b_ih}, {@code lstm.b_hh}.
 */
final class LrcnModel extends SpecifiedModel {
    private final int window;
    private final int hidden;
    private final List<Conv2d> convs = new ArrayList<>();
    private final LstmCell lstm;
    private final Linear head;

    LrcnModel(ModelSpec spec) {
        super(Architecture.LRCN, spec);
        List<Integer> convChannels = spec.convChannels();
        this.window = spec.windowLines();
        this.hidden = spec.lstmHidden();
        for (int i = 0; i < convChannels.size(); i++) {
            convs.add(addChildBlock("conv" + i, Conv2d.builder().setKernelShape(new Shape(3, 3))
                    .setFilters(convChannels.get(i)).optStride(new Shape(1, 1)).optPadding(new Shape(1, 1))
                    .optBias(true).build()));
        }
        // Global average pooling leaves one feature per channel of the last convolution.
        lstm = addChildBlock("lstm", new LstmCell(convChannels.get(convChannels.size() - 1), hidden));
        head = addChildBlock("head", TransformerLayer.linear(classes));
        for (int i = 0; i < convs.size(); i++) {
            nameWeightAndBias("cnn.conv" + i, convs.get(i));
        }
        name("lstm.w_ih", lstm.wIh());
        name("lstm.w_hh", lstm.wHh());
        name("lstm.b_ih", lstm.bIh());
        name("lstm.b_hh", lstm.bHh());
        nameWeightAndBias("head", head);
    }

    /** @return the rolling window W in lines */
    int window() {
        return window;
    }

    /**
     * The window features: for every line t, the CNN feature of lines t−W+1 … t (zeros before line 0).
     *
     * @return {@code [B, T, c_last]}
     */
    NDArray features(ParameterStore ps, NDArray x, boolean training) {
        long b = x.getShape().get(0);
        int t = (int) x.getShape().get(1);
        NDArray padded = NDArrays.concat(new NDList(x.getManager().zeros(new Shape(b, window - 1, pixels)), x), 1);
        NDList windows = new NDList(t);
        for (int i = 0; i < t; i++) {
            windows.add(padded.get(new NDIndex(":, {}:{}", i, i + window)));
        }
        NDArray h = NDArrays.stack(windows, 1).reshape(b * t, 1, window, pixels);
        for (Conv2d c : convs) {
            h = Activation.relu(c.forward(ps, new NDList(h), training).singletonOrThrow());
            h = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
        }
        return h.mean(new int[] {3}).mean(new int[] {2}).reshape(b, t, -1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray f = features(ps, inputs.singletonOrThrow(), training);
        NDArray h = lstm.forward(ps, new NDList(f), training).get(0);
        return head.forward(ps, new NDList(h), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = new Shape(1, 1, window, pixels);
        for (Conv2d c : convs) {
            c.initialize(manager, dataType, s);
            s = c.getOutputShapes(new Shape[] {s})[0];
        }
        lstm.initialize(manager, dataType, new Shape(1, 1, s.get(1)));
        head.initialize(manager, dataType, new Shape(1, 1, hidden));
    }
}
