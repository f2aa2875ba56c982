package org.scanline.sxm;

import java.util.Locale;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;

/** Which trace of a scan line: the forward (left-to-right) or the backward (return) pass of the tip. */
@API(status = API.Status.EXPERIMENTAL)
public enum TraceDirection {
    /** The trace recorded while the tip moves in the fast-scan direction. */
    FORWARD,
    /** The return trace; readers mirror it so pixel 0 is the same place as in {@link #FORWARD}. */
    BACKWARD;

    /**
     * @param text {@code forward}, {@code fwd}, {@code backward} or {@code bwd} (case-insensitive)
     * @return the direction
     * @throws BadConfigException for anything else
     */
    public static TraceDirection parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "forward", "fwd", "f" -> FORWARD;
            case "backward", "bwd", "b" -> BACKWARD;
            default -> throw new BadConfigException("unknown trace direction '" + text
                    + "': expected forward or backward");
        };
    }
}
