package org.scanline.simulate;

import java.util.SplittableRandom;

/**
 * The crystalline kinds of {@link SurfaceKind}: each a small {@link OtherSurface} that picks its
 * lattice, corrugation, steps and defects from the ranges of the real surface it stands for.
 * Heights in nm. None of them is tuned on a real scan: the real Si(111)-7×7 files are a test set.
 */
final class LatticeSurfaces {
    private LatticeSurfaces() {
    }

    /** Au/Cu/Ag/Pt(111)-like close-packed metal: hexagonal, a = 0.25–0.29 nm, a few pm of corrugation. */
    static final class HcpMetal extends OtherSurface {
        @Override
        void draw(SplittableRandom rnd, double size) {
            double a = Draws.uniform(rnd, 0.25, 0.29);
            double[] b = hexBasis(rnd, a);
            lattice(b[0], b[1], b[2], b[3], Draws.uniform(rnd, 0.005, 0.03), rnd, 1);
            // Monatomic (111) steps are a·√(2/3) high.
            randomSteps(rnd, size, 3, a * Math.sqrt(2.0 / 3));
            scatter(rnd, size, Draws.poisson(rnd, 0.01 * size * size), 0.12, 0.3, -0.04, 0.06);
        }
    }

    /** Graphite (HOPG): hexagonal, a = 0.246 nm with strong corrugation, a moiré superlattice on 40 % of frames. */
    static final class Graphite extends OtherSurface {
        @Override
        void draw(SplittableRandom rnd, double size) {
            double[] b = hexBasis(rnd, 0.246);
            lattice(b[0], b[1], b[2], b[3], Draws.uniform(rnd, 0.03, 0.1), rnd, 1);
            if (rnd.nextDouble() < 0.4) {
                double[] m = hexBasis(rnd, Draws.uniform(rnd, 2, 10));
                lattice(m[0], m[1], m[2], m[3], Draws.uniform(rnd, 0.02, 0.1), rnd, 1);
            }
            randomSteps(rnd, size, 2, 0.335);
        }
    }

    /** NaCl/KCl/KBr(001)-like: a square lattice (one ion species images), 0.39–0.56 nm; vacancies dark. */
    static final class RockSalt extends OtherSurface {
        @Override
        void draw(SplittableRandom rnd, double size) {
            double a = Draws.uniform(rnd, 0.39, 0.56);
            double t = rnd.nextDouble() * Math.PI / 2;
            lattice(a * StrictMath.cos(t), a * StrictMath.sin(t), -a * StrictMath.sin(t), a * StrictMath.cos(t),
                    Draws.uniform(rnd, 0.01, 0.05), rnd, 1);
            randomSteps(rnd, size, 2, a / Math.sqrt(2));
            scatter(rnd, size, Draws.poisson(rnd, 0.01 * size * size), 0.15, 0.3, -0.06, -0.02);
        }
    }

    /**
     * A generic large-cell hexagonal reconstruction (cell 2.0–3.6 nm): 6–12 adatom-like blobs per cell
     * at drawn positions and a dark hole at each corner. Meant to stand for Si(111)-7×7-like
     * surfaces without being fitted to the real 7×7 scans.
     */
    static final class LargeCellHex extends OtherSurface {
        @Override
        void draw(SplittableRandom rnd, double size) {
            double c = Draws.uniform(rnd, 2.0, 3.6);
            double[] b = hexBasis(rnd, c);
            int motif = 6 + rnd.nextInt(7);
            double[] fu = new double[motif];
            double[] fv = new double[motif];
            for (int i = 0; i < motif; i++) {
                fu[i] = Draws.uniform(rnd, 0.1, 0.9);
                fv[i] = Draws.uniform(rnd, 0.1, 0.9);
            }
            double sigma = Draws.uniform(rnd, 0.15, 0.3);
            double amp = Draws.uniform(rnd, 0.04, 0.1);
            double hole = -Draws.uniform(rnd, 0.08, 0.15);
            double ox = rnd.nextDouble() * c;
            double oy = rnd.nextDouble() * c;
            tile(b, ox, oy, size, (x, y) -> {
                blob(x, y, Draws.uniform(rnd, 0.3, 0.5), hole);
                for (int i = 0; i < motif; i++) {
                    blob(x + fu[i] * b[0] + fv[i] * b[2], y + fu[i] * b[1] + fv[i] * b[3], sigma, amp);
                }
            });
            randomSteps(rnd, size, 2, 0.31);
        }
    }

    /** Au(111) herringbone: atoms at 0.288 nm and pairs of ridges 6.3 nm apart that zigzag every 10–15 nm. */
    static final class Herringbone extends OtherSurface {
        private double ux;
        private double uy;
        private double period;
        private double bend;
        private double elbow;
        private double ridge;
        private double offset;

