package org.scanline.backend;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apiguardian.api.API;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A process-wide request to stop training at the next batch boundary. The training loop checks it
 * before every batch and epoch; when set, it stops with
 * {@link org.scanline.train.TrainingInterruptedException} and the run folder keeps the
 * {@code last.ckpt} of the last complete epoch (or is removed if no epoch completed).
 *
 * <p>{@link #onSignals} routes SIGINT and SIGTERM here instead of to the JVM's shutdown: exiting
 * while a libtorch backward pass runs on another thread crashed the JVM (SIGSEGV, an
 * {@code hs_err_pid*.log} and an empty run folder). A second signal only says how to abort at once.
 *
 * <pre>{@code
 * try (GracefulStop.Handlers h = GracefulStop.onSignals(System.err)) {
 *     model = session.fit(data);
 * } catch (TrainingInterruptedException e) {
 *     ...   // exit 130
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class GracefulStop {
    private static final AtomicReference<String> REASON = new AtomicReference<>();

    private GracefulStop() {
    }

    /**
     * Asks the training running in this JVM to stop at its next batch boundary.
     *
     * @param reason what asked, for the message (e.g. {@code SIGINT})
     * @return false if a stop was already requested
     */
    public static boolean request(String reason) {
        return REASON.compareAndSet(null, reason);
    }

    /** @return the reason of the pending request, if any */
    public static Optional<String> requested() {
        return Optional.ofNullable(REASON.get());
    }

    /** Withdraws a pending request (a new training starts without one). */
    public static void clear() {
        REASON.set(null);
    }

    /**
     * Handles SIGINT and SIGTERM by {@link #request requesting} a stop, until the returned handle is
     * closed, which restores the previous handlers and withdraws any request. Where the JVM does not
     * let a signal be handled ({@code -Xrs}), that signal keeps its default.
     *
     * @param out where to say that training is stopping
     * @return the handle; close it when training has returned
     */
    public static Handlers onSignals(PrintStream out) {
        return new Handlers(out);
    }

    /** The installed signal handlers; {@link #close()} restores the previous ones. */
    @API(status = API.Status.EXPERIMENTAL)
    public static final class Handlers implements AutoCloseable {
        private final List<Signal> signals = new ArrayList<>();
        private final List<SignalHandler> previous = new ArrayList<>();

        private Handlers(PrintStream out) {
            clear();
            long pid = ProcessHandle.current().pid();
            for (String name : new String[] {"INT", "TERM"}) {
                Signal signal = new Signal(name);
                SignalHandler handler = s -> {
                    if (request("SIG" + s.getName())) {
                        out.println("SIG" + s.getName() + ": stopping training after the current batch and keeping the"
                                + " last complete epoch...");
                    } else {
                        out.println("SIG" + s.getName() + ": already stopping after the current batch; kill -9 " + pid
                                + " aborts at once, losing the epoch in progress");
                    }
                    out.flush();
                };
                try {
                    SignalHandler old = Signal.handle(signal, handler);
                    if (old == SignalHandler.SIG_IGN) {
                        // ignored since the JVM started (nohup, a background job): the JVM left it so
                        Signal.handle(signal, old);
                        continue;
                    }
                    previous.add(old);
                    signals.add(signal);
                } catch (IllegalArgumentException reserved) {
                    // the JVM keeps this signal (-Xrs, or in use): it behaves as before
                }
            }
        }

        /** @return the signals now handled, e.g. {@code [INT, TERM]} */
        public List<String> handled() {
            return signals.stream().map(Signal::getName).toList();
        }

        @Override
        public void close() {
            for (int i = 0; i < signals.size(); i++) {
                Signal.handle(signals.get(i), previous.get(i));
            }
            signals.clear();
            previous.clear();
            clear();
        }
    }
}
