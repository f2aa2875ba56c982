package org.scanline.nanonis;

import org.scanline.ScanlineException;

/**
 * A Nanonis call failed: the controller answered with an error, the answer broke the protocol, no
 * answer came in time, or the connection was lost. The message names the command and the address.
 */
public final class NanonisException extends ScanlineException {
    private static final long serialVersionUID = 1L;

    /** Why a call failed. */
    public enum Kind {
        /** The controller executed the command and reported an error (error status ≠ 0). */
        SERVER_ERROR,
        /** The answer does not follow the protocol: another command's name, an absurd size, a short body. */
        PROTOCOL,
        /** No complete answer within the call's time limit. */
        TIMEOUT,
        /** The connection could not be opened, was lost, or is unusable after an earlier failure. */
        CONNECTION
    }

    private final Kind kind;
    private final String command;

    /**
     * @param kind why
     * @param command the command, empty for connecting
     * @param message what happened, naming the command and the address
     */
    public NanonisException(Kind kind, String command, String message) {
        super(message);
        this.kind = kind;
        this.command = command;
    }

    /**
     * @param kind why
     * @param command the command
     * @param message what happened
     * @param cause the underlying failure
     */
    public NanonisException(Kind kind, String command, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.command = command;
    }

    /** @return why the call failed */
    public Kind kind() {
        return kind;
    }

    /** @return the command that failed, e.g. {@code Scan.StatusGet}; empty for connecting */
    public String command() {
        return command;
    }
}
