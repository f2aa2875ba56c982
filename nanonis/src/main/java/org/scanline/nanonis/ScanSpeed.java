package org.scanline.nanonis;

/**
 * The scan speed of {@code Scan.SpeedGet}.
 *
 * @param forwardSpeed forward linear speed, m/s
 * @param backwardSpeed backward linear speed, m/s
 * @param forwardLineTime forward time per line, s
 * @param backwardLineTime backward time per line, s
 * @param keepConstant which is kept constant: 0 the linear speed, 1 the time per line
 * @param speedRatio backward speed over forward speed
 */
public record ScanSpeed(float forwardSpeed, float backwardSpeed, float forwardLineTime, float backwardLineTime,
        int keepConstant, float speedRatio) {

    /** @return the time for one line, forward and backward trace together, s; NaN if not positive and finite */
    public double lineTime() {
        double t = (double) forwardLineTime + backwardLineTime;
        return t > 0 && Double.isFinite(t) ? t : Double.NaN;
    }
}
