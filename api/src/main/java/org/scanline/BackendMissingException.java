package org.scanline;

import org.apiguardian.api.API;

/**
 * No usable provider was found on the classpath: no training backend, or one built for another
 * version of this API, or no classifier runtime (a shaded jar that dropped scanline-api's
 * {@code META-INF/services}). The message names the artifact to add (for example
 * {@code org.scanline:scanline-core}), both versions, or the service file.
 */
@API(status = API.Status.STABLE)
public class BackendMissingException extends ScanlineException {
    private static final long serialVersionUID = 1L;

    /** @param message which artifact to add, or which versions disagree */
    public BackendMissingException(String message) {
        super(message);
    }
}
