package org.scanline.model;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.train.TrainingConfig;

/**
 * A model's shape, the one record that both builds it ({@link ScanModels#create}) and rebuilds it as
 * an ONNX graph (the exporter): the architecture's hyper-parameters from the training config plus
 * the data's line width and class count.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.of(config, 128, 4);
 * }</pre>
 *
 * @param architecture which graph to build
 * @param pixels pixels per line
 * @param classes number of classes
 * @param maxLines most lines a scan may have (size of the position tables)
 * @param dModel transformer width
 * @param numHeads attention heads
 * @param numLayers transformer layers
 * @param ffnDim feed-forward width
 * @param convChannels channels of each CNN stage (causal tokenizer, LRCN CNN)
 * @param windowLines LRCN window height in lines
 * @param lstmHidden LRCN LSTM units
 * @param spectrumTokens causal tokens carry each line's log power spectrum
 * @param lineDifference causal tokens also see the difference from the previous line (input
 *     {@code previous_line}, format 4)
 * @param lineStates tip states of the causal per-line head (0: no such head)
 */
@API(status = API.Status.EXPERIMENTAL)
public record ModelSpec(Architecture architecture, int pixels, int classes, int maxLines, int dModel, int numHeads,
        int numLayers, int ffnDim, List<Integer> convChannels, int windowLines, int lstmHidden, boolean spectrumTokens,
        boolean lineDifference, int lineStates) {

    /** Checks the sizes. */
    public ModelSpec {
        Objects.requireNonNull(architecture, "architecture");
        convChannels = List.copyOf(convChannels);
        if (pixels <= 0 || classes < 2 || maxLines <= 0 || dModel <= 0 || numHeads <= 0 || numLayers <= 0
                || ffnDim <= 0 || windowLines <= 0 || lstmHidden <= 0 || convChannels.isEmpty()) {
            throw new BadConfigException("invalid model sizes: " + pixels + " pixels, " + classes + " classes, "
                    + maxLines + " lines, d " + dModel + ", heads " + numHeads + ", layers " + numLayers);
        }
        if (lineStates < 0 || (architecture != Architecture.CAUSAL && (lineStates > 0 || spectrumTokens
                || lineDifference))) {
            throw new BadConfigException("tip-state heads, spectrum tokens and line differences exist for causal models only");
        }
        if (architecture != Architecture.LRCN && dModel % numHeads != 0) {
            throw new BadConfigException("dModel (" + dModel + ") must be divisible by numHeads (" + numHeads + ")");
        }
    }

    /**
     * @param config the training config
     * @param pixels pixels per line of the data
     * @param classes number of classes
     * @return the spec of the model that config trains
     */
    public static ModelSpec of(TrainingConfig config, int pixels, int classes) {
        return new ModelSpec(config.architecture(), pixels, classes, config.maxLines(), config.dModel(),
                config.numHeads(), config.numLayers(), config.ffnDim(), config.convChannels(), config.windowLines(),
                config.lstmHidden(), config.spectrumTokens(), config.lineDifference(), config.lineStateWeight() > 0 ? ScanModels.LINE_STATES : 0);
    }

    /** @return attention head size */
    public int headDim() {
        return dModel / numHeads;
    }
}
