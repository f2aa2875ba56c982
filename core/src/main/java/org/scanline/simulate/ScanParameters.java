package org.scanline.simulate;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The generator parameters of one simulated scan, one double per {@link Parameter}; NaN where a
 * parameter does not apply. Immutable.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ScanParameters {
    private static final Parameter[] ALL = Parameter.values();
    private final double[] values;

    ScanParameters(double[] values) {
        this.values = values.clone();
    }

    /**
     * @param p the parameter
     * @return its value (NaN if it does not apply to this scan)
     */
    public double get(Parameter p) {
        return values[p.ordinal()];
    }

    /** @return all values by parameter, in declaration order */
    public Map<Parameter, Double> asMap() {
        Map<Parameter, Double> m = new EnumMap<>(Parameter.class);
        for (Parameter p : ALL) {
            m.put(p, values[p.ordinal()]);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScanParameters other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ScanParameters[");
        for (Parameter p : ALL) {
            if (p.ordinal() > 0) {
                sb.append(", ");
            }
            sb.append(p.key()).append('=').append(values[p.ordinal()]);
        }
        return sb.append(']').toString();
    }

    /** Mutable collector used while a scan is drawn. */
    static final class Builder {
        private final double[] v = new double[ALL.length];

        Builder() {
            Arrays.fill(v, Double.NaN);
        }

        Builder set(Parameter p, double value) {
            v[p.ordinal()] = value;
            return this;
        }

        double get(Parameter p) {
            return v[p.ordinal()];
        }

        ScanParameters build() {
            return new ScanParameters(v);
        }
    }
}
