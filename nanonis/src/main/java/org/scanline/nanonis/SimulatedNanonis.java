package org.scanline.nanonis;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.scanline.BadConfigException;

/**
 * A simulated Nanonis controller: a TCP server speaking the Nanonis programming interface for the
 * commands {@link NanonisClient} uses, in front of a simulated microscope scanning the frames of a
 * {@link SimulatedSurfaces} (H:Si(100)-2×1 from the project simulator when scanline-examples is on
 * the class path). Its tip degrades at random, mid-frame
 * (later lines come from a bad-tip scan), and {@code TipShaper.Start} restores a good tip.
 *
 * <pre>{@code
 * SimulatedNanonis.Config c = SimulatedNanonis.Config.builder().seed(7).lineTime(Duration.ofSeconds(1)).build();
 * try (SimulatedNanonis sim = SimulatedNanonis.start(c, "127.0.0.1", 0)) {   // 0: any free port
 *     int port = sim.port();
 * }
 * }</pre>
 *
 * <p>What it serves: channel {@link Config#zChannel()} named {@code Z (m)}, heights in metres, the
 * same data for both trace directions. Rows are stored bottom row first (an up scan fills the frame
 * from row 0, a down scan from the last row) unless {@link Config#rowsInAcquisitionOrder()}. The tip
 * shaper refuses to run while a scan is running. In {@link Config#lockstep()} mode (tests) lines
 * are acquired only by {@code Scan.FrameDataGrab}, one per call, so a session does not depend on
 * thread timing. After {@link Config#sessionLines()} lines the scan stops for good: a later start is
 * accepted and ends at once.
 */
public final class SimulatedNanonis implements AutoCloseable {
    private static final int MAX_REQUEST_BODY = 1 << 20;
    private static final int MAX_CONNECTIONS = 8;

