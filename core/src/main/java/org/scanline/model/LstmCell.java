package org.scanline.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A one-layer LSTM over {@code [B, T, C]} written from plain DJL operations, batch first, zero
 * initial state, PyTorch's gate order (i, f, g, o) and PyTorch's four tensors {@code w_ih [4H, C]},
 * {@code w_hh [4H, H]}, {@code b_ih [4H]}, {@code b_hh [4H]}.
 *
 * <p>Not DJL's {@code LSTM} block: that runs libtorch's fused kernel, which oneDNN computes wrongly on
 * some AVX-512 CPUs (issue 11). Matrix products and element-wise operations are correct there, so the
 * cell is built from those: one product for the input part of every step, then one fused
 * {@code [B, H] × [H, 4H]} gate product per step.
 */
final class LstmCell extends AbstractBlock {
    private final int hidden;
    private final Parameter wIh;
    private final Parameter wHh;
    private final Parameter bIh;
    private final Parameter bHh;

    /**
     * @param inputSize C, the feature size of one step
     * @param hidden H, the state size
     */
    LstmCell(long inputSize, int hidden) {
        this.hidden = hidden;
        // The creation order (weights, then biases) is DJL's LSTM's, so a seed gives the same initial values.
        wIh = addParameter(Parameter.builder().setName("w_ih").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(4L * hidden, inputSize)).build());
        wHh = addParameter(Parameter.builder().setName("w_hh").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(4L * hidden, hidden)).build());
        bIh = addParameter(Parameter.builder().setName("b_ih").setType(Parameter.Type.BIAS)
                .optShape(new Shape(4L * hidden)).build());
        bHh = addParameter(Parameter.builder().setName("b_hh").setType(Parameter.Type.BIAS)
                .optShape(new Shape(4L * hidden)).build());
    }

    Parameter wIh() {
        return wIh;
    }

    Parameter wHh() {
        return wHh;
    }

    Parameter bIh() {
        return bIh;
    }

    Parameter bHh() {
        return bHh;
    }

    /** @return every step's hidden state {@code [B, T, H]} for input {@code [B, T, C]} */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        NDArray wih = ps.getValue(wIh, device, training);
        NDArray whhT = ps.getValue(wHh, device, training).transpose();
        NDArray bias = ps.getValue(bIh, device, training).add(ps.getValue(bHh, device, training));
        int steps = (int) x.getShape().get(1);
        // Time first, so that splitting the precomputed input part gives each step a [1, B, 4H] slice.
        NDList inputPart = x.transpose(1, 0, 2).matMul(wih.transpose()).add(bias).split(steps, 0);
        NDList out = new NDList(steps);
        NDArray h = null;
        NDArray c = null;
        for (int t = 0; t < steps; t++) {
            NDArray g = h == null ? inputPart.get(t) : inputPart.get(t).add(h.matMul(whhT));
            NDList gates = g.split(4, 2);
            NDArray i = Activation.sigmoid(gates.get(0));
            NDArray cand = gates.get(2).tanh();
            NDArray o = Activation.sigmoid(gates.get(3));
            // h0 = c0 = 0, so step 0 needs neither the recurrent product nor the forget gate.
            c = c == null ? i.mul(cand) : Activation.sigmoid(gates.get(1)).mul(c).add(i.mul(cand));
            h = o.mul(c.tanh());
            out.add(h);
        }
        return new NDList(NDArrays.concat(out, 0).transpose(1, 0, 2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), hidden)};
    }
}
