package org.scanline.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apiguardian.api.API;
import org.scanline.Prediction;

/**
 * A read-only page that shows a scan as it is classified, served on one address with the JDK's
 * HTTP server: {@code GET /} (the page, its {@code view.js} and {@code view.css} from the class path),
 * {@code GET /events} (server-sent events: every event of the current scan first, then each new one
 * as it happens) and {@code GET /state} (a JSON summary). Every other method is refused with 405;
 * nothing served can act on the microscope.
 *
 * <p><b>No waiting for the caller.</b> The {@link ScanListener} methods copy what they are given into
 * a bounded lock-free queue and return; when the queue is full the oldest event goes ({@link #dropped()}
 * counts them). One thread of its own levels the lines ({@link HeightImage}), writes the JSON and
 * hands it to each page; a page that reads too slowly loses its oldest events, never the caller's time.
 *
 * <pre>{@code
 * try (ScanView view = ScanView.start("127.0.0.1", 0)) {
 *     System.out.println("view: " + view.uri());
 *     view.scanStarted(new ScanListener.Started("scan 0", 128, 128, "m", classNames));
 *     // ... view.line(...) after every line, view.scanEnded(...) at the end
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ScanView implements ScanListener, AutoCloseable {
    private static final int INBOX = 4096;
    private static final int PAGE_QUEUE = 4096;
    private static final int MAX_PAGES = 16;
    private static final int KEPT_EVENTS = 1000;
    private static final long KEEP_ALIVE_MS = 15_000;
    private static final long DISPATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Object CLOSE = new Object();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService handlers;
    // lock-free, and the caller never wakes the dispatcher: it looks every DISPATCH_NANOS, so a line
    // costs the caller a copy and a queue node, never a lock or a system call
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread dispatcher;
    private final List<Page> pages = new CopyOnWriteArrayList<>();
    private final Object history = new Object();
    // what a page that opens late is sent, in order: every decision, figure and end so far, and the
    // current scan's start and lines (an earlier scan's lines are dropped when the next scan starts)
    private final List<Sent> replay = new ArrayList<>();
    private int keptEvents;
    private final ScanState state = new ScanState();
    private long seq;

    private ScanView(HttpServer server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
        this.dispatcher = new Thread(this::dispatch, "scanline-view");
        dispatcher.setDaemon(true);
    }

    /**
     * Starts serving.
     *
     * @param host the address to bind: 127.0.0.1 keeps the page on this computer
     * @param port the port, 0 for any free one ({@link #uri()} tells which)
     * @return the running view
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static ScanView start(String host, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("view: cannot serve on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ExecutorService handlers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scanline-view-http");
            t.setDaemon(true);
            return t;
        });
        ScanView view = new ScanView(server, handlers);
        server.setExecutor(handlers);
        server.createContext("/", view::serve);
        view.dispatcher.start();
        server.start();
        return view;
    }

    /** @return the page's address, e.g. {@code http://127.0.0.1:8765/} */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    /** @return events dropped because the caller produced them faster than the view could take them */
    public long dropped() {
        return dropped.get();
    }

    /** @return pages connected to {@code /events} now */
    public int pages() {
        return pages.size();
    }

    @Override
    public void scanStarted(Started s) {
        enqueue(s);
    }

    @Override
    public void line(Line l) {
        enqueue(new Line(l.line(), l.heights().clone(), l.prediction(), l.latencyNanos()));
    }

    @Override
    public void decision(Decision d) {
        enqueue(d);
    }

    @Override
    public void stats(Stats s) {
        enqueue(s);
    }

    @Override
    public void scanEnded(Ended e) {
        enqueue(e);
    }

    private void enqueue(Object event) {
        if (closed.get()) {
            return;
        }
        inbox.add(event);
        if (queued.incrementAndGet() > INBOX && inbox.poll() != null) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
        }
    }

    /**
     * Sends everything queued to the open pages, tells them the session is over, and stops serving.
     * A page keeps what it shows.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        inbox.add(CLOSE);
        LockSupport.unpark(dispatcher);
        // closing is often what an interrupt (Ctrl-C, the end of --view-keep-s) asked for: finish it, then pass the interrupt on
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((dispatcher.isAlive() || !pages.isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        server.stop(0);
        handlers.shutdownNow();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch() {
        while (!Thread.currentThread().isInterrupted()) {
            Object e = inbox.poll();
            if (e == null) {
                LockSupport.parkNanos(DISPATCH_NANOS);
                continue;
            }
            queued.decrementAndGet();
            if (e == CLOSE) {
                break;
            }
            publish(e);
        }
        synchronized (history) {
            pages.forEach(Page::close);
        }
    }

    private void publish(Object event) {
        String type;
        ObjectNode n = JSON.createObjectNode();
        if (event instanceof Started s) {
            type = "start";
            state.start(s);
            n.put("title", s.title()).put("lines", s.lines()).put("pixels", s.pixels()).put("unit", state.unit.name());
            ArrayNode classes = n.putArray("classes");
            s.classes().forEach(classes::add);
        } else if (event instanceof Line l) {
            type = "line";
            lineJson(l, n);
        } else if (event instanceof Decision d) {
            type = "decision";
            n.put("line", d.line()).put("kind", d.kind()).put("message", d.message());
        } else if (event instanceof Stats s) {
            type = "stats";
            n.put("lines", s.lines()).put("dropped", s.dropped()).put("p50_us", s.p50Nanos() / 1000)
                    .put("p99_us", s.p99Nanos() / 1000).put("latency", s.latencyMeaning());
        } else {
            type = "end";
            HeightImage.Scale sc = state.finalScale();
            n.put("summary", ((Ended) event).summary()).put("lo", sc.lo()).put("hi", sc.hi());
            labels(n, sc);
        }
        n.put("scan", state.scans).put("view_dropped", dropped.get());
        synchronized (history) {
            String message = "event: " + type + "\nid: " + (++seq) + "\ndata: " + n + "\n\n";
            boolean scanData = type.equals("start") || type.equals("line");
            if (type.equals("start")) {
                replay.removeIf(Sent::scanData);
            }
            if (!scanData && ++keptEvents > KEPT_EVENTS) {
                for (int i = 0; i < replay.size(); i++) {
                    if (!replay.get(i).scanData()) {
                        replay.remove(i);
                        keptEvents--;
                        break;
                    }
                }
            }
            replay.add(new Sent(message, scanData));
            pages.forEach(p -> p.offer(message));
        }
    }

    private void lineJson(Line l, ObjectNode n) {
        Prediction p = l.prediction();
        HeightImage.Scale sc = state.add(l.line(), l.heights());
        n.put("line", l.line()).put("lines", state.lines).put("pixels", l.heights().length);
        n.putRawValue("z", new RawValue(heights(state.rows[l.line()])));
        n.put("lo", sc.lo()).put("hi", sc.hi());
        labels(n, sc);
        n.put("class", p.className()).put("class_index", p.classIndex()).put("p", p.confidence())
                .put("uncertain", p.uncertain());
        ArrayNode probs = n.putArray("probabilities");
        for (float v : p.probabilities()) {
            probs.add(v);
        }
        ArrayNode reasons = n.putArray("reasons");
        ArrayNode words = n.putArray("reason_texts");
        Reasons.of(p).forEach(u -> {
            reasons.add(u.name());
            words.add(u.description());
        });
        p.lineState().ifPresent(s -> n.put("state", s.name()).put("state_index", s.index()).put("state_p", s.confidence()));
        p.tipChange().ifPresent(c -> n.putObject("tip_change").put("line", c.line()).put("from", c.from())
                .put("to", c.to()).put("p", c.confidence()));
        if (l.latencyNanos() >= 0) {
            n.put("latency_us", l.latencyNanos() / 1000);
        }
    }

    /**
     * @return the heights as a JSON array to 0.1 of the display unit, written by hand: a line's heights
     *     are most of the view's work, and a JSON tree of boxed doubles costs several times more
     */
    static String heights(float[] levelled) {
        StringBuilder b = new StringBuilder(levelled.length * 6 + 2).append('[');
        for (int j = 0; j < levelled.length; j++) {
            if (j > 0) {
                b.append(',');
            }
            float v = levelled[j];
            if (!Float.isFinite(v)) {
                b.append("null");
                continue;
            }
            long tenths = Math.round(v * 10.0);
            if (tenths < 0) {
                b.append('-');
                tenths = -tenths;
            }
            b.append(tenths / 10).append('.').append(tenths % 10);
        }
        return b.append(']').toString();
    }

    private static void labels(ObjectNode n, HeightImage.Scale sc) {
        n.put("unit", sc.unit().name()).put("lo_label", sc.unit().label(sc.lo())).put("hi_label", sc.unit().label(sc.hi()));
    }

    /** The current scan's levelled lines and colour scale. */
    private static final class ScanState {
        // the percentiles sort the heights so far, and a new scale makes the page repaint the whole
        // scan: so a fresh scale for each of a scan's first lines, then at most every SCALE_NANOS, from a
        // sample of at most SAMPLE heights (the scale moves little while a scan grows); the end of a
        // scan has the exact scale
        private static final int FIRST_LINES = 8;
        private static final long SCALE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
        private static final int SAMPLE = 1 << 13;
        long scaledAt;
        int scans = -1;
        int lines;
        HeightImage.Unit unit = HeightImage.Unit.of("m");
        float[][] rows = new float[0][];
        int filled;
        long heights;
        HeightImage.Scale scale = new HeightImage.Scale(0, 0, unit);

        void start(Started s) {
            scans++;
            lines = Math.max(1, s.lines());
            unit = HeightImage.Unit.of(s.unit());
            rows = new float[lines][];
            filled = 0;
            heights = 0;
            scale = new HeightImage.Scale(0, 0, unit);
        }

        HeightImage.Scale add(int line, float[] raw) {
            if (line >= rows.length) {
                rows = java.util.Arrays.copyOf(rows, line + 1);
                lines = rows.length;
            }
            rows[line] = HeightImage.levelLine(raw, unit);
            filled = Math.max(filled, line + 1);
            heights += raw.length;
            long now = System.nanoTime();
            if (line < FIRST_LINES || now - scaledAt >= SCALE_NANOS) {
                scaledAt = now;
                scale = scale((int) (heights / SAMPLE + 1));
            }
            return scale;
        }

        HeightImage.Scale finalScale() {
            return scale(1);
        }

        private HeightImage.Scale scale(int stride) {
            float[][] present = java.util.Arrays.stream(rows, 0, filled).filter(r -> r != null).toArray(float[][]::new);
            return HeightImage.scale(present, present.length, unit, stride);
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                send(ex, 405, "text/plain", "read-only: GET only\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/", "/index.html" -> asset(ex, "index.html", "text/html; charset=utf-8");
                case "/view.js" -> asset(ex, "view.js", "text/javascript; charset=utf-8");
                case "/view.css" -> asset(ex, "view.css", "text/css; charset=utf-8");
                case "/state" -> send(ex, 200, "application/json", stateJson().getBytes(StandardCharsets.UTF_8));
                case "/events" -> events(ex);
                default -> send(ex, 404, "text/plain", ("no " + path + " here\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private String stateJson() {
        ObjectNode n = JSON.createObjectNode();
        synchronized (history) {
            n.put("scan", state.scans).put("lines_received", state.filled).put("lines", state.lines)
                    .put("pages", pages.size()).put("view_dropped", dropped.get()).put("events", seq);
        }
        return n.toString();
    }

    private static void asset(HttpExchange ex, String name, String type) throws IOException {
        try (InputStream in = ScanView.class.getResourceAsStream(name)) {
            if (in == null) {
                send(ex, 500, "text/plain", ("missing resource " + name + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            // the page loads nothing but its own files: no CDN, nothing from the internet
            ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'");
            send(ex, 200, type, in.readAllBytes());
        }
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void events(HttpExchange ex) throws IOException {
        Page page = new Page();
        synchronized (history) {
            if (pages.size() >= MAX_PAGES || closed.get()) {
                send(ex, 503, "text/plain", "too many pages open, or the view is closing\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            page.replay("event: hello\ndata: {\"events\":" + seq + "}\n\n", replay);
            pages.add(page);
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            StringBuilder batch = new StringBuilder();
            while (true) {
                // everything queued in one write: one system call per page and wake-up, not per event
                boolean open = page.drain(batch, KEEP_ALIVE_MS);
                if (!open) {
                    batch.append("event: bye\ndata: {}\n\n");
                }
                out.write((batch.length() == 0 ? ": keep-alive\n\n" : batch.toString()).getBytes(StandardCharsets.UTF_8));
                out.flush();
                batch.setLength(0);
                if (!open) {
                    break;
                }
            }
            out.close();
        } catch (IOException gone) {
            // the page was closed: nothing to do but forget it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pages.remove(page);
        }
    }

    /** An event as sent, and whether it belongs to the current scan's picture (its start and lines). */
    private record Sent(String message, boolean scanData) {
    }

    /** One open page's queue: bounded, the oldest event dropped when the page reads too slowly. */
    private static final class Page {
        private final java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>();
        private boolean closed;

        synchronized void replay(String hello, List<Sent> replay) {
            queue.add(hello);
            replay.forEach(r -> queue.add(r.message()));
        }

        synchronized void offer(String m) {
            if (queue.size() >= PAGE_QUEUE) {
                queue.poll();
            }
            queue.add(m);
            notifyAll();
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }

        /**
         * Moves every queued event into {@code into}, waiting up to {@code ms} for one.
         *
         * @return false once the page is closed and everything has been handed out
         */
        synchronized boolean drain(StringBuilder into, long ms) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofMillis(ms).toNanos();
            while (queue.isEmpty() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            for (String m = queue.poll(); m != null; m = queue.poll()) {
                into.append(m);
            }
            return !closed;
        }
    }
}
