package org.scanline.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A step whose gradient overflowed or is NaN must leave the weights and the moments untouched. */
class AdamWSkipTest {

    static Map<String, Parameter> params(NDManager manager) {
        Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT)
                .optInitializer(new ConstantInitializer(0.5f)).optShape(new Shape(3)).build();
        w.initialize(manager, DataType.FLOAT32);
        w.getArray().setRequiresGradient(true);
        Map<String, Parameter> p = new LinkedHashMap<>();
        p.put("w", w);
        return p;
    }

    static void backward(NDManager manager, Parameter w, float factor) {
        try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray loss = w.getArray().mul(manager.create(new float[] {1, factor, 1})).sum();
            gc.backward(loss);
        }
    }

    /**
     * Lets the collector free unreachable direct buffers and hands their memory out again, filled
     * with garbage: a gradient left pointing at a freed buffer then reads that garbage.
     */
    static void churnDirectMemory() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            java.util.List<java.nio.ByteBuffer> keep = new java.util.ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(12);
                while (b.hasRemaining()) {
                    b.put((byte) 0x7f);
                }
                keep.add(b);
            }
        }
    }

    @Test
    void aNonFiniteGradientSkipsTheStepAndAFiniteOneStillUpdates() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> p = params(manager);
            Parameter w = p.get("w");
            try (AdamW adam = new AdamW(p, manager)) {
                backward(manager, w, Float.POSITIVE_INFINITY);
                float[] before = w.getArray().toFloatArray();
                double norm = adam.step(1e-2, 0.0, 1.0);
                assertFalse(Double.isFinite(norm), "norm " + norm);
                assertArrayEquals(before, w.getArray().toFloatArray(), "weights must not change");
                assertTrue(adam.state().values().stream().allMatch(x -> {
                    for (float v : x.data()) {
                        if (v != 0f) {
                            return false;
                        }
                    }
                    return true;
                }), "moments must not change");
                assertArrayEquals(new float[3], w.getArray().getGradient().toFloatArray(), "gradients are discarded");
                churnDirectMemory();
                assertArrayEquals(new float[3], w.getArray().getGradient().toFloatArray(),
                        "the zeroed gradient must still be the tensor's own memory");
                backward(manager, w, 2f);
                assertArrayEquals(new float[] {1, 2, 1}, w.getArray().getGradient().toFloatArray(),
                        "the next backward pass accumulates into the zeroed gradient");
                assertTrue(Double.isFinite(adam.step(1e-2, 0.0, 1.0)));
                float[] after = w.getArray().toFloatArray();
                assertTrue(after[0] < 0.5f && after[1] < 0.5f, java.util.Arrays.toString(after));
            }
        }
    }
}
