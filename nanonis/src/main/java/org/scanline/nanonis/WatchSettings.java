package org.scanline.nanonis;

import java.time.Duration;
import java.util.Objects;
import org.scanline.BadConfigException;

/**
 * How {@link ScanWatcher} watches.
 *
 * <pre>{@code
 * WatchSettings s = WatchSettings.builder().channelName("Z").action(WatchSettings.Action.CONDITION)
 *         .ladder(RecoveryLadder.builder().build()).build();
 * }</pre>
 *
 * @param channel {@code Scan.FrameDataGrab} channel index, or −1 to find {@code channelName} among the
 *     buffer's channels ({@code Scan.BufferGet})
 * @param channelName the channel's name, checked on every grab: the name the controller returns must
 *     start with it (e.g. {@code Z} for {@code Z (m)})
 * @param forward forward trace (else backward)
 * @param poll the longest time between polls; shorter when the controller's line time
 *     ({@code Scan.SpeedGet}) is shorter: then half a line
 * @param action what to do on a bad tip
 * @param follow keep watching the next scans instead of returning when the scan ends
 * @param rowsInAcquisitionOrder for a frame first seen complete: row 0 is the first line whatever the direction
 * @param ladder how a bad tip is recovered (with {@link Action#CONDITION})
 * @param reconnectBudget how long a lost connection is retried, with backoff, before the watch fails
 * @param noDataTimeout how long a running scan may send nothing usable before the watch says so
 */
public record WatchSettings(int channel, String channelName, boolean forward, Duration poll, Action action, boolean follow,
        boolean rowsInAcquisitionOrder, RecoveryLadder ladder, Duration reconnectBudget, Duration noDataTimeout) {

    /** What to do on a bad tip. */
    public enum Action {
        /** Log and print it only. */
        REPORT("report"),
        /** Stop the scan. */
        STOP("stop"),
        /** Stop the scan, climb the {@link RecoveryLadder}, start the scan again. */
        CONDITION("condition");

        private final String label;

        Action(String label) {
            this.label = label;
        }

        /** @return the name used on the command line and in the log */
        public String label() {
            return label;
        }
    }

    /** Validates. */
    public WatchSettings {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(ladder, "ladder");
        if (poll == null || poll.isNegative() || poll.isZero()) {
            throw new BadConfigException("watch: the poll interval must be positive, found " + poll);
        }
        if (channel < -1 || channelName == null || channelName.isBlank()) {
            throw new BadConfigException("watch: the channel is an index ≥ 0 or −1 (by name), with a name; found "
                    + channel + " '" + channelName + "'");
        }
        if (reconnectBudget == null || reconnectBudget.isNegative() || noDataTimeout == null || noDataTimeout.isNegative()
                || noDataTimeout.isZero()) {
            throw new BadConfigException("watch: the reconnect budget must be ≥ 0 and the no-data timeout positive");
        }
    }

    /**
     * @return a builder: Z found by name, forward, polls at most every 100 ms, report only, the default
     *     ladder, reconnecting for 60 s, silent controllers noted after 30 s
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder; every setter returns this. */
    public static final class Builder {
        private int channel = -1;
        private String channelName = "Z";
        private boolean forward = true;
        private Duration poll = Duration.ofMillis(100);
        private Action action = Action.REPORT;
        private boolean follow;
        private boolean rowsInAcquisitionOrder;
        private RecoveryLadder ladder;
        private final RecoveryLadder.Builder ladderBuilder = RecoveryLadder.builder();
        private Duration reconnectBudget = Duration.ofSeconds(60);
        private Duration noDataTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** @param v channel index, −1 by name @return this */
        public Builder channel(int v) {
            channel = v;
            return this;
        }

        /** @param v channel name @return this */
        public Builder channelName(String v) {
            channelName = v;
            return this;
        }

        /** @param v forward trace @return this */
        public Builder forward(boolean v) {
            forward = v;
            return this;
        }

        /** @param v longest poll interval @return this */
        public Builder poll(Duration v) {
            poll = v;
            return this;
        }

        /** @param v action on a bad tip @return this */
        public Builder action(Action v) {
            action = v;
            return this;
        }

        /** @param v follow the next scans @return this */
        public Builder follow(boolean v) {
            follow = v;
            return this;
        }

        /** @param v rows in acquisition order @return this */
        public Builder rowsInAcquisitionOrder(boolean v) {
            rowsInAcquisitionOrder = v;
            return this;
        }

        /** @param v the recovery ladder (overrides {@link #shaperWait} and {@link #maxConditioning}) @return this */
        public Builder ladder(RecoveryLadder v) {
            ladder = v;
            return this;
        }

        /** @param v tip shaper wait of the default ladder @return this */
        public Builder shaperWait(Duration v) {
            ladderBuilder.shaperWait(v);
            return this;
        }

        /** @param v steps a session may take, on the default ladder @return this */
        public Builder maxConditioning(int v) {
            ladderBuilder.maxConditioning(v);
            return this;
        }

        /** @param v how long to retry a lost connection @return this */
        public Builder reconnectBudget(Duration v) {
            reconnectBudget = v;
            return this;
        }

        /** @param v how long a running scan may send nothing usable before it is noted @return this */
        public Builder noDataTimeout(Duration v) {
            noDataTimeout = v;
            return this;
        }

        /** @return the settings */
        public WatchSettings build() {
            return new WatchSettings(channel, channelName, forward, poll, action, follow, rowsInAcquisitionOrder,
                    ladder != null ? ladder : ladderBuilder.build(), reconnectBudget, noDataTimeout);
        }
    }
}
