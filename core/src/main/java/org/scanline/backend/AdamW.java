package org.scanline.backend;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
    /**
     * Both moments of every parameter in one flat buffer each, in {@link #params}' order: an update
     * is a dozen operations on 4.8 M elements instead of a dozen per parameter (over a hundred
     * parameters, each call through DJL costing tens of microseconds); the per-element arithmetic is
     * the same.
     */
    private final NDArray m;
    private final NDArray v;
    /** Where each parameter after the first starts in the flat buffers. */
    private final long[] offsets;
    private long step;

    /**
     * @param params the parameters to update, by name (initialised, with gradients attached)
     * @param parent the manager under which the moment estimates live
     */
    AdamW(Map<String, Parameter> params, NDManager parent) {
        this.params = params;
        this.manager = parent.newSubManager();
        offsets = new long[Math.max(0, params.size() - 1)];
        long n = 0;
        int i = 0;
        DataType type = DataType.FLOAT32;
        Device device = null;
        for (Parameter p : params.values()) {
            NDArray a = p.getArray();
            n += a.getShape().size();
            type = a.getDataType();
            device = a.getDevice();
            if (i < offsets.length) {
                offsets[i++] = n;
            }
        }
        m = manager.zeros(new Shape(n), type, device);
        v = manager.zeros(new Shape(n), type, device);
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
            List<NDArray> grads = new ArrayList<>(params.size());
            NDList flat = new NDList(params.size());
            for (Parameter p : params.values()) {
                NDArray g = p.getArray().getGradient();
                g.attach(tmp);
                grads.add(g);
                flat.add(g.reshape(-1));
            }
            NDArray gAll = flat.size() == 1 ? flat.get(0) : NDArrays.concat(flat);
            // In double: a float sum of squares overflows long before the gradients do.
            double norm = Math.sqrt(gAll.toType(DataType.FLOAT64, false).square().sum().getDouble());
            if (!Double.isFinite(norm)) {
                for (NDArray g : grads) {
                    zero(g);
                }
                return norm;
            }
            step++;
            float scale = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / (norm + 1e-6)) : 1f;
            float bc1 = (float) (1 - Math.pow(BETA1, step));
            float bc2 = (float) (1 - Math.pow(BETA2, step));
            NDArray gs = scale == 1f ? gAll : gAll.mul(scale);
            m.muli(BETA1).addi(gs.mul(1 - BETA1));
            v.muli(BETA2).addi(gs.square().muli(1 - BETA2));
            // Operations that start from a long-lived array land in its manager: move them to tmp.
            NDArray vHat = v.div(bc2);
            vHat.attach(tmp);
            NDArray update = m.div(vHat.sqrt().addi(EPS));
            update.attach(tmp);
            update.muli((float) (lr / bc1));
            NDList parts = offsets.length == 0 ? new NDList(update) : update.split(offsets);
            int i = 0;
            for (Parameter param : params.values()) {
                NDArray p = param.getArray();
                if (weightDecay > 0) {
                    p.muli((float) (1 - lr * weightDecay));
                }
                p.subi(parts.get(i).reshape(p.getShape()));
                NDArray g = grads.get(i++);
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
        float[] mAll = m.toFloatArray();
        float[] vAll = v.toFloatArray();
        Map<String, Weight> out = new LinkedHashMap<>();
        int start = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            long[] shape = e.getValue().getArray().getShape().getShape();
            int n = (int) e.getValue().getArray().getShape().size();
            out.put("adam.m/" + e.getKey(), new Weight(Arrays.copyOfRange(mAll, start, start + n), shape));
            out.put("adam.v/" + e.getKey(), new Weight(Arrays.copyOfRange(vAll, start, start + n), shape));
            start += n;
        }
        return out;
    }

    /**
     * Restores the moments and the step count saved by {@link #state()}.
     *
     * @param tensors tensors holding every {@code adam.m/NAME} and {@code adam.v/NAME}
     * @param steps the step count at the time of saving
     * @param source the file, for messages
     */
    void load(Map<String, Weight> tensors, long steps, String source) {
        float[] mAll = new float[Math.toIntExact(m.size())];
        float[] vAll = new float[mAll.length];
        int start = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            String name = e.getKey();
            int n = (int) e.getValue().getArray().getShape().size();
            for (String kind : new String[] {"m", "v"}) {
                Weight w = tensors.get("adam." + kind + "/" + name);
                if (w == null || w.data().length != n) {
                    throw new BadModelException(source + ": optimiser state for '" + name + "' is missing or has the wrong size");
                }
                System.arraycopy(w.data(), 0, kind.equals("m") ? mAll : vAll, start, n);
            }
            start += n;
        }
        m.set(mAll);
        v.set(vAll);
        this.step = steps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
