package org.scanline.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apiguardian.api.API;
import org.scanline.Architecture;
import org.scanline.BadModelException;

/**
 * One of the three scan-line classifiers as a DJL {@link Block}, with its parameters under the names
 * that {@code docs/models.md} fixes (the contract with the ONNX exporter).
 *
 * <pre>{@code
 * ScanModel model = ScanModels.create(config, 128, 4);
 * model.initialize(manager);
 * NDArray logits = model.forward(new ParameterStore(manager, false), lines, false); // [B, T, K] or [B, 1, K]
 * Map<String, Weight> weights = model.namedWeights();
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public interface ScanModel {

    /** @return the architecture this model implements */
    Architecture architecture();

    /** @return the DJL block (usually the model object itself) */
    Block block();

    /** @return pixels per line the model reads */
    int pixels();

    /** @return number of classes */
    int classes();

    /** @return the most lines one input may hold */
    int maxLines();

    /**
     * The model's parameters under their documented names, in a fixed order.
     *
     * @return name → DJL parameter (live objects, not copies)
     */
    Map<String, Parameter> parameters();

    /**
     * Initialises every parameter with the block's initialisers (seed the engine first for
     * repeatable values).
     *
     * @param manager the manager that will own the parameters
     */
    default void initialize(NDManager manager) {
        block().initialize(manager, DataType.FLOAT32, new Shape(1, 1, pixels()));
    }

    /**
     * Runs the model.
     *
     * @param store parameter store
     * @param lines normalised lines {@code [B, T, P]}, {@code 1 ≤ T ≤ maxLines}
     * @param training whether dropout is active
     * @return logits {@code [B, T, K]} (causal, lrcn) or {@code [B, 1, K]} (vit)
     */
    default NDArray forward(ParameterStore store, NDArray lines, boolean training) {
        return forwardAll(store, lines, training).get(0);
    }

    /**
     * Runs the model and returns every head.
     *
     * @param store parameter store
     * @param lines normalised lines {@code [B, T, P]}, {@code 1 ≤ T ≤ maxLines}
     * @param training whether dropout is active
     * @return the logits of {@link #forward}, then, when {@link #lineStates()} {@code > 0}, the per-line
     *     tip-state logits {@code [B, T, S]}
     */
    default NDList forwardAll(ParameterStore store, NDArray lines, boolean training) {
        Shape s = lines.getShape();
        if (s.dimension() != 3 || s.get(2) != pixels() || s.get(1) < 1 || s.get(1) > maxLines()) {
            throw new IllegalArgumentException("expected lines [B, 1.." + maxLines() + ", " + pixels() + "], got " + s);
        }
        return block().forward(store, new NDList(lines), training);
    }

    /** @return the number of per-line tip states the model predicts, 0 when it has no such head */
    default int lineStates() {
        return 0;
    }

    /**
     * Copies every parameter out under its documented name: what the exporter reads.
     *
     * @return name → values and shape, in the documented layout
     */
    default Map<String, Weight> namedWeights() {
        Map<String, Weight> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters().entrySet()) {
            NDArray a = e.getValue().getArray();
            out.put(e.getKey(), new Weight(a.toFloatArray(), a.getShape().getShape()));
        }
        return out;
    }

    /**
     * Overwrites every parameter from named weights (an initialised model is required).
     *
     * @param weights exactly the names of {@link #parameters()} with matching shapes
     * @param source where the weights came from, for messages
     * @throws BadModelException if a name is missing or extra, or a shape differs
     */
    default void loadWeights(Map<String, Weight> weights, String source) {
        Map<String, Parameter> params = parameters();
        for (String name : weights.keySet()) {
            if (!params.containsKey(name)) {
                throw new BadModelException(source + ": unexpected weight '" + name + "' for a " + architecture() + " model");
            }
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Weight w = weights.get(e.getKey());
            if (w == null) {
                throw new BadModelException(source + ": weight '" + e.getKey() + "' is missing");
            }
            NDArray a = e.getValue().getArray();
            if (!Arrays.equals(a.getShape().getShape(), w.shape())) {
                throw new BadModelException(source + ": weight '" + e.getKey() + "' has shape " + Arrays.toString(w.shape())
                        + ", the model expects " + a.getShape());
            }
            a.set(w.data());
        }
    }
}