        @Override
        void draw(SplittableRandom rnd, double size) {
            double[] b = hexBasis(rnd, 0.288);
            lattice(b[0], b[1], b[2], b[3], Draws.uniform(rnd, 0.002, 0.01), rnd, 1);
            double t = rnd.nextDouble() * Math.PI;
            ux = StrictMath.cos(t);
            uy = StrictMath.sin(t);
            period = Draws.uniform(rnd, 6.0, 6.6);
            bend = StrictMath.tan(Math.toRadians(Draws.uniform(rnd, 25, 60)));
            elbow = Draws.uniform(rnd, 20, 30);
            ridge = Draws.uniform(rnd, 0.012, 0.025);
            offset = rnd.nextDouble() * 100;
            randomSteps(rnd, size, 2, 0.236);
        }

        @Override
        void pattern(double[] out, double ox, double y, double dx, double sigma) {
            double width2 = 0.7 * 0.7 + sigma * sigma;
            for (int j = 0; j < out.length; j++) {
                double x = ox + j * dx;
                double u = ux * x + uy * y + offset;
                double v = -uy * x + ux * y + offset;
                // A triangle wave across the ridges makes them zigzag: the elbows of the herringbone.
                double tri = Math.abs(((v / elbow) % 1 + 1) % 1 - 0.5) * elbow;
                double r = (((u + bend * tri) % period) + period) % period;
                out[j] += ridge * (ridgeAt(r, 0, width2) + ridgeAt(r, 2.5, width2));
            }
        }

        private double ridgeAt(double r, double centre, double width2) {
            double d = Math.abs(r - centre);
            d = Math.min(d, period - d);
            return FastMath2.expNeg(0.5 * d * d / width2);
        }
    }

    /**
     * Cu(110)-(2×1)O-like stripes: bands of added Cu–O rows (row spacing 0.5–0.75 nm, raised 20–60 pm)
     * alternating with bare metal, the bands 3–8 nm apart.
     */
    static final class CuOStripes extends OtherSurface {
        private double ux;
        private double uy;
        private double band;
        private double fill;
        private double rowK;
        private double rowAmp;
        private double raise;
        private double phase;

        @Override
        void draw(SplittableRandom rnd, double size) {
            double t = rnd.nextDouble() * Math.PI;
            ux = StrictMath.cos(t);
            uy = StrictMath.sin(t);
            band = Draws.uniform(rnd, 3, 8);
            fill = Draws.uniform(rnd, 0.3, 0.7);
            rowK = 2 * Math.PI / Draws.uniform(rnd, 0.5, 0.75);
            rowAmp = Draws.uniform(rnd, 0.02, 0.05);
            raise = Draws.uniform(rnd, 0.02, 0.06);
            phase = rnd.nextDouble() * 100;
            double[] b = {0.361 * ux, 0.361 * uy, -0.255 * uy, 0.255 * ux};
            lattice(b[0], b[1], b[2], b[3], Draws.uniform(rnd, 0.002, 0.008), rnd, 1);
            randomSteps(rnd, size, 2, 0.128);
        }

        @Override
        void pattern(double[] out, double ox, double y, double dx, double sigma) {
            // Rows run along the bands; the tip blurs their corrugation, the band edges are σ wide.
            double rows = rowAmp * Math.exp(-0.5 * sigma * sigma * rowK * rowK);
            double edge = 1 / Math.max(0.2, sigma);
            for (int j = 0; j < out.length; j++) {
                double x = ox + j * dx;
                double u = ux * x + uy * y + phase;
                double r = ((u % band) + band) % band;
                // The last term is the next band's rising edge, so the profile is continuous where r wraps.
                double inside = FastMath2.phi(r * edge) - FastMath2.phi((r - fill * band) * edge)
                        + FastMath2.phi((r - band) * edge);
                out[j] += inside * (raise + rows * FastMath2.cos(rowK * u));
            }
        }
    }

    interface Site {
        void at(double x, double y);
    }

    /** Calls {@code site} at every cell origin of the lattice (basis b) that can reach the frame. */
    static void tile(double[] b, double ox, double oy, double size, Site site) {
        double det = Math.abs(b[0] * b[3] - b[1] * b[2]);
        double margin = 2;
        // A point within reach has lattice coordinates of at most reach·Σ|b|/|det| in magnitude.
        double reach = size + 2 * margin + Math.abs(ox) + Math.abs(oy);
        int n = (int) Math.min(2000, Math.ceil(reach * (Math.abs(b[0]) + Math.abs(b[1]) + Math.abs(b[2]) + Math.abs(b[3])) / det)) + 1;
        for (int i = -n; i <= n; i++) {
            for (int k = -n; k <= n; k++) {
                double x = ox + i * b[0] + k * b[2];
                double y = oy + i * b[1] + k * b[3];
                if (x >= -margin && x <= size + margin && y >= -margin && y <= size + margin) {
                    site.at(x, y);
                }
            }
        }
    }
}
