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
import java.util.function.Function;

/**
 * A client of the Nanonis TCP programming interface, on {@code java.net} alone: the commands watching
 * a scan and conditioning a tip need, typed, and {@link #call} for any other command. Calls are serialised on one connection, as Nanonis executes the
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
 * <p>Commands and body layouts follow the "Nanonis TCP Protocol" document of June 2024 (R13742) and
 * SPECS' Python client ({@code nanonis_spm}); each typed method names its command. The protocol has no
 * {@code Scan.WaitEndOfLine}: lines are followed by polling at the line time {@link #speedGet()}
 * reports. Waits are {@link Duration}s; a negative one is sent as −1, "wait forever", and the call then
 * has no deadline of its own.
 *
 * <p>Any other command, e.g. {@code Bias.Set}:
 * <pre>{@code
 * nanonis.call("Bias.Set", Duration.ZERO, new NanonisArgs().f32(0.5f), NanonisReply::none);
 * }</pre>
 */
public final class NanonisClient implements AutoCloseable {
    /** A wait of −1: the controller waits until the operation ends, and the call has no deadline. */
    public static final Duration FOREVER = Duration.ofMillis(-1);
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

    /** @return false once a timeout, a lost connection, a broken header or {@link #close()} retired the connection */
    public synchronized boolean usable() {
        return unusable == null;
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
        return call("Scan.StatusGet", Duration.ZERO, new NanonisArgs(), r -> r.u32("the scan status") != 0);
    }

