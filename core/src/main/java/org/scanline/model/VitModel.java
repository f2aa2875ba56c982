package org.scanline.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.scanline.Architecture;

/**
 * The seed's {@code vit} encoder: each line one token, a learned CLS token and learned positions, a
 * bidirectional pre-norm encoder, one prediction per input ({@code [B, 1, K]}); see
 * {@code docs/models.md}.
 */
final class VitModel extends SpecifiedModel {
    private final int dModel;
    private final Linear embed;
    private final Parameter cls;
    private final Parameter pos;
    private final Dropout dropout;
    private final List<TransformerLayer> layers = new ArrayList<>();
    private final Norm norm;
    private final Linear head;

    VitModel(ModelSpec spec, double dropoutRate) {
        super(Architecture.VIT, spec);
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
        nameWeightAndBias("embed", embed);
        name("cls", cls);
        name("pos", pos);
        for (int l = 0; l < spec.numLayers(); l++) {
            nameLayer("layers." + l + ".", layers.get(l));
        }
        nameWeightAndBias("norm", norm);
        nameWeightAndBias("head", head);
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
