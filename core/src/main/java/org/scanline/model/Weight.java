package org.scanline.model;

import java.util.Arrays;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One named parameter tensor copied out of a model: values in row-major order and the shape, in
 * the layout {@code docs/models.md} gives for its name. This is what the ONNX exporter reads.
 *
 * @param data values, row-major
 * @param shape dimensions; their product equals {@code data.length}
 */
@API(status = API.Status.EXPERIMENTAL)
public record Weight(float[] data, long[] shape) {

    /** Checks that the shape matches the data. */
    public Weight {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " values, data has " + data.length);
        }
    }
}