    /**
     * {@code Scan.FrameDataGrab}: the current frame of one channel; lines not acquired yet are NaN.
     *
     * @param channel channel index (for R13742 an index into the 128 signals, e.g. 14 for Z on a default setup)
     * @param forward true for the forward trace, false for the backward one
     * @return the frame
     */
    public synchronized FrameData frameDataGrab(int channel, boolean forward) {
        String command = "Scan.FrameDataGrab";
        return call(command, Duration.ZERO, new NanonisArgs().u32(channel).u32(forward ? 1 : 0), r -> {
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
        call("Scan.Action", Duration.ZERO, new NanonisArgs().u16(action.code).u32(up ? 1 : 0), NanonisReply::none);
    }

    /**
     * {@code Scan.WaitEndOfScan}: waits for the end of the scan, at most {@code wait}.
     *
     * @param wait how long the controller waits, at most {@link Integer#MAX_VALUE} ms; negative: forever
     * @return whether it timed out, and the saved file's path
     */
    public synchronized EndOfScan waitEndOfScan(Duration wait) {
        return call("Scan.WaitEndOfScan", wait, new NanonisArgs().i32(millis(wait)), r -> {
            long timedOut = r.u32("the timeout status");
            int size = r.count("the file path size", r.remaining());
            return new EndOfScan(timedOut != 0, r.bytesAsString(size, "the file path"));
        });
    }

    /**
     * {@code TipShaper.Start} with the tip shaper's current settings.
     *
     * @param waitUntilFinished true to return only when the procedure has stopped (or {@code wait} passed)
     * @param wait how long the controller waits when {@code waitUntilFinished}; negative: forever
     */
    public synchronized void tipShaperStart(boolean waitUntilFinished, Duration wait) {
        call("TipShaper.Start", waitUntilFinished ? wait : Duration.ZERO,
                new NanonisArgs().u32(waitUntilFinished ? 1 : 0).i32(millis(wait)), NanonisReply::none);
    }

    /**
     * {@code Bias.Pulse}: one bias pulse.
     *
     * @param waitUntilDone return only when the pulse has ended
     * @param width pulse duration
     * @param biasV bias during the pulse, V (absolute or relative to the bias, per {@code relative})
     * @param zHold 0 no change, 1 hold the Z controller during the pulse, 2 do not hold it
     * @param relative 0 no change, 1 relative to the current bias, 2 absolute
     */
    public synchronized void biasPulse(boolean waitUntilDone, Duration width, float biasV, int zHold, int relative) {
        call("Bias.Pulse", waitUntilDone ? width : Duration.ZERO, new NanonisArgs().u32(waitUntilDone ? 1 : 0)
                .f32(width.toNanos() / 1e9f).f32(biasV).u16(zHold).u16(relative), NanonisReply::none);
    }

    /**
     * {@code ZCtrl.Withdraw}: switches the Z controller off and withdraws the tip to the top of the Z
     * piezo range.
     *
     * @param waitUntilFinished return only when the tip is fully withdrawn (or {@code wait} passed)
     * @param wait how long the controller waits; negative: forever
     */
    public synchronized void zCtrlWithdraw(boolean waitUntilFinished, Duration wait) {
        call("ZCtrl.Withdraw", waitUntilFinished ? wait : Duration.ZERO,
                new NanonisArgs().u32(waitUntilFinished ? 1 : 0).i32(millis(wait)), NanonisReply::none);
    }

    /**
     * {@code Scan.FrameGet}.
     *
     * @return where the scan frame lies and its size
     */
    public synchronized ScanFrame frameGet() {
        return call("Scan.FrameGet", Duration.ZERO, new NanonisArgs(), r -> new ScanFrame(r.f32("the centre x"),
                r.f32("the centre y"), r.f32("the width"), r.f32("the height"), r.f32("the angle")));
    }

    /**
     * {@code Scan.FrameSet}: moves or resizes the scan frame.
     *
     * @param f the frame
     */
    public synchronized void frameSet(ScanFrame f) {
        call("Scan.FrameSet", Duration.ZERO, new NanonisArgs().f32(f.centerX()).f32(f.centerY()).f32(f.width())
                .f32(f.height()).f32(f.angle()), NanonisReply::none);
    }

    /**
     * {@code Scan.BufferGet}.
     *
     * @return the recorded channels and the frame's pixels and lines
     */
    public synchronized ScanBuffer bufferGet() {
        return call("Scan.BufferGet", Duration.ZERO, new NanonisArgs(), r -> {
            int n = r.count("the number of channels", r.remaining() / 4);
            int[] channels = r.i32s(n, "the channel indexes");
            return new ScanBuffer(channels, r.i32("the pixels"), r.i32("the lines"));
        });
    }

    /**
     * {@code Scan.SpeedGet}.
     *
     * @return the scan speeds and times per line
     */
    public synchronized ScanSpeed speedGet() {
        return call("Scan.SpeedGet", Duration.ZERO, new NanonisArgs(), r -> new ScanSpeed(r.f32("the forward speed"),
                r.f32("the backward speed"), r.f32("the forward time per line"), r.f32("the backward time per line"),
                r.u16("the constant parameter"), r.f32("the speed ratio")));
    }

    /**
     * {@code Motor.StartMove}: moves the coarse positioner.
     *
     * @param direction 0 X+, 1 X−, 2 Y+, 3 Y−, 4 Z+, 5 Z−
     * @param steps steps, 0–65535
     * @param group motor group, 0 for controllers without groups
     * @param waitUntilFinished return only when the move has ended
     * @param wait extra time the call may take when waiting
     */
    public synchronized void motorStartMove(int direction, int steps, int group, boolean waitUntilFinished, Duration wait) {
        if (direction < 0 || direction > 5 || steps < 0 || steps > 0xffff) {
            throw new IllegalArgumentException("Motor.StartMove: direction 0–5 and 0–65535 steps, found " + direction
                    + " and " + steps);
        }
        call("Motor.StartMove", waitUntilFinished ? wait : Duration.ZERO, new NanonisArgs().u32(direction).u16(steps)
                .u32(group).u32(waitUntilFinished ? 1 : 0), NanonisReply::none);
    }

    /**
     * Sends any command and decodes its answer. The decoder reads the return values; the error
     * section is then read here, strictly: an error text is an error even with status 0, and bytes
     * left over are a protocol error.
     *
     * @param command the command's name, e.g. {@code Bias.Set}
     * @param wait how long the command itself may take on the controller, on top of the call's
     *     timeout; negative for a command told to wait forever (the call then has no deadline)
     * @param args the arguments
     * @param decode reads the return values
     * @param <T> what the decoder returns
     * @return the decoded answer
     * @throws NanonisException for an error answer, a broken answer, no answer in time or a lost connection
     */
    public synchronized <T> T call(String command, Duration wait, NanonisArgs args, Function<NanonisReply, T> decode) {
        NanonisReply r = exchange(command, args.bytes(), wait);
        return parse(r, x -> {
            T value = decode.apply(x);
            x.finish();
            return value;
        });
    }

    /**
     * Decodes an answer. An answer that does not parse but is exactly an error section is the
     * controller's error without the return values: reported as that error.
     */
    private static <T> T parse(NanonisReply r, Function<NanonisReply, T> decode) {
        try {
            return decode.apply(r);
        } catch (NanonisException e) {
            String text = e.kind() == NanonisException.Kind.PROTOCOL ? r.errorOnly() : null;
            if (text != null) {
                throw new NanonisException(NanonisException.Kind.SERVER_ERROR, e.command(), "Nanonis refused "
                        + e.command() + ": " + (text.isBlank() ? "(no error text)" : text.strip()), e);
            }
            throw e;
        }
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
     * @param extra time the command itself may take on the controller; negative: no deadline
     * @return a reader over the answer's body
     */
    private NanonisReply exchange(String command, byte[] body, Duration extra) {
        if (unusable != null) {
            throw new NanonisException(NanonisException.Kind.CONNECTION, command, command + ": the connection to "
                    + address + " is no longer usable: " + unusable);
        }
        boolean forever = extra.isNegative();
        Duration limit = forever ? Duration.ofMillis(Integer.MAX_VALUE) : timeout.plus(extra);
        long deadline = forever ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        String stage = "sending the request";
        try {
            byte[] header = Protocol.requestHeader(command, body.length, true);
            byte[] message = Arrays.copyOf(header, header.length + body.length);
            System.arraycopy(body, 0, message, header.length, body.length);
            socket.setSoTimeout(forever ? 0 : millis(limit));
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
            return new NanonisReply(command, readFully(size, deadline));
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
            if (deadline != Long.MAX_VALUE) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("deadline passed");
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            }
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

    /** @return the wait in ms as the protocol's int32; −1 (forever) for a negative duration */
    private static int millis(Duration d) {
        if (d.isNegative()) {
            return -1;
        }
        if (d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a Nanonis wait is at most " + Integer.MAX_VALUE + " ms, found " + d);
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
