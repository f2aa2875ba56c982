package org.scanline;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A confident change of the tip state during a scan, as a {@link LineStream} reports it.
 *
 * @param line the first line (0-based) seen in the new state
 * @param detectedAt the line after which the change was reported ({@code ≥ line}); the detection delay
 *     of a change that happened at line c is {@code detectedAt − c}
 * @param from the state before
 * @param to the state after
 * @param confidence the new state's probability on the line that confirmed it
 */
@API(status = API.Status.EXPERIMENTAL)
public record TipChange(int line, int detectedAt, String from, String to, float confidence) {

    /** Validates the values. */
    public TipChange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (line < 0 || detectedAt < line) {
            throw new IllegalArgumentException("need 0 ≤ line ≤ detectedAt, found " + line + " and " + detectedAt);
        }
    }
}
