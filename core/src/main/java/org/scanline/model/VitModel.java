package org.scanline.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scanline.Architecture;

/**
 * The seed's {@code vit} encoder: each line one token, a learned CLS token and learned positions, a
 * bidirectional pre-norm encoder, one prediction per input ({@code [B, 1, K]}); see
 * {@code docs/models.md}.
 */
final class VitModel extends AbstractBlock implements ScanModel {
    private final int pixels;
    private final int classes;
    private final int maxLines;
    private final int dModel;
    private final Linear embed;
    private final Parameter cls;
    private final Parameter pos;
    private final Dropout dropout;
    private final List<TransformerLayer> layers = new ArrayList<>();
    private final Norm norm;
    private final Linear head;
    private final Map<String, Parameter> named = new LinkedHashMap<>();

    VitModel(ModelSpec spec, double dropoutRate) {
        this.pixels = spec.pixels();
        this.classes = spec.classes();
        this.maxLines = spec.maxLines();
        this.dModel = spec.dModel();
        embed = addChildBlock("embed", TransformerLayer.linear(dModel));
        // Small normal values as in ViT; these are not matrices, so Xavier does not apply.
        cls = addParameter(Parameter.builder().setName("cls").setType(Parameter.Type.OTHER)
                .optShape(new Shape(dModel)).optInitializer(new NormalInitializer(0.02f)).build());
        pos = addParameter(Parameter.builder().setName("pos").setType(Parameter.Type.OTHER)
                .optShape(new Shape(maxLines + 1, dModel)).optInitializer(new NormalInitializer(0.02f)).build());
        dropout = addChildBlock("dropout", Dropout.builder().optRate((float) dropoutRate).build());
        for (int l = 0; l < spec.numLayers(); l++) {
            layers.add(addChildBlock("layer" + l,
                    new TransformerLayer(dModel, spec.numHeads(), spec.ffnDim(), dropoutRate, false)));
        }
        norm = addChildBlock("norm", new Norm(dModel));
        head = addChildBlock("head", TransformerLayer.linear(classes));
        named.put("embed.weight", embed.getParameters().get("weight"));
        named.put("embed.bias", embed.getParameters().get("bias"));
        named.put("cls", cls);
        named.put("pos", pos);
        for (int l = 0; l < spec.numLayers(); l++) {
            layers.get(l).collect("layers." + l + ".", named);
        }
        named.put("norm.weight", norm.weight);
        named.put("norm.bias", norm.bias);
        named.put("head.weight", head.getParameters().get("weight"));
        named.put("head.bias", head.getParameters().get("bias"));
    }

    @Override
    public Architecture architecture() {
        return Architecture.VIT;
    }

    @Override
    public Block block() {
        return this;
    }

    @Override
    public int pixels() {
        return pixels;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int maxLines() {
        return maxLines;
    }

    @Override
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(named);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDManager m = x.getManager();
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDArray e = embed.forward(ps, new NDList(x), training).singletonOrThrow();
        // Starting from a batch array keeps the results in the batch's manager (freed with the batch).
        NDArray c = m.zeros(new Shape(b, 1, dModel)).add(ps.getValue(cls, x.getDevice(), training));
        NDArray p = ps.getValue(pos, x.getDevice(), training).get(new NDIndex("0:{}", t + 1));
        p.attach(m);
        NDArray h = NDArrays.concat(new NDList(c, e), 1).add(p);
        h = dropout.forward(ps, new NDList(h), training).singletonOrThrow();
        for (TransformerLayer layer : layers) {
            h = layer.forward(ps, new NDList(h), training).singletonOrThrow();
        }
        h = norm.forward(ps, new NDList(h.get(new NDIndex(":, 0:1, :"))), training).singletonOrThrow();
        return head.forward(ps, new NDList(h), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1, classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        embed.initialize(manager, dataType, in);
        Shape tokens = new Shape(in.get(0), in.get(1) + 1, dModel);
        dropout.initialize(manager, dataType, tokens);
        for (TransformerLayer layer : layers) {
            layer.initialize(manager, dataType, tokens);
        }
        norm.initialize(manager, dataType, tokens);
        head.initialize(manager, dataType, tokens);
    }
}
