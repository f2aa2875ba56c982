package org.scanline.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.scanline.Architecture;
import org.scanline.model.ScanModel;
import org.scanline.model.ScanModels;
import org.scanline.train.TrainingConfig;

/**
 * Child-JVM workload of {@link QuietLogsTest}: builds a model (which sets libtorch's log level) and
 * then does what makes libtorch warn on stderr, where no Java logging reaches: {@code NDArray.set}
 * (DJL's JNI takes the deprecated AutoNonVariableTypeMode guard).
 */
public final class QuietLogsProbe {
    private QuietLogsProbe() {
    }

    /** @param args unused */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        TrainingConfig c = TrainingConfig.builder().architecture(Architecture.CAUSAL).maxLines(8).dModel(8).numHeads(2)
                .numLayers(1).ffnDim(8).convChannels(List.of(2, 2, 2)).windowLines(8).minLines(1).build();
        try (NDManager m = NDManager.newBaseManager()) {
            ScanModel model = ScanModels.create(c, 16, 2);
            model.initialize(m);
            NDArray any = model.parameters().values().iterator().next().getArray();
            any.set(new float[(int) any.size()]);
        }
        System.out.println("OK");
    }
}
