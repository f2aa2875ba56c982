package org.scanline.backend;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scanline.BadModelException;
import org.scanline.model.Weight;

/**
 * AdamW (Loshchilov and Hutter; PyTorch's {@code torch.optim.AdamW} with β = (0.9, 0.999), ε = 1e-8)
 * with gradient clipping by global norm, written out because DJL's optimisers keep their moments
 * private: here they can be saved in a checkpoint and loaded again, which makes a resumed run exact.
 *
 * <pre>
 * p ← p − lr·λ·p                      (decoupled weight decay)
 * m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²
 * p ← p − lr · (m / (1−β1ᵗ)) / (sqrt(v / (1−β2ᵗ)) + ε)
 * </pre>
 */
final class AdamW implements AutoCloseable {
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPS = 1e-8f;

    private final Map<String, Parameter> params;
    private final NDManager manager;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long step;

    /**
     * @param params the parameters to update, by name (initialised, with gradients attached)
     * @param parent the manager under which the moment estimates live
     */
    AdamW(Map<String, Parameter> params, NDManager parent) {
        this.params = params;
        this.manager = parent.newSubManager();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray p = e.getValue().getArray();
            m.put(e.getKey(), manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
            v.put(e.getKey(), manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
        }
    }

    /** @return updates done so far (t in the bias corrections) */
    long steps() {
        return step;
    }

    /**
     * Clips the gradients to a global norm, applies one update and zeroes the gradients.
     *
     * @param lr learning rate
     * @param weightDecay decoupled weight decay λ
     * @param clipNorm largest global gradient norm (0: no clipping)
     * @return the global gradient norm before clipping; when it is not finite (an overflow or a NaN in
     *     the backward pass) the gradients are zeroed and nothing else changes: no update, no moment
     *     update, no step count
     */
    double step(double lr, double weightDecay, double clipNorm) {
        try (NDManager tmp = manager.newSubManager()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            double sq = 0;
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray g = e.getValue().getArray().getGradient();
                g.attach(tmp);
                grads.put(e.getKey(), g);
                // In double: a float sum of squares overflows long before the gradients do.
                sq += g.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).square().sum().getDouble();
            }
            double norm = Math.sqrt(sq);
            if (!Double.isFinite(norm)) {
                for (NDArray g : grads.values()) {
                    zero(g);
                }
                return norm;
            }
            step++;
            float scale = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / (norm + 1e-6)) : 1f;
            float bc1 = (float) (1 - Math.pow(BETA1, step));
            float bc2 = (float) (1 - Math.pow(BETA2, step));
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray p = e.getValue().getArray();
                NDArray g = grads.get(e.getKey());
                NDArray gs = scale == 1f ? g : g.mul(scale);
                NDArray mi = m.get(e.getKey());
                NDArray vi = v.get(e.getKey());
                mi.muli(BETA1).addi(gs.mul(1 - BETA1));
                vi.muli(BETA2).addi(gs.square().muli(1 - BETA2));
                if (weightDecay > 0) {
                    p.muli((float) (1 - lr * weightDecay));
                }
                // Operations that start from a long-lived array land in its manager: move them to tmp.
                NDArray vHat = vi.div(bc2);
                vHat.attach(tmp);
                NDArray denom = vHat.sqrt().addi(EPS);
                NDArray update = mi.div(denom);
                update.attach(tmp);
                p.subi(update.muli((float) (lr / bc1)));
                g.subi(g);
            }
            return norm;
        }
    }

    /**
     * Discards the gradients without an update (a step skipped for a non-finite loss).
     *
     * @return NaN, the norm of a skipped step
     */
    double zeroGradients() {
        try (NDManager tmp = manager.newSubManager()) {
            for (Parameter p : params.values()) {
                NDArray g = p.getArray().getGradient();
                g.attach(tmp);
                zero(g);
            }
        }
        return Double.NaN;
    }

    /**
     * Fills a gradient with zeros in place. Not {@code set(float[])}: on PyTorch that points the tensor
     * at a direct buffer the Java wrapper keeps alive, and this wrapper is closed right after, so the
     * next backward pass would write into freed memory (it crashed long runs after a skipped step).
     * Not {@code subi(g)} or {@code muli(0)} either: NaN − NaN and NaN × 0 stay NaN.
     */
    private static void zero(NDArray g) {
        g.set(new ai.djl.ndarray.index.NDIndex(":"), 0f);
    }

    /** @return the moments as {@code adam.m/NAME} and {@code adam.v/NAME} tensors */
    Map<String, Weight> state() {
        Map<String, Weight> out = new LinkedHashMap<>();
        for (String name : params.keySet()) {
            out.put("adam.m/" + name, weight(m.get(name)));
            out.put("adam.v/" + name, weight(v.get(name)));
        }
        return out;
    }

    private static Weight weight(NDArray a) {
        return new Weight(a.toFloatArray(), a.getShape().getShape());
    }

    /**
     * Restores the moments and the step count saved by {@link #state()}.
     *
     * @param tensors tensors holding every {@code adam.m/NAME} and {@code adam.v/NAME}
     * @param steps the step count at the time of saving
     * @param source the file, for messages
     */
    void load(Map<String, Weight> tensors, long steps, String source) {
        for (String name : params.keySet()) {
            for (String kind : new String[] {"m", "v"}) {
                Weight w = tensors.get("adam." + kind + "/" + name);
                NDArray target = (kind.equals("m") ? m : v).get(name);
                if (w == null || w.data().length != target.getShape().size()) {
                    throw new BadModelException(source + ": optimiser state for '" + name + "' is missing or has the wrong size");
                }
                target.set(w.data());
            }
        }
        this.step = steps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
