package org.scanline.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * One pre-norm transformer layer as {@code docs/models.md} defines it: multi-head self-attention
 * written out with matrix products (so the exporter rebuilds exactly this), optionally causal, then
 * a GELU feed-forward block; dropout on both residual branches in training.
 */
final class TransformerLayer extends AbstractBlock {
    /** Additive mask value for keys after the query: exp underflows to exactly 0. */
    static final float MASKED = -1e9f;

    private final int dModel;
    private final int heads;
    private final boolean causal;
    private final Norm ln1;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final Norm ln2;
    private final Linear fc1;
    private final Linear fc2;
    private final Dropout dropout;

    /**
     * @param dModel width d
     * @param heads attention heads H (divides d)
     * @param ffnDim feed-forward width
     * @param dropout dropout probability on the residual branches
     * @param causal whether a line attends only to itself and earlier lines
     */
    TransformerLayer(int dModel, int heads, int ffnDim, double dropout, boolean causal) {
        this.dModel = dModel;
        this.heads = heads;
        this.causal = causal;
        ln1 = addChildBlock("ln1", new Norm(dModel));
        q = addChildBlock("q", linear(dModel));
        k = addChildBlock("k", linear(dModel));
        v = addChildBlock("v", linear(dModel));
        o = addChildBlock("o", linear(dModel));
        ln2 = addChildBlock("ln2", new Norm(dModel));
        fc1 = addChildBlock("fc1", linear(ffnDim));
        fc2 = addChildBlock("fc2", linear(dModel));
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate((float) dropout).build());
    }

    static Linear linear(int units) {
        return Linear.builder().setUnits(units).optBias(true).build();
    }

    /** Adds this layer's parameters under {@code prefix} (e.g. {@code layers.0.}) in the documented names. */
    void collect(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "ln1.weight", ln1.weight);
        out.put(prefix + "ln1.bias", ln1.bias);
        String[] names = {"q", "k", "v", "o"};
        Linear[] lin = {q, k, v, o};
        for (int i = 0; i < 4; i++) {
            out.put(prefix + "attn." + names[i] + ".weight", lin[i].getParameters().get("weight"));
            out.put(prefix + "attn." + names[i] + ".bias", lin[i].getParameters().get("bias"));
        }
        out.put(prefix + "ln2.weight", ln2.weight);
        out.put(prefix + "ln2.bias", ln2.bias);
        out.put(prefix + "ffn.fc1.weight", fc1.getParameters().get("weight"));
        out.put(prefix + "ffn.fc1.bias", fc1.getParameters().get("bias"));
        out.put(prefix + "ffn.fc2.weight", fc2.getParameters().get("weight"));
        out.put(prefix + "ffn.fc2.bias", fc2.getParameters().get("bias"));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int hd = dModel / heads;
        NDArray h1 = ln1.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray qh = split(q.forward(ps, new NDList(h1), training).singletonOrThrow(), b, t, hd);
        NDArray kh = split(k.forward(ps, new NDList(h1), training).singletonOrThrow(), b, t, hd);
        NDArray vh = split(v.forward(ps, new NDList(h1), training).singletonOrThrow(), b, t, hd);
        NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).div((float) Math.sqrt(hd));
        if (causal && t > 1) {
            scores = scores.add(causalMask(x.getManager(), (int) t));
        }
        NDArray attn = scores.softmax(-1);
        NDArray ctx = attn.matMul(vh).transpose(0, 2, 1, 3).reshape(b, t, dModel);
        NDArray a = o.forward(ps, new NDList(ctx), training).singletonOrThrow();
        a = dropout.forward(ps, new NDList(a), training).singletonOrThrow();
        NDArray h = x.add(a);
        NDArray f = ln2.forward(ps, new NDList(h), training).singletonOrThrow();
        f = Activation.gelu(fc1.forward(ps, new NDList(f), training).singletonOrThrow());
        f = fc2.forward(ps, new NDList(f), training).singletonOrThrow();
        f = dropout.forward(ps, new NDList(f), training).singletonOrThrow();
        return new NDList(h.add(f));
    }

    private NDArray split(NDArray x, long b, long t, int hd) {
        return x.reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
    }

    /** @return {@code [T, T]} with 0 on and below the diagonal and {@link #MASKED} above */
    static NDArray causalMask(NDManager manager, int t) {
        float[] m = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                m[i * t + j] = MASKED;
            }
        }
        return manager.create(m, new Shape(t, t));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        ln1.initialize(manager, dataType, s);
        for (Linear l : new Linear[] {q, k, v, o, fc1}) {
            l.initialize(manager, dataType, s);
        }
        ln2.initialize(manager, dataType, s);
        fc2.initialize(manager, dataType, new Shape(s.get(0), s.get(1), fc1.getOutputShapes(new Shape[] {s})[0].get(2)));
        dropout.initialize(manager, dataType, s);
    }
}
