package org.scanline.nanonis;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A client of the Nanonis TCP programming interface for the few commands watching a scan needs,
 * on {@code java.net} alone. Calls are serialised on one connection, as Nanonis executes the
 * commands of one connection in order. Every call has a deadline: a call that gets no complete
 * answer in time fails with {@link NanonisException.Kind#TIMEOUT}, and a connection that has seen
 * a timeout, a lost connection or a malformed header is closed and refuses later calls, since the
 * next bytes on it could belong to the late answer.
 *
 * <pre>{@code
 * try (NanonisClient nanonis = NanonisClient.connect("localhost", 6501, Duration.ofSeconds(5))) {
 *     if (nanonis.scanRunning()) {
 *         FrameData z = nanonis.frameDataGrab(14, true);   // Z, forward trace
 *     }
 * }
 * }</pre>
 *
 * <p>Commands and body layouts follow the "Nanonis TCP Protocol" document of June 2024 (R13742).
 */
public final class NanonisClient implements AutoCloseable {
    /** Largest answer body accepted by default: a 4096 × 4096 float32 frame is 64 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 256 << 20;
    private static final int FIRST_CHUNK = 1 << 20;

    /** What {@code Scan.Action} does. */
    public enum ScanAction {
        /** Start a new frame. */
        START(0),
        /** Stop the scan. */
        STOP(1),
        /** Pause the scan. */
        PAUSE(2),
        /** Resume a paused scan. */
        RESUME(3);

        final int code;

        ScanAction(int code) {
            this.code = code;
        }
    }

    /**
     * What {@code Scan.WaitEndOfScan} returned.
     *
     * @param timedOut true when the wait ended on its timeout rather than at an end of scan
     * @param filePath where the scan was saved, empty when it was not
     */
    public record EndOfScan(boolean timedOut, String filePath) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String address;
    private final Duration timeout;
    private final int maxBodyBytes;
    private String unusable;

    private NanonisClient(Socket socket, String address, Duration timeout, int maxBodyBytes) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.address = address;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Opens a connection with the default largest answer ({@value #DEFAULT_MAX_BODY_BYTES} bytes).
     *
     * @param host host name or address of the Nanonis computer
     * @param port one of the ports set under System &gt; Options &gt; TCP Programming Interface
     * @param timeout for connecting, and for every call (calls that wait get their wait on top)
     * @return the client; close it when done
     * @throws NanonisException {@code CONNECTION} if nothing answers at the address in time
     */
    public static NanonisClient connect(String host, int port, Duration timeout) {
        return connect(host, port, timeout, DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * @param host host name or address
     * @param port port
     * @param timeout for connecting and for every call
     * @param maxBodyBytes largest answer body accepted; a larger size is refused as absurd
     * @return the client
     * @throws NanonisException {@code CONNECTION} if nothing answers at the address in time
     */
    public static NanonisClient connect(String host, int port, Duration timeout, int maxBodyBytes) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new NanonisException(NanonisException.Kind.CONNECTION, "", "Nanonis port must be 1–65535, found " + port);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, found " + timeout);
        }
        String address = host + ":" + port;
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), millis(timeout));
            return new NanonisClient(s, address, timeout, maxBodyBytes);
        } catch (IOException e) {
            closeQuietly(s);
            String why = e instanceof SocketTimeoutException ? "no answer within " + seconds(timeout)
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new NanonisException(NanonisException.Kind.CONNECTION, "", "cannot connect to Nanonis at " + address
                    + ": " + why + " (is the TCP programming interface enabled on that port?)", e);
        }
    }

    /** @return {@code host:port} of the controller */
    public String address() {
        return address;
    }

    /**
     * {@code Scan.StatusGet}.
     *
     * @return true when a scan is running
     */
    public synchronized boolean scanRunning() {
        return parse(call("Scan.StatusGet", new byte[0], Duration.ZERO), r -> {
            long status = r.u32("the scan status");
            r.finish();
            return status != 0;
        });
    }

    /**
     * {@code Scan.FrameDataGrab}: the current frame of one channel; lines not acquired yet are NaN.
     *
     * @param channel channel index (for R13742 an index into the 128 signals, e.g. 14 for Z on a default setup)
     * @param forward true for the forward trace, false for the backward one
     * @return the frame
     */
    public synchronized FrameData frameDataGrab(int channel, boolean forward) {
        byte[] body = new Protocol.Writer().u32(channel).u32(forward ? 1 : 0).bytes();
        String command = "Scan.FrameDataGrab";
        return parse(call(command, body, Duration.ZERO), r -> {
            String name = r.string("the channel name");
            int rows = r.count("the number of rows", r.remaining());
            int cols = r.count("the number of columns", r.remaining());
            if ((long) rows * cols * 4 > r.remaining()) {
                throw new NanonisException(NanonisException.Kind.PROTOCOL, command, command + ": a " + rows + " × " + cols
                        + " float32 frame needs " + (long) rows * cols * 4 + " bytes, the answer has " + r.remaining()
                        + " left");
            }
            float[] data = r.f32s(rows * cols, "the scan data");
            long direction = r.u32("the scan direction");
            r.finish();
            if (direction > 1) {
                throw new NanonisException(NanonisException.Kind.PROTOCOL, command, command + ": scan direction "
                        + direction + ", expected 0 (down) or 1 (up)");
            }
            return new FrameData(name, rows, cols, data, direction == 1);
        });
    }

    /**
     * {@code Scan.Action}.
     *
     * @param action start, stop, pause or resume
     * @param up scan direction: true up, false down
     */
    public synchronized void scanAction(ScanAction action, boolean up) {
        byte[] body = new Protocol.Writer().u16(action.code).u32(up ? 1 : 0).bytes();
        check(call("Scan.Action", body, Duration.ZERO), Protocol.Reader::finish);
    }

    /**
     * {@code Scan.WaitEndOfScan}: waits for the end of the scan, at most {@code wait}.
     *
     * @param wait how long the controller waits; finite, at most {@link Integer#MAX_VALUE} ms
     * @return whether it timed out, and the saved file's path
     */
    public synchronized EndOfScan waitEndOfScan(Duration wait) {
        byte[] body = new Protocol.Writer().i32(millis(wait)).bytes();
        return parse(call("Scan.WaitEndOfScan", body, wait), r -> {
            long timedOut = r.u32("the timeout status");
            long size = r.u32("the file path size");
            String path = r.bytesAsString((int) Math.min(size, Integer.MAX_VALUE), "the file path");
            r.finish();
            return new EndOfScan(timedOut != 0, path);
        });
    }

    /**
     * {@code TipShaper.Start} with the tip shaper's current settings.
     *
     * @param waitUntilFinished true to return only when the procedure has stopped (or {@code wait} passed)
     * @param wait how long the controller waits when {@code waitUntilFinished}; finite
     */
    public synchronized void tipShaperStart(boolean waitUntilFinished, Duration wait) {
        byte[] body = new Protocol.Writer().u32(waitUntilFinished ? 1 : 0).i32(millis(wait)).bytes();
        check(call("TipShaper.Start", body, waitUntilFinished ? wait : Duration.ZERO), Protocol.Reader::finish);
    }

    /**
     * Decodes an answer. An answer that does not parse but is exactly an error section is the
     * controller's error without the return values: reported as that error.
     */
    private static <T> T parse(Protocol.Reader r, Function<Protocol.Reader, T> decode) {
        try {
            return decode.apply(r);
        } catch (NanonisException e) {
            String text = e.kind() == NanonisException.Kind.PROTOCOL ? r.errorOnly() : null;
            if (text != null) {
                throw new NanonisException(NanonisException.Kind.SERVER_ERROR, e.command(), "Nanonis refused "
                        + e.command() + ": " + (text.isBlank() ? "(no error text)" : text.strip()));
            }
            throw e;
        }
    }

    private static void check(Protocol.Reader r, Consumer<Protocol.Reader> decode) {
        parse(r, x -> {
            decode.accept(x);
            return null;
        });
    }

    /** Closes the connection; calling it twice is harmless. */
    @Override
    public synchronized void close() {
        if (unusable == null) {
            unusable = "it was closed";
        }
        closeQuietly(socket);
    }

    /**
     * Sends one request and reads its whole answer within the call's deadline.
     *
     * @param extra time the command itself may take on the controller
     * @return a reader over the answer's body
     */
    private Protocol.Reader call(String command, byte[] body, Duration extra) {
        if (unusable != null) {
            throw new NanonisException(NanonisException.Kind.CONNECTION, command, command + ": the connection to "
                    + address + " is no longer usable: " + unusable);
        }
        Duration limit = timeout.plus(extra);
        long deadline = System.nanoTime() + limit.toNanos();
        String stage = "sending the request";
        try {
            byte[] header = Protocol.requestHeader(command, body.length, true);
            byte[] message = Arrays.copyOf(header, header.length + body.length);
            System.arraycopy(body, 0, message, header.length, body.length);
            socket.setSoTimeout(millis(limit));
            out.write(message);
            out.flush();
            stage = "reading the answer's header";
            byte[] h = readFully(Protocol.HEADER_BYTES, deadline);
            String name = Protocol.name(h);
            if (!name.equals(command)) {
                throw broken(new NanonisException(NanonisException.Kind.PROTOCOL, command, "asked " + address + " for "
                        + command + " but the answer is for '" + name + "'"));
            }
            int size = Protocol.bodySize(h);
            if (size < 8 || size > maxBodyBytes) {
                throw broken(new NanonisException(NanonisException.Kind.PROTOCOL, command, command + ": absurd answer size "
                        + Integer.toUnsignedString(size) + " bytes from " + address + " (expected 8 to " + maxBodyBytes + ")"));
            }
            stage = "reading the " + size + "-byte answer";
            return new Protocol.Reader(command, readFully(size, deadline));
        } catch (SocketTimeoutException e) {
            throw broken(new NanonisException(NanonisException.Kind.TIMEOUT, command, command + ": no complete answer from "
                    + address + " within " + seconds(limit) + " (" + stage + ")", e));
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw broken(new NanonisException(NanonisException.Kind.CONNECTION, command, command + ": connection to "
                    + address + " lost while " + stage + ": " + why, e));
        }
    }

    private NanonisException broken(NanonisException e) {
        unusable = e.getMessage();
        closeQuietly(socket);
        return e;
    }

    /** Reads exactly {@code n} bytes, growing the buffer only as bytes arrive. */
    private byte[] readFully(int n, long deadline) throws IOException {
        byte[] buf = new byte[Math.min(n, FIRST_CHUNK)];
        int got = 0;
        while (got < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            if (got == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            }
            int r = in.read(buf, got, buf.length - got);
            if (r < 0) {
                throw new EOFException("the controller closed the connection after " + got + " of " + n + " bytes");
            }
            got += r;
        }
        return buf;
    }

    private static int millis(Duration d) {
        if (d.isNegative() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a Nanonis wait is 0 to " + Integer.MAX_VALUE + " ms, found " + d);
        }
        return (int) d.toMillis();
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.3g s", d.toNanos() / 1e9);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is best effort: the socket is abandoned either way
        }
    }
}
