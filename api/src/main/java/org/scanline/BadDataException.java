package org.scanline;

import org.apiguardian.api.API;

/**
 * A data file or in-memory scan is malformed: wrong shape, NaN pixels, labels out of range, a truncated or corrupt file.
 *
 * <p>The message names the file (or the argument) and the problem.
 */
@API(status = API.Status.STABLE)
public class BadDataException extends ScanlineException {
    private static final long serialVersionUID = 1L;

    /** @param message what was expected, what was found, and where */
    public BadDataException(String message) {
        super(message);
    }

    /**
     * @param message what was expected, what was found, and where
     * @param cause the underlying error
     */
    public BadDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
