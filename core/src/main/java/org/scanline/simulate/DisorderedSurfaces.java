package org.scanline.simulate;

import java.util.SplittableRandom;

/**
 * The kinds of {@link SurfaceKind} without a small atomic lattice: molecular layers, stepped metal,
 * adsorbate-covered or amorphous films, and a crashed tip. Heights in nm.
 */
final class DisorderedSurfaces {
    private DisorderedSurfaces() {
    }

    /** A self-assembled molecular layer: an oblique cell of 1–3 nm edges holding 1–4 blob motifs, some vacancies. */
    static final class Molecular extends OtherSurface {
        @Override
        void draw(SplittableRandom rnd, double size) {
            double a = Draws.uniform(rnd, 1, 3);
            double c = Draws.uniform(rnd, 1, 3);
            double t = rnd.nextDouble() * Math.PI;
            double gamma = Math.toRadians(Draws.uniform(rnd, 60, 90));
            double[] b = {a * StrictMath.cos(t), a * StrictMath.sin(t), c * StrictMath.cos(t + gamma),
                c * StrictMath.sin(t + gamma)};
            int motif = 1 + rnd.nextInt(4);
            double[] fu = new double[motif];
            double[] fv = new double[motif];
            double[] sig = new double[motif];
            double[] amp = new double[motif];
            for (int i = 0; i < motif; i++) {
                fu[i] = rnd.nextDouble();
                fv[i] = rnd.nextDouble();
                sig[i] = Draws.uniform(rnd, 0.2, 0.5);
                amp[i] = Draws.uniform(rnd, 0.05, 0.2);
            }
            double vacancies = Draws.uniform(rnd, 0, 0.05);
            LatticeSurfaces.tile(b, rnd.nextDouble() * a, rnd.nextDouble() * c, size, (x, y) -> {
                if (rnd.nextDouble() >= vacancies) {
                    for (int i = 0; i < motif; i++) {
                        blob(x + fu[i] * b[0] + fv[i] * b[2], y + fu[i] * b[1] + fv[i] * b[3], sig[i], amp[i]);
                    }
                }
            });
        }
    }

    /** Rough, stepped metal: 3–10 steps of 0.18–0.32 nm (a tenth of them double), bumps, faint atoms. */
    static final class TerracedMetal extends OtherSurface {
        @Override
        void draw(SplittableRandom rnd, double size) {
            int n = 3 + rnd.nextInt(8);
            double h = Draws.uniform(rnd, 0.18, 0.32);
            double angle = rnd.nextDouble() * 2 * Math.PI;
            stepNormal(angle);
            double sign = rnd.nextBoolean() ? 1 : -1;
            double centre = 0.5 * size * (StrictMath.cos(angle) + StrictMath.sin(angle));
            for (int s = 0; s < n; s++) {
                double height = sign * h * (rnd.nextDouble() < 0.1 ? 2 : 1);
                step(centre + Draws.uniform(rnd, -0.6, 0.6) * size, height, Draws.uniform(rnd, 0, 0.1) * size,
                        Draws.uniform(rnd, 0.2, 1.2) * size, rnd.nextDouble() * 2 * Math.PI);
            }
            scatter(rnd, size, 3 + rnd.nextInt(10), 1.5, 5, -0.05, 0.05);
            double[] b = hexBasis(rnd, Draws.uniform(rnd, 0.25, 0.29));
            lattice(b[0], b[1], b[2], b[3], Draws.uniform(rnd, 0.001, 0.005), rnd, 1);
        }
    }

    /** An amorphous or adsorbate-covered film: dense blobs of 0.3–1.2 nm, mostly raised, no lattice. */
    static final class Amorphous extends OtherSurface {
        @Override
        void draw(SplittableRandom rnd, double size) {
            double density = Draws.uniform(rnd, 0.3, 1.0);
            scatter(rnd, size, Draws.poisson(rnd, density * size * size), 0.3, 1.2, -0.1, 0.3);
            scatter(rnd, size, rnd.nextInt(4), 1.5, 3, 0.3, 1.0);
        }
    }

    /**
     * A crashed tip: the surface is a blurred rough landscape; {@link OtherSurfaces} adds what the tip
     * does on top (large noise, streaks on many lines, jumps, Z saturating at the piezo's limit).
     */
    static final class CrashedTip extends OtherSurface {
        @Override
        void draw(SplittableRandom rnd, double size) {
            scatter(rnd, size, 5 + rnd.nextInt(30), 0.5, 3, -0.3, 0.3);
        }

        @Override
        boolean crashed() {
            return true;
        }
    }
}
