package org.scanline.runtime;

/** Cholesky factorisation of small symmetric positive definite matrices, in place of a library the API may not use. */
final class Cholesky {
    private Cholesky() {
    }

    /**
     * @param a d × d symmetric matrix, row-major; not modified
     * @param l receives the lower-triangular factor L (A = L Lᵀ), row-major
     * @param d the size
     * @return l, or null if a is not positive definite
     */
    static double[] factor(double[] a, double[] l, int d) {
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * d + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * d + k] * l[j * d + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return null;
                    }
                    l[i * d + i] = Math.sqrt(s);
                } else {
                    l[i * d + j] = s / l[j * d + j];
                }
            }
            for (int j = i + 1; j < d; j++) {
                l[i * d + j] = 0;
            }
        }
        return l;
    }

    /**
     * @param l the factor of A (A = L Lᵀ)
     * @param x a vector
     * @param y scratch of d values (receives L⁻¹x)
     * @param d the size
     * @return xᵀ A⁻¹ x = |L⁻¹x|², by forward substitution
     */
    static double quadratic(double[] l, double[] x, double[] y, int d) {
        double sum = 0;
        for (int i = 0; i < d; i++) {
            double s = x[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * d + k] * y[k];
            }
            y[i] = s / l[i * d + i];
            sum += y[i] * y[i];
        }
        return sum;
    }
}