    /**
     * What the simulated microscope does.
     *
     * @param seed reproducibility: frames, tip hazards and shaper outcomes follow from it
     * @param lines lines per frame (the project simulator needs ≥ 24)
     * @param pixels pixels per line (the project simulator needs ≥ 16)
     * @param lineTime time to acquire one line (0 only with lockstep)
     * @param degradePerLine probability that the tip turns bad before a line
     * @param badClass simulator class of the bad tip: 1 asymmetries/dimers, 2 rows (blunt), 3 generic defects (unstable)
     * @param shaperTime how long {@code TipShaper.Start} takes
     * @param shaperSuccess probability that the shaper leaves a good tip
     * @param rowsInAcquisitionOrder true: row 0 is the first line acquired, whatever the direction
     * @param lockstep lines acquired only by frame grabs, one per grab
     * @param scanOnStart a scan is running when the server starts
     * @param startUp direction of that first scan
     * @param continuous start the next frame when one ends, as Nanonis' continuous scan
     * @param sessionLines stop scanning for good after this many lines in all (0 = never)
     * @param zChannel the channel index that serves Z
     * @param recordLines keep a record of every acquired line (tests)
     * @param pulseSuccess probability that a {@code Bias.Pulse} leaves a good tip
     */
    public record Config(long seed, int lines, int pixels, Duration lineTime, double degradePerLine, int badClass,
            Duration shaperTime, double shaperSuccess, boolean rowsInAcquisitionOrder, boolean lockstep, boolean scanOnStart,
            boolean startUp, boolean continuous, long sessionLines, int zChannel, boolean recordLines, double pulseSuccess) {

        /** Validates every value. */
        public Config {
            if (lines < 1 || pixels < 1) {
                throw new BadConfigException("nanonis-sim: lines and pixels must be ≥ 1, found " + lines + " × " + pixels);
            }
            if (lineTime == null || lineTime.isNegative() || (lineTime.isZero() && !lockstep)) {
                throw new BadConfigException("nanonis-sim: line time must be positive (0 only in lockstep), found " + lineTime);
            }
            if (!(degradePerLine >= 0 && degradePerLine <= 1)) {
                throw new BadConfigException("nanonis-sim: tip degradation per line must be in [0, 1], found " + degradePerLine);
            }
            if (badClass < 1 || badClass > 3) {
                throw new BadConfigException("nanonis-sim: the bad-tip class must be 1, 2 or 3 (asymmetries/dimers, "
                        + "rows, generic defects), found " + badClass);
            }
            if (shaperTime == null || shaperTime.isNegative()) {
                throw new BadConfigException("nanonis-sim: tip shaper time must be ≥ 0, found " + shaperTime);
            }
            if (!(pulseSuccess >= 0 && pulseSuccess <= 1)) {
                throw new BadConfigException("nanonis-sim: bias pulse success must be in [0, 1], found " + pulseSuccess);
            }
            if (!(shaperSuccess >= 0 && shaperSuccess <= 1)) {
                throw new BadConfigException("nanonis-sim: tip shaper success must be in [0, 1], found " + shaperSuccess);
            }
            if (sessionLines < 0 || zChannel < 0) {
                throw new BadConfigException("nanonis-sim: session lines and channel must be ≥ 0");
            }
        }

        /** @return a builder with the defaults: 128 × 128, 1 s per line, tip turns blunt once in ~300 lines */
        public static Builder builder() {
            return new Builder();
        }

        /** Builder; every setter returns this. */
        public static final class Builder {
            private long seed = 1;
            private int lines = 128;
            private int pixels = 128;
            private Duration lineTime = Duration.ofSeconds(1);
            private double degradePerLine = 1.0 / 300;
            private int badClass = 2;
            private Duration shaperTime = Duration.ofSeconds(2);
            private double shaperSuccess = 1;
            private boolean rowsInAcquisitionOrder;
            private boolean lockstep;
            private boolean scanOnStart = true;
            private boolean startUp = true;
            private boolean continuous;
            private long sessionLines;
            private int zChannel = 14;
            private boolean recordLines;
            private double pulseSuccess = 0.5;

            private Builder() {
            }

            /** @param v seed @return this */
            public Builder seed(long v) {
                seed = v;
                return this;
            }

            /** @param v lines per frame @return this */
            public Builder lines(int v) {
                lines = v;
                return this;
            }

            /** @param v pixels per line @return this */
            public Builder pixels(int v) {
                pixels = v;
                return this;
            }

            /** @param v time per line @return this */
            public Builder lineTime(Duration v) {
                lineTime = v;
                return this;
            }

            /** @param v tip degradation probability per line @return this */
            public Builder degradePerLine(double v) {
                degradePerLine = v;
                return this;
            }

            /** @param v simulator class of the bad tip (1–3) @return this */
            public Builder badClass(int v) {
                badClass = v;
                return this;
            }

            /** @param v tip shaper duration @return this */
            public Builder shaperTime(Duration v) {
                shaperTime = v;
                return this;
            }

            /** @param v tip shaper success probability @return this */
            public Builder shaperSuccess(double v) {
                shaperSuccess = v;
                return this;
            }

            /** @param v rows in acquisition order instead of bottom row first @return this */
            public Builder rowsInAcquisitionOrder(boolean v) {
                rowsInAcquisitionOrder = v;
                return this;
            }

            /** @param v one line per frame grab @return this */
            public Builder lockstep(boolean v) {
                lockstep = v;
                return this;
            }

            /** @param v a scan runs from the start @return this */
            public Builder scanOnStart(boolean v) {
                scanOnStart = v;
                return this;
            }

            /** @param v the first scan runs up @return this */
            public Builder startUp(boolean v) {
                startUp = v;
                return this;
            }

            /** @param v continuous scan @return this */
            public Builder continuous(boolean v) {
                continuous = v;
                return this;
            }

            /** @param v lines after which scanning stops for good (0 = never) @return this */
            public Builder sessionLines(long v) {
                sessionLines = v;
                return this;
            }

            /** @param v channel index of Z @return this */
            public Builder zChannel(int v) {
                zChannel = v;
                return this;
            }

            /** @param v keep a record of every line @return this */
            public Builder recordLines(boolean v) {
                recordLines = v;
                return this;
            }

            /** @param v bias pulse success probability @return this */
            public Builder pulseSuccess(double v) {
                pulseSuccess = v;
                return this;
            }

            /** @return the validated config */
            public Config build() {
                return new Config(seed, lines, pixels, lineTime, degradePerLine, badClass, shaperTime, shaperSuccess,
                        rowsInAcquisitionOrder, lockstep, scanOnStart, startUp, continuous, sessionLines, zChannel, recordLines,
                        pulseSuccess);
            }
        }
    }

    /**
     * A snapshot of the simulated microscope.
     *
     * @param linesAcquired lines acquired in all
     * @param badTipLines of which acquired with a bad tip
     * @param frames frames started
     * @param shaperRuns tip shaper runs
     * @param scanRunning whether a scan is running
     * @param tipGood whether the tip is good now
     * @param shaperRunning whether the tip shaper is running
     * @param commands every command that changed something, in order (e.g. {@code Scan.Action stop})
     * @param badEpisodes for every bad-tip episode a tip shaper run ended, the lines acquired with the bad
     *     tip: the detection delay plus the lines acquired while acting, in lines
     * @param withdrawn whether the tip is withdrawn ({@code ZCtrl.Withdraw})
     * @param pulses bias pulses given
     */
    public record Stats(long linesAcquired, long badTipLines, int frames, int shaperRuns, boolean scanRunning,
            boolean tipGood, boolean shaperRunning, List<String> commands, List<Integer> badEpisodes, boolean withdrawn,
            int pulses) {

        /** @return bad-tip lines over all lines, 0 when none */
        public double badTipFraction() {
            return linesAcquired == 0 ? 0 : (double) badTipLines / linesAcquired;
        }

        /** @return shaper runs that did not end a bad-tip episode (false alarms, or failed runs) */
        public int shaperRunsOnAGoodTip() {
            return shaperRuns - badEpisodes.size();
        }

        /**
         * @param q quantile in [0, 1]
         * @return the nearest-rank quantile of {@link #badEpisodes()}, 0 when there are none
         */
        public int badEpisodeQuantile(double q) {
            if (badEpisodes.isEmpty()) {
                return 0;
            }
            int[] s = badEpisodes.stream().mapToInt(Integer::intValue).sorted().toArray();
            return s[Math.max(0, Math.min(s.length - 1, (int) Math.ceil(q * s.length) - 1))];
        }
    }

