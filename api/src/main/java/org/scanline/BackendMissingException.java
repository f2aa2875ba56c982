package org.scanline;

import org.apiguardian.api.API;

/**
 * No usable training backend was found on the classpath, or the one found was built for another
 * version of this API. The message names the artifact to add (for example
 * {@code org.scanline:scanline-core}) or both versions.
 */
@API(status = API.Status.STABLE)
public class BackendMissingException extends ScanlineException {
    private static final long serialVersionUID = 1L;

    /** @param message which artifact to add, or which versions disagree */
    public BackendMissingException(String message) {
        super(message);
    }
}
