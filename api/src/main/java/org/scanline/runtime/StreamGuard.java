package org.scanline.runtime;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a {@link org.scanline.LineStream} to one thread at a time. Two threads pushing into one
 * stream would feed, close and replace the same native tensors at once, which ends in a SIGSEGV
 * inside ONNX Runtime; here the second thread gets an {@link IllegalStateException} instead.
 *
 * <p>Entering is one compare-and-set and leaving one volatile write, so the guard costs nothing
 * measurable next to a model call, and no lock is held across the native call. A {@link #close}
 * that finds the stream in use does not wait: it marks the stream closed and the thread inside
 * releases the native state on its way out.
 */
final class StreamGuard {
    private final String source;
    private final Runnable release;
    private final AtomicReference<Thread> user = new AtomicReference<>();
    private volatile boolean closed;

    /**
     * @param source the model file, for messages
     * @param release frees the stream's native state; idempotent
     */
    StreamGuard(String source, Runnable release) {
        this.source = source;
        this.release = release;
    }

    /**
     * Claims the stream for the calling thread; pair with {@link #exit} in a {@code finally}.
     *
     * @param operation the method called, for the message
     * @throws IllegalStateException if another thread is inside the stream, or it is closed
     */
    void enter(String operation) {
        Thread me = Thread.currentThread();
        if (!user.compareAndSet(null, me)) {
            Thread other = user.get();
            throw new IllegalStateException(source + ": LineStream is not thread-safe: " + operation
                    + " called concurrently from thread '" + me.getName() + "' while thread '"
                    + (other == null ? "?" : other.getName()) + "' is using the stream; give each thread its own"
                    + " stream (ScanLineClassifier.newStream())");
        }
        if (closed) {
            // a close that found the stream busy may have left the release to whoever holds it now
            releaseAndLeave();
            throw new IllegalStateException(source + ": the stream is closed");
        }
    }

    /** Gives the stream up; if it was closed meanwhile, releases it now. */
    void exit() {
        user.set(null);
        if (closed) {
            releaseIfIdle();
        }
    }

    /** Marks the stream closed and releases it, or leaves that to the thread inside it. */
    void close() {
        closed = true;
        releaseIfIdle();
    }

    // closed is written before this CAS and user cleared before exit reads closed, so of a racing
    // close and exit at least one sees the other; whoever then holds the stream releases it.
    private void releaseIfIdle() {
        if (user.compareAndSet(null, Thread.currentThread())) {
            releaseAndLeave();
        }
    }

    private void releaseAndLeave() {
        try {
            release.run();
        } finally {
            user.set(null);
        }
    }
}
