package org.scanline.simulate;

/**
 * Test hooks that pin some draws of a scan (after they are drawn, so the random stream is the same)
 * and can silence the instrument, so physical properties can be measured on clean renders.
 *
 * @param quiet no noise, offsets, tilt, drift, creep, ringing, streaks, spikes or glitches
 * @param tipClass force the true class (−1: draw)
 * @param forceChange for class 3: always a tip change (true) or never (false); null: draw
 * @param sizeNm frame size (NaN: draw)
 * @param angleDeg row angle (NaN: draw)
 * @param sigmaNm σ of the first tip, made round (NaN: draw)
 * @param ghostDx ghost offset x of the first tip (NaN: draw); with ghostDy and ghostWeight forces one ghost
 * @param ghostDy ghost offset y
 * @param ghostWeight ghost weight
 * @param steps number of steps (−1: draw)
 * @param defects number of defects (−1: draw)
 * @param defectType force every defect's type: 0 dangling bond, 1 missing dimer, 2 cluster (−1: draw)
 * @param corrugation lattice corrugation scale (NaN: draw)
 */
record Overrides(boolean quiet, int tipClass, Boolean forceChange, double sizeNm, double angleDeg, double sigmaNm,
        double ghostDx, double ghostDy, double ghostWeight, int steps, int defects, int defectType, double corrugation) {

    static final Overrides NONE = new Overrides(false, -1, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, -1, -1, -1, Double.NaN);

    static Overrides clean() {
        return new Overrides(true, -1, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                -1, -1, -1, Double.NaN);
    }

    Overrides withClass(int c) {
        return new Overrides(quiet, c, forceChange, sizeNm, angleDeg, sigmaNm, ghostDx, ghostDy, ghostWeight, steps, defects,
                defectType, corrugation);
    }

    Overrides withChange(boolean v) {
        return new Overrides(quiet, tipClass, v, sizeNm, angleDeg, sigmaNm, ghostDx, ghostDy, ghostWeight, steps, defects,
                defectType, corrugation);
    }

    Overrides withFrame(double size, double angle) {
        return new Overrides(quiet, tipClass, forceChange, size, angle, sigmaNm, ghostDx, ghostDy, ghostWeight, steps, defects,
                defectType, corrugation);
    }

    Overrides withTip(double sigma, double gx, double gy, double gw) {
        return new Overrides(quiet, tipClass, forceChange, sizeNm, angleDeg, sigma, gx, gy, gw, steps, defects, defectType,
                corrugation);
    }

    Overrides withSurface(int steps, int defects, int defectType, double corrugation) {
        return new Overrides(quiet, tipClass, forceChange, sizeNm, angleDeg, sigmaNm, ghostDx, ghostDy, ghostWeight, steps,
                defects, defectType, corrugation);
    }
}
