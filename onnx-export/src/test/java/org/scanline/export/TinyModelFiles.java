package org.scanline.export;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.scanline.Architecture;

/** Tiny exported model files for tests outside this package (runtime resource and load tests). */
public final class TinyModelFiles {
    /** Pixels per line of the tiny models. */
    public static final int P = TinyModels.P;
    /** Maximum lines of the tiny models. */
    public static final int MAX = TinyModels.MAX;

    private TinyModelFiles() {
    }

    /**
     * @param manager DJL manager for the model's parameters
     * @param a architecture
     * @param file destination
     * @return {@code file}, holding the tiny model of seed 21
     */
    public static Path export(NDManager manager, Architecture a, Path file) {
        return export(manager, a, file, GraphStyle.FIXED_CACHE);
    }

    /**
     * @param manager DJL manager for the model's parameters
     * @param a architecture
     * @param file destination
     * @param style graph style (model format 3 or 2 for causal models)
     * @return {@code file}, holding the tiny model of seed 21
     */
    public static Path export(NDManager manager, Architecture a, Path file, GraphStyle style) {
        OnnxExporter.write(file, TinyModels.spec(a), TinyModels.model(manager, a, 21).namedWeights(),
                TinyModels.metadata(a, 1), false, style);
        return file;
    }
}