    private final Config config;
    private final SimulatedMicroscope microscope;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final SimulatedCommands commands;
    private volatile boolean closed;
    private volatile long downUntil;
    private volatile int restarts;

    private SimulatedNanonis(Config config, SimulatedFaults faults, SimulatedSurfaces surfaces, ServerSocket server) {
        this.config = config;
        this.server = server;
        this.microscope = new SimulatedMicroscope(config, faults, surfaces, () -> goDown(faults.downTime()));
        this.commands = new SimulatedCommands(config, faults, microscope, () -> goDown(faults.downTime()));
        this.acceptor = new Thread(this::accept, "nanonis-sim-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Starts the server.
     *
     * @param config the simulated microscope
     * @param bindAddress address to listen on, e.g. {@code 127.0.0.1}
     * @param port port, 0 for any free one
     * @return the running server; close it to stop
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public static SimulatedNanonis start(Config config, String bindAddress, int port) {
        return start(config, SimulatedFaults.NONE, SimulatedSurfaces.find(), bindAddress, port);
    }

    /**
     * Starts the server with faults.
     *
     * @param config the simulated microscope
     * @param faults what goes wrong
     * @param bindAddress address to listen on
     * @param port port, 0 for any free one
     * @return the running server; close it to stop
     */
    public static SimulatedNanonis start(Config config, SimulatedFaults faults, String bindAddress, int port) {
        return start(config, faults, SimulatedSurfaces.find(), bindAddress, port);
    }

    /**
     * Starts the server on the given surfaces.
     *
     * @param config the simulated microscope
     * @param faults what goes wrong
     * @param surfaces where its frames come from
     * @param bindAddress address to listen on
     * @param port port, 0 for any free one
     * @return the running server; close it to stop
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public static SimulatedNanonis start(Config config, SimulatedFaults faults, SimulatedSurfaces surfaces, String bindAddress,
            int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 16);
            try {
                SimulatedNanonis sim = new SimulatedNanonis(config, faults, surfaces, s);
                sim.acceptor.start();
                return sim;
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("nanonis-sim: cannot listen on " + bindAddress + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return the port the server listens on */
    public int port() {
        return server.getLocalPort();
    }

    /** @return the config */
    public Config config() {
        return config;
    }

    /** @return what the microscope has done so far */
    public Stats stats() {
        return microscope.stats();
    }

    /** @return how often the TCP interface went down (restarts and kills) */
    public int restarts() {
        return restarts;
    }

    /**
     * The TCP interface goes down: every connection is dropped and new ones are closed at once for
     * {@code d}. The microscope goes on.
     *
     * @param d how long
     */
    public void goDown(Duration d) {
        restarts++;
        downUntil = System.nanoTime() + d.toNanos();
        for (Socket c : clients) {
            try {
                c.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** @return every acquired line so far, when {@link Config#recordLines()} */
    List<SimulatedMicroscope.Line> lines() {
        return microscope.lines();
    }

    /** Stops listening, drops every connection and wakes every waiting call. Idempotent. */
    @Override
    public void close() {
        closed = true;
        microscope.close();
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket c : clients) {
            try {
                c.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket c = server.accept();
                if (clients.size() >= MAX_CONNECTIONS || System.nanoTime() < downUntil) {
                    c.close();
                    continue;
                }
                clients.add(c);
                Thread t = new Thread(() -> serve(c), "nanonis-sim-" + c.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("nanonis-sim: accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket c) {
        try (c) {
            c.setTcpNoDelay(true);
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            while (!closed) {
                byte[] header = in.readNBytes(Protocol.HEADER_BYTES);
                if (header.length < Protocol.HEADER_BYTES) {
                    return;
                }
                String command = Protocol.name(header);
                int size = Protocol.bodySize(header);
                if (size < 0 || size > MAX_REQUEST_BODY) {
                    return;
                }
                byte[] body = in.readNBytes(size);
                if (body.length < size) {
                    return;
                }
                byte[] answer = handle(command, body);
                if (answer == null) {
                    return;
                }
                if (Protocol.sendResponse(header)) {
                    out.write(Protocol.responseHeader(command, answer.length));
                    out.write(answer);
                    out.flush();
                }
            }
        } catch (SocketException | EOFException e) {
            // the client went away
        } catch (IOException e) {
            if (!closed) {
                System.err.println("nanonis-sim: connection failed: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(c);
        }
    }

    /** @return the response body (return values, then the error section), or null to drop the connection */
    byte[] handle(String command, byte[] body) throws InterruptedException {
        return commands.handle(command, body);
    }
}
