package org.scanline.nanonis;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * A misbehaving Nanonis for client tests: accepts connections on an ephemeral loopback port and
 * runs a script for each, recording every request it reads.
 */
final class ScriptedServer implements AutoCloseable {
    /** A request as received. */
    record Request(byte[] header, byte[] body) {
        String name() {
            return Protocol.name(header);
        }
    }

    /** What to do with one connection. */
    interface Script {
        void run(ScriptedServer server, InputStream in, OutputStream out) throws Exception;
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ServerSocket socket;
    private final Thread thread;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    ScriptedServer(Script script) throws IOException {
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket c = socket.accept();
                    open.add(c);
                    Thread t = new Thread(() -> {
                        try (c) {
                            script.run(this, c.getInputStream(), c.getOutputStream());
                        } catch (Exception ignored) {
                            // the test checks what the client saw
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Reads one request and records it. */
    Request read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] h = new byte[Protocol.HEADER_BYTES];
        d.readFully(h);
        byte[] b = new byte[Protocol.bodySize(h)];
        d.readFully(b);
        Request r = new Request(h, b);
        requests.add(r);
        return r;
    }

    /** Writes a response with this name and body (the body should end with an error section). */
    static void answer(OutputStream out, String name, byte[] body) throws IOException {
        out.write(header(name, body.length));
        out.write(body);
        out.flush();
    }

    /** A response header with any name bytes and any size. */
    static byte[] header(String name, int size) {
        ByteBuffer b = ByteBuffer.allocate(Protocol.HEADER_BYTES);
        b.put(name.getBytes(StandardCharsets.US_ASCII));
        b.position(Protocol.NAME_BYTES);
        b.putInt(size);
        return b.array();
    }

    /** @return an error section: status 0 and no text */
    static byte[] ok() {
        return new NanonisArgs().error(null).bytes();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
