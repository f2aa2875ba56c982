package org.scanline;

import org.apiguardian.api.API;

/**
 * A model file (ONNX) or checkpoint cannot be used: missing metadata, a newer format version, wrong inputs.
 *
 * <p>The message names the file and the key or version concerned.
 */
@API(status = API.Status.STABLE)
public class BadModelException extends ScanlineException {
    private static final long serialVersionUID = 1L;

    /** @param message what was expected, what was found, and where */
    public BadModelException(String message) {
        super(message);
    }

    /**
     * @param message what was expected, what was found, and where
     * @param cause the underlying error
     */
    public BadModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
