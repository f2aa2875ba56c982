package org.scanline.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Reads a view's {@code /events} the way a page's EventSource does: for tests. */
public final class SseEvents implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One event.
     *
     * @param type its {@code event:} field
     * @param id its {@code id:} field, 0 when none
     * @param data its data, parsed
     */
    public record Event(String type, long id, JsonNode data) {
    }

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final InputStream body;
    private final Thread reader;
    private final String contentType;

    private SseEvents(HttpResponse<InputStream> response) {
        this.body = response.body();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param events the view's {@code /events} address
     * @return the open stream
     */
    public static SseEvents open(URI events) {
        try {
            HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(events).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(events + " answered " + r.statusCode());
            }
            return new SseEvents(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the stream's Content-Type */
    public String contentType() {
        return contentType;
    }

    /**
     * @param last the event to stop after
     * @param timeout longest wait
     * @return every event up to and including the first that {@code last} accepts
     * @throws AssertionError when it does not come in time
     */
    public List<Event> until(Predicate<Event> last, Duration timeout) throws InterruptedException {
        List<Event> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching event within " + timeout + "; got " + got.stream().map(Event::type).toList());
            }
            got.add(e);
            if (last.test(e)) {
                return got;
            }
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String type = "message";
            long id = 0;
            StringBuilder data = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(type, id, JSON.readTree(data.toString())));
                    }
                    type = "message";
                    id = 0;
                    data.setLength(0);
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (IOException closed) {
            // the test closed the stream, or the view stopped
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // closing a stream that is already gone
        }
    }
}
