package org.scanline.nanonis;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The watch's connection to the controller, which survives a lost one. Reads (a grab, the status,
 * the scan settings) are retried with exponential backoff — 100 ms doubling to 5 s — on a fresh
 * connection, until the budget is spent; a controller's error answer to a read is retried the same
 * way on the same connection, since the next grab will carry the lines. Commands that change the
 * microscope are sent once ({@link #once}): only a connection known to be broken is replaced first.
 */
final class Connection implements AutoCloseable {
    /** Told of every failure and reconnection. */
    interface Events {
        /**
         * @param what the call that failed
         * @param e why
         * @param attempt the retry about to be made, from 1
         * @param waitMillis the backoff before it
         */
        void retrying(String what, NanonisException e, int attempt, long waitMillis);

        /** @param address a fresh connection is open */
        void reconnected(String address);
    }

    private final Supplier<NanonisClient> factory;
    private final Duration budget;
    private final Events events;
    private final Sleeper sleeper;
    private final NanonisClient first;
    private NanonisClient client;
    private volatile boolean persistent;

    /** Sleeps, and says whether to give up (a stop was requested). */
    interface Sleeper {
        /** @param millis how long @return false to give up */
        boolean sleep(long millis);
    }

    Connection(NanonisClient first, Supplier<NanonisClient> factory, Duration budget, Events events, Sleeper sleeper) {
        this.first = Objects.requireNonNull(first, "client");
        this.client = first;
        this.factory = factory;
        this.budget = budget;
        this.events = events;
        this.sleeper = sleeper;
    }

    /** From now on reads retry for their whole budget even when the sleeper says to give up (making safe). */
    void persist() {
        persistent = true;
    }

    /** @return the current client */
    synchronized NanonisClient client() {
        return client;
    }

    /**
     * A read, retried until the budget is spent.
     *
     * @param what the call, for messages
     * @param call the read
     * @param <T> its value
     * @return the value
     * @throws NanonisException the last failure, once the budget is spent or a stop was requested
     */
    <T> T read(String what, Function<NanonisClient, T> call) {
        long deadline = System.nanoTime() + budget.toNanos();
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.apply(current());
            } catch (NanonisException e) {
                if (e.kind() == NanonisException.Kind.PROTOCOL && client.usable() || factory == null
                        || System.nanoTime() + backoff * 1_000_000 > deadline) {
                    throw e;
                }
                events.retrying(what, e, attempt, backoff);
                if (!sleeper.sleep(backoff) && !persistent) {
                    throw e;
                }
                backoff = Math.min(5000, backoff * 2);
            }
        }
    }

    /**
     * A command sent once, on a fresh connection when the current one is broken.
     *
     * @param call the command
     * @param <T> its value
     * @return the value
     */
    <T> T once(Function<NanonisClient, T> call) {
        return call.apply(current());
    }

    private synchronized NanonisClient current() {
        if (!client.usable() && factory != null) {
            NanonisClient fresh = factory.get();
            if (client != first) {
                client.close();
            }
            client = fresh;
            events.reconnected(fresh.address());
        }
        return client;
    }

    /** Closes the connections this one opened; the first belongs to the caller. */
    @Override
    public synchronized void close() {
        if (client != first) {
            client.close();
        }
    }
}
