package org.scanline;

import org.apiguardian.api.API;

/**
 * A training configuration is invalid: a value out of range, an unknown key in a config file, inconsistent sizes.
 *
 * <p>The message names the key, the value found and what is allowed.
 */
@API(status = API.Status.STABLE)
public class BadConfigException extends ScanlineException {
    private static final long serialVersionUID = 1L;

    /** @param message what was expected, what was found, and where */
    public BadConfigException(String message) {
        super(message);
    }

    /**
     * @param message what was expected, what was found, and where
     * @param cause the underlying error
     */
    public BadConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
