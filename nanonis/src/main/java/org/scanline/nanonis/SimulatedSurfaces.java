package org.scanline.nanonis;

import java.util.ServiceLoader;
import java.util.SplittableRandom;

/**
 * Where the frames of the {@link SimulatedNanonis} microscope come from. scanline-nanonis depends on
 * scanline-api alone, so the project's H:Si(100) simulator (in scanline-core) plugs in from outside,
 * found through {@code META-INF/services/org.scanline.nanonis.SimulatedSurfaces} as scanline-examples
 * registers it; without a provider a plain built-in surface (a noisy lattice, blurred for a bad tip)
 * stands in, which is enough to exercise the protocol and the watch loop but tells a model nothing.
 *
 * <pre>{@code
 * SimulatedNanonis sim = SimulatedNanonis.start(config, (seed, frame, good, lines, pixels, badClass) ->
 *         new SimulatedSurfaces.Frame(myHeights(frame, good), 20.0), "127.0.0.1", 0);
 * }</pre>
 */
@FunctionalInterface
public interface SimulatedSurfaces {

    /**
     * One simulated frame.
     *
     * @param heights {@code lines × pixels} heights in metres, row-major, line 0 (first acquired) first
     * @param sizeNm the edge of the square frame, nm
     */
    record Frame(float[] heights, double sizeNm) {
    }

    /**
     * @param seed the microscope's seed
     * @param frame frame index in the session, from 0
     * @param goodTip true for the frame as a good tip sees it, false for a bad tip's
     * @param lines lines per frame
     * @param pixels pixels per line
     * @param badClass the bad tip's class (1 asymmetries/dimers, 2 rows, 3 generic defects)
     * @return the frame; the same arguments give the same frame
     */
    Frame frame(long seed, int frame, boolean goodTip, int lines, int pixels, int badClass);

    /** @return the first provider on the class path, or the built-in plain surface */
    static SimulatedSurfaces find() {
        return ServiceLoader.load(SimulatedSurfaces.class).findFirst().orElse(SimulatedSurfaces::plain);
    }

    /**
     * The built-in surface: a 2-pixel-period lattice with noise for a good tip, the same lattice
     * smeared over 8 pixels for a bad one, on a 20 nm frame.
     *
     * @param seed seed
     * @param frame frame index
     * @param goodTip good or bad tip
     * @param lines lines
     * @param pixels pixels per line
     * @param badClass ignored
     * @return the frame
     */
    static Frame plain(long seed, int frame, boolean goodTip, int lines, int pixels, int badClass) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + frame * 2L + (goodTip ? 0 : 1));
        float[] h = new float[lines * pixels];
        for (int y = 0; y < lines; y++) {
            for (int x = 0; x < pixels; x++) {
                double lattice = goodTip ? Math.cos(Math.PI * x) * Math.cos(Math.PI * y / 2.0)
                        : Math.cos(2 * Math.PI * x / 8.0);
                h[y * pixels + x] = (float) (1e-10 * (lattice + 0.2 * r.nextGaussian()));
            }
        }
        return new Frame(h, 20.0);
    }
}
