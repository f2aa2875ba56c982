package org.scanline.nanonis;

import java.time.Duration;
import org.scanline.BadConfigException;

/**
 * What goes wrong on the {@link SimulatedNanonis} controller, for tests and for trying {@code watch}
 * against a hostile lab. Every fault is off by default ({@link #NONE}).
 *
 * <pre>{@code
 * SimulatedFaults f = SimulatedFaults.builder().restartAtLine(40).downTime(Duration.ofMillis(300)).build();
 * SimulatedNanonis sim = SimulatedNanonis.start(config, f, "127.0.0.1", 0);
 * }</pre>
 *
 * @param restartAtLine when this many lines have been acquired in all, the controller's TCP interface
 *     restarts: every connection is dropped and new ones are refused for {@code downTime}, while the
 *     scan goes on; −1 for never
 * @param killDuringShaper {@code TipShaper.Start} drops every connection without an answer and the
 *     interface is down for {@code downTime}; the shaper itself runs to its end on the controller
 * @param downTime how long the interface stays down after a restart or a kill
 * @param errorTextEvery every n-th {@code Scan.FrameDataGrab} is answered with its data and an error
 *     text under error status 0; 0 for never
 * @param nanPixelEvery every n-th acquired line has one NaN pixel; 0 for never
 * @param infRowAt the line of every frame (0 = first acquired) that is acquired as +∞ throughout; −1 for none
 * @param emptyGrabEvery every n-th {@code Scan.FrameDataGrab} answers a 0 × 0 frame; 0 for never
 * @param deadAtLine when this many lines have been acquired in all, grabs serve every pixel as NaN for
 *     {@code deadFor} while the scan goes on; −1 for never
 * @param deadFor how long the grabs serve nothing usable
 * @param resizeAtFrame from this frame on (0 = first) frames are {@code resizeLines × resizePixels}; −1 for never
 * @param resizeLines lines per frame after the resize
 * @param resizePixels pixels per line after the resize
 */
public record SimulatedFaults(long restartAtLine, boolean killDuringShaper, Duration downTime, int errorTextEvery,
        int nanPixelEvery, int infRowAt, int emptyGrabEvery, long deadAtLine, Duration deadFor, int resizeAtFrame,
        int resizeLines, int resizePixels) {

    /** No faults. */
    public static final SimulatedFaults NONE = builder().build();

    /** Validates. */
    public SimulatedFaults {
        if (downTime == null || downTime.isNegative() || deadFor == null || deadFor.isNegative()) {
            throw new BadConfigException("nanonis-sim faults: down time and dead time must be ≥ 0");
        }
        if (errorTextEvery < 0 || nanPixelEvery < 0 || emptyGrabEvery < 0) {
            throw new BadConfigException("nanonis-sim faults: periods must be ≥ 0 (0 = never)");
        }
        if (resizeAtFrame >= 0 && (resizeLines < 1 || resizePixels < 1)) {
            throw new BadConfigException("nanonis-sim faults: a resize needs lines and pixels ≥ 1, found "
                    + resizeLines + " × " + resizePixels);
        }
    }

    /** @return a builder with every fault off and a down time of 500 ms */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder; every setter returns this. */
    public static final class Builder {
        private long restartAtLine = -1;
        private boolean killDuringShaper;
        private Duration downTime = Duration.ofMillis(500);
        private int errorTextEvery;
        private int nanPixelEvery;
        private int infRowAt = -1;
        private int emptyGrabEvery;
        private long deadAtLine = -1;
        private Duration deadFor = Duration.ZERO;
        private int resizeAtFrame = -1;
        private int resizeLines;
        private int resizePixels;

        private Builder() {
        }

        /** @param v lines in all before the interface restarts, −1 never @return this */
        public Builder restartAtLine(long v) {
            restartAtLine = v;
            return this;
        }

        /** @param v drop every connection on TipShaper.Start @return this */
        public Builder killDuringShaper(boolean v) {
            killDuringShaper = v;
            return this;
        }

        /** @param v how long the interface is down @return this */
        public Builder downTime(Duration v) {
            downTime = v;
            return this;
        }

        /** @param v every n-th grab carries an error text under status 0 @return this */
        public Builder errorTextEvery(int v) {
            errorTextEvery = v;
            return this;
        }

        /** @param v every n-th line has a NaN pixel @return this */
        public Builder nanPixelEvery(int v) {
            nanPixelEvery = v;
            return this;
        }

        /** @param v the line of every frame acquired as +∞ @return this */
        public Builder infRowAt(int v) {
            infRowAt = v;
            return this;
        }

        /** @param v every n-th grab is 0 × 0 @return this */
        public Builder emptyGrabEvery(int v) {
            emptyGrabEvery = v;
            return this;
        }

        /**
         * @param atLine lines in all before the grabs go all-NaN
         * @param v for how long
         * @return this
         */
        public Builder dead(long atLine, Duration v) {
            deadAtLine = atLine;
            deadFor = v;
            return this;
        }

        /**
         * @param atFrame first frame of the new size
         * @param lines lines per frame
         * @param pixels pixels per line
         * @return this
         */
        public Builder resize(int atFrame, int lines, int pixels) {
            resizeAtFrame = atFrame;
            resizeLines = lines;
            resizePixels = pixels;
            return this;
        }

        /** @return the faults */
        public SimulatedFaults build() {
            return new SimulatedFaults(restartAtLine, killDuringShaper, downTime, errorTextEvery, nanPixelEvery, infRowAt,
                    emptyGrabEvery, deadAtLine, deadFor, resizeAtFrame, resizeLines, resizePixels);
        }
    }
}
