package org.scanline;

import org.apiguardian.api.API;

/**
 * Root of every error scanline throws on purpose. Unchecked, like most library errors of its kind:
 * bad input is a programming or data error the caller rarely recovers from locally.
 *
 * <p>Messages say what was expected, what was found and where (file, key, line index), so the
 * command line can print the message alone. Subtypes tell the broad cause apart:
 * {@link BadDataException}, {@link BadModelException}, {@link BadConfigException} and
 * {@link BackendMissingException}.
 */
@API(status = API.Status.STABLE)
public class ScanlineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was expected, what was found, and where */
    public ScanlineException(String message) {
        super(message);
    }

    /**
     * @param message what was expected, what was found, and where
     * @param cause the underlying error, kept for {@code -v} traces
     */
    public ScanlineException(String message, Throwable cause) {
        super(message, cause);
    }
}
