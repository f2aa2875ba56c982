package org.scanline.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;
import org.scanline.Architecture;

/**
 * The streamable {@code causal} model: a 1D-CNN tokenizer per line, sinusoidal positions, causal
 * pre-norm transformer layers and a head after every line ({@code [B, T, K]}); see
 * {@code docs/models.md}. With line differences the tokenizer's input has a second channel, the line
 * minus the previous line (zero for the first line), and that difference's log power spectrum is
 * added to the token too.
 *
 * <p>Internal: public for the ONNX exporter and fine-tuning; library users hold it as a
 * {@link ScanModel}.
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public final class CausalModel extends SpecifiedModel {
    private final int dModel;
    private final List<Conv1d> convs = new ArrayList<>();
    private final Linear proj;
    private final Dropout dropout;
    private final List<TransformerLayer> layers = new ArrayList<>();
    private final Norm norm;
    private final Linear head;
    private final Linear lineHead;
    private final Linear spectrum;
    private final Linear diffSpectrum;
    private final boolean lineDifference;
    private final int lineStates;

    CausalModel(ModelSpec spec, double dropoutRate) {
        super(Architecture.CAUSAL, spec);
        this.dModel = spec.dModel();
        this.lineStates = spec.lineStates();
        this.lineDifference = spec.lineDifference();
        List<Integer> convChannels = spec.convChannels();
        for (int i = 0; i < convChannels.size(); i++) {
            int kernel = i == 0 ? 7 : 3;
            convs.add(addChildBlock("conv" + i, Conv1d.builder().setKernelShape(new Shape(kernel))
                    .setFilters(convChannels.get(i)).optStride(new Shape(2)).optPadding(new Shape(kernel / 2))
                    .optBias(true).build()));
        }
        proj = addChildBlock("proj", TransformerLayer.linear(dModel));
        spectrum = spec.spectrumTokens() ? addChildBlock("spectrum", TransformerLayer.linear(dModel)) : null;
        diffSpectrum = spec.spectrumTokens() && lineDifference
                ? addChildBlock("diffSpectrum", TransformerLayer.linear(dModel)) : null;
        dropout = addChildBlock("dropout", Dropout.builder().optRate((float) dropoutRate).build());
        for (int l = 0; l < spec.numLayers(); l++) {
            layers.add(addChildBlock("layer" + l,
                    new TransformerLayer(dModel, spec.numHeads(), spec.ffnDim(), dropoutRate, true)));
        }
        norm = addChildBlock("norm", new Norm(dModel));
        head = addChildBlock("head", TransformerLayer.linear(classes));
        lineHead = lineStates > 0 ? addChildBlock("lineHead", TransformerLayer.linear(lineStates)) : null;
        for (int i = 0; i < convs.size(); i++) {
            nameWeightAndBias("tokenizer.conv" + i, convs.get(i));
        }
        nameWeightAndBias("tokenizer.proj", proj);
        if (spectrum != null) {
            nameWeightAndBias("tokenizer.spectrum", spectrum);
        }
        if (diffSpectrum != null) {
            nameWeightAndBias("tokenizer.diff_spectrum", diffSpectrum);
        }
        for (int l = 0; l < spec.numLayers(); l++) {
            nameLayer("layers." + l + ".", layers.get(l));
        }
        nameWeightAndBias("norm", norm);
        nameWeightAndBias("head", head);
        if (lineHead != null) {
            nameWeightAndBias("line_head", lineHead);
        }
    }

    @Override
    public int lineStates() {
        return lineStates;
    }

    /** @return whether each token also carries the line's log power spectrum */
    public boolean spectrumTokens() {
        return spectrum != null;
    }

    /** @return whether the tokenizer also sees each line's difference from the previous line */
    public boolean lineDifference() {
        return lineDifference;
    }

    /**
     * The real-DFT basis of {@code docs/models.md}: {@code cos} and {@code −sin} of {@code 2π·k·n/P} for
     * {@code k = 0 … P/2}, so that {@code line · basis} gives the real and imaginary parts.
     *
     * @param pixels line length P
     * @return row-major {@code [P, 2·(P/2+1)]}: the cosine columns, then the sine columns
     */
    public static float[] dftBasis(int pixels) {
        int bins = pixels / 2 + 1;
        float[] m = new float[pixels * 2 * bins];
        for (int n = 0; n < pixels; n++) {
            for (int k = 0; k < bins; k++) {
                // Reduce k·n mod P first so that the angle stays exact for long lines.
                double angle = 2 * Math.PI * ((long) k * n % pixels) / pixels;
                m[n * 2 * bins + k] = (float) Math.cos(angle);
                m[n * 2 * bins + bins + k] = (float) -Math.sin(angle);
            }
        }
        return m;
    }

    /** Added inside the logarithm of the power spectrum, so that a flat (zeroed) line stays finite. */
    public static final float SPECTRUM_EPSILON = 1e-3f;

    /**
     * The sinusoidal table of {@code docs/models.md} for positions {@code start … start+count-1}.
     *
     * @param start first absolute line index
     * @param count number of lines
     * @param d model width
     * @return row-major {@code [count, d]}
     */
    public static float[] positions(int start, int count, int d) {
        float[] pe = new float[count * d];
        for (int t = 0; t < count; t++) {
            for (int j = 0; 2 * j < d; j++) {
                double angle = (start + t) / Math.pow(10000.0, 2.0 * j / d);
                pe[t * d + 2 * j] = (float) Math.sin(angle);
                if (2 * j + 1 < d) {
                    pe[t * d + 2 * j + 1] = (float) Math.cos(angle);
                }
            }
        }
        return pe;
    }

    /**
     * Tokenizes every line on its own, or with line differences from the line and the one before:
     * {@code [B, T, P]} → {@code [B, T, d]}.
     */
    NDArray tokens(ParameterStore ps, NDArray x, boolean training) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDArray diff = lineDifference ? difference(x) : null;
        NDArray h = x.reshape(b * t, 1, pixels);
        if (diff != null) {
            h = h.concat(diff.reshape(b * t, 1, pixels), 1);
        }
        for (Conv1d c : convs) {
            h = Activation.relu(c.forward(ps, new NDList(h), training).singletonOrThrow());
        }
        h = h.mean(new int[] {2});
        NDArray token = proj.forward(ps, new NDList(h), training).singletonOrThrow();
        if (spectrum != null) {
            token = token.add(spectrum.forward(ps, new NDList(logSpectrum(x.reshape(b * t, pixels))), training)
                    .singletonOrThrow());
        }
        if (diffSpectrum != null) {
            token = token.add(diffSpectrum.forward(ps, new NDList(logSpectrum(diff.reshape(b * t, pixels))), training)
                    .singletonOrThrow());
        }
        return token.reshape(b, t, dModel);
    }

    /** Each line minus the line before it, {@code [B, T, P]}; the first line has no predecessor and gets 0. */
    static NDArray difference(NDArray x) {
        long t = x.getShape().get(1);
        NDArray first = x.get(":, 0:1, :").zerosLike();
        if (t == 1) {
            return first;
        }
        return first.concat(x.get(":, 1:, :").sub(x.get(":, :-1, :")), 1);
    }

    /** {@code log(|DFT(line)|² / P + ε)} per line: {@code [N, P]} → {@code [N, P/2+1]}. */
    NDArray logSpectrum(NDArray lines) {
        int bins = pixels / 2 + 1;
        NDArray basis = lines.getManager().create(dftBasis(pixels), new Shape(pixels, 2L * bins));
        NDArray reIm = lines.matMul(basis);
        NDArray power = reIm.square().reshape(-1, 2, bins).sum(new int[] {1});
        return power.div((float) pixels).add(SPECTRUM_EPSILON).log();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int t = (int) x.getShape().get(1);
        NDArray h = tokens(ps, x, training);
        h = h.add(x.getManager().create(positions(0, t, dModel), new Shape(1, t, dModel)));
        h = dropout.forward(ps, new NDList(h), training).singletonOrThrow();
        for (TransformerLayer layer : layers) {
            h = layer.forward(ps, new NDList(h), training).singletonOrThrow();
        }
        h = norm.forward(ps, new NDList(h), training).singletonOrThrow();
        NDArray logits = head.forward(ps, new NDList(h), training).singletonOrThrow();
        if (lineHead == null) {
            return new NDList(logits);
        }
        return new NDList(logits, lineHead.forward(ps, new NDList(h), training).singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (lineHead != null) {
            return new Shape[] {new Shape(s.get(0), s.get(1), classes), new Shape(s.get(0), s.get(1), lineStates)};
        }
        return new Shape[] {new Shape(s.get(0), s.get(1), classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long bt = inputShapes[0].get(0) * inputShapes[0].get(1);
        Shape s = new Shape(bt, lineDifference ? 2 : 1, pixels);
        for (Conv1d c : convs) {
            c.initialize(manager, dataType, s);
            s = c.getOutputShapes(new Shape[] {s})[0];
        }
        proj.initialize(manager, dataType, new Shape(bt, s.get(1)));
        if (spectrum != null) {
            spectrum.initialize(manager, dataType, new Shape(bt, pixels / 2 + 1));
        }
        if (diffSpectrum != null) {
            diffSpectrum.initialize(manager, dataType, new Shape(bt, pixels / 2 + 1));
        }
        Shape tokens = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), dModel);
        dropout.initialize(manager, dataType, tokens);
        for (TransformerLayer layer : layers) {
            layer.initialize(manager, dataType, tokens);
        }
        norm.initialize(manager, dataType, tokens);
        head.initialize(manager, dataType, tokens);
        if (lineHead != null) {
            lineHead.initialize(manager, dataType, tokens);
        }
    }
}
