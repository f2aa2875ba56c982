package org.scanline.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scanline.LineState;
import org.scanline.Prediction;
import org.scanline.TipChange;
import org.scanline.Uncertainty;

/** {@link ScanView}'s endpoints and event stream, fed by hand. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScanViewTest {
    private static final List<String> CLASSES = List.of("good", "blunt");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static float[] line(int l, int pixels) {
        float[] v = new float[pixels];
        for (int j = 0; j < pixels; j++) {
            v[j] = (float) (1e-9 * l + 3e-11 * j + 40e-12 * Math.sin(j + l));
        }
        return v;
    }

    private static Prediction prediction(int l, boolean uncertain, boolean change) {
        return prediction(l, uncertain ? Set.of(Uncertainty.LOW_CONFIDENCE) : Set.of(), change);
    }

    private static Prediction prediction(int l, Set<Uncertainty> reasons, boolean change) {
        return new Prediction(l % 2, CLASSES.get(l % 2), new float[] {0.7f, 0.3f}, l + 1,
                Optional.of(new LineState(1, "blunt", new float[] {0.2f, 0.8f})),
                change ? Optional.of(new TipChange(l - 2, l, "good", "blunt", 0.8f)) : Optional.empty(), reasons);
    }

    private static void feedScan(ScanView v, String title, int lines, int pixels) {
        v.scanStarted(new ScanListener.Started(title, lines, pixels, "m", CLASSES));
        for (int l = 0; l < lines; l++) {
            Set<Uncertainty> reasons = l == 5 ? Set.of(Uncertainty.UNKNOWN_SURFACE, Uncertainty.SAMPLING)
                    : l < 2 ? Set.of(Uncertainty.LOW_CONFIDENCE) : Set.of();
            v.line(new ScanListener.Line(l, line(l, pixels), prediction(l, reasons, l == 4), 1000L * l));
        }
        v.decision(new ScanListener.Decision(4, "confirm", "tip change good → blunt from line 2"));
        v.stats(new ScanListener.Stats(lines, 0, 2000, 5000, "push per line"));
        v.scanEnded(new ScanListener.Ended(title + " done"));
    }

    @Test
    void everyEventOfAScanReachesAPageInOrderWithItsLinesLevelledInPicometres() throws Exception {
        try (ScanView v = ScanView.start("127.0.0.1", 0); SseEvents page = SseEvents.open(v.uri().resolve("events"))) {
            assertTrue(page.contentType().startsWith("text/event-stream"), page.contentType());
            page.until(e -> e.type().equals("hello"), WAIT);
            feedScan(v, "scan A", 6, 32);
            List<SseEvents.Event> got = page.until(e -> e.type().equals("end"), WAIT);
            assertEquals(List.of("start", "line", "line", "line", "line", "line", "line", "decision", "stats", "end"),
                    got.stream().map(SseEvents.Event::type).toList());
            for (int i = 1; i < got.size(); i++) {
                assertEquals(got.get(i - 1).id() + 1, got.get(i).id(), "ids count up without gaps");
            }
            JsonNode start = got.get(0).data();
            assertEquals("scan A", start.get("title").asText());
            assertEquals(6, start.get("lines").asInt());
            assertEquals("pm", start.get("unit").asText());
            float[][] levelled = new float[6][];
            for (int l = 0; l < 6; l++) {
                JsonNode d = got.get(1 + l).data();
                levelled[l] = HeightImage.levelLine(line(l, 32), HeightImage.Unit.of("m"));
                assertEquals(l, d.get("line").asInt());
                assertEquals(32, d.get("z").size());
                for (int j = 0; j < 32; j++) {
                    assertEquals(levelled[l][j], d.get("z").get(j).asDouble(), 0.05, "the page draws HeightImage's heights");
                }
                assertEquals(CLASSES.get(l % 2), d.get("class").asText());
                assertEquals(l < 2 || l == 5, d.get("uncertain").asBoolean());
                String reasons = l == 5 ? "[\"SAMPLING\",\"UNKNOWN_SURFACE\"]" : l < 2 ? "[\"LOW_CONFIDENCE\"]" : "[]";
                assertEquals(reasons, d.get("reasons").toString(), "every reason, in Uncertainty's order");
                assertEquals(l < 2 ? "[\"low confidence\"]" : l == 5 ? "[\"sampling outside the model's range\","
                        + "\"not a surface the model knows\"]" : "[]", d.get("reason_texts").toString());
                assertEquals("blunt", d.get("state").asText());
                assertEquals(l, d.get("latency_us").asInt());
                assertEquals(l == 4, d.has("tip_change"));
            }
            HeightImage.Scale scale = HeightImage.scale(levelled, 6, HeightImage.Unit.of("m"));
            JsonNode end = got.get(got.size() - 1).data();
            assertEquals(scale.lo(), end.get("lo").asDouble(), 1e-6, "the page's final scale is the PNG's");
            assertEquals(scale.hi(), end.get("hi").asDouble(), 1e-6);
            assertEquals(scale.unit().label(scale.hi()), end.get("hi_label").asText());
            assertEquals("confirm", got.get(7).data().get("kind").asText());
            assertEquals(5, got.get(8).data().get("p99_us").asInt());
        }
    }

    @Test
    void heightsAreWrittenToATenthOfTheDisplayUnitAndMissingOnesAsNull() {
        assertEquals("[0.0,-12.3,12.4,-0.1,null,1500.0]",
                ScanView.heights(new float[] {0, -12.34f, 12.35f, -0.06f, Float.NaN, 1500}));
        assertEquals("[]", ScanView.heights(new float[0]));
    }

    @Test
    void aPageOpenedLateGetsTheCurrentScanAndEveryDecisionButNotTheLinesOfEarlierScans() throws Exception {
        try (ScanView v = ScanView.start("127.0.0.1", 0)) {
            feedScan(v, "first", 5, 8);
            v.scanStarted(new ScanListener.Started("second", 4, 8, "m", CLASSES));
            v.line(new ScanListener.Line(0, line(0, 8), prediction(0, true, false), -1));
            awaitEvents(v, 11);
            try (SseEvents page = SseEvents.open(v.uri().resolve("events"))) {
                List<SseEvents.Event> got = page.until(e -> e.type().equals("line"), WAIT);
                assertEquals(List.of("hello", "decision", "stats", "end", "start", "line"),
                        got.stream().map(SseEvents.Event::type).toList());
                List<Long> ids = got.stream().skip(1).map(SseEvents.Event::id).toList();
                assertEquals(ids.stream().sorted().toList(), ids, "in the order they happened");
                assertEquals("second", got.get(4).data().get("title").asText());
                assertFalse(got.get(5).data().has("latency_us"), "an unknown latency is left out");
                assertEquals(11, got.get(0).data().get("events").asInt(), "hello says how far the replay goes");
            }
        }
    }

    @Test
    void onlyGetIsAnsweredAndThePageLoadsNothingFromElsewhere() throws Exception {
        try (ScanView v = ScanView.start("127.0.0.1", 0)) {
            assertEquals("127.0.0.1", v.uri().getHost());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(v.uri()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script src=\"view.js\"") && page.body().contains("view.css"), page.body());
            assertFalse(page.body().contains("http://") || page.body().contains("https://"), "no CDN: " + page.body());
            assertEquals("default-src 'self'", page.headers().firstValue("Content-Security-Policy").orElse(""));
            for (String asset : List.of("view.js", "view.css")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(v.uri().resolve(asset)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), asset);
                assertFalse(r.body().contains("http://") || r.body().contains("https://"), asset + " fetches nothing");
            }
            assertEquals(404, http.send(HttpRequest.newBuilder(v.uri().resolve("scan/stop")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            for (String method : List.of("POST", "PUT", "DELETE")) {
                for (String path : List.of("", "events", "state")) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(v.uri().resolve(path))
                            .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(405, r.statusCode(), method + " /" + path);
                    assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
                }
            }
            String state = http.send(HttpRequest.newBuilder(v.uri().resolve("state")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(state.contains("\"pages\":0") && state.contains("\"scan\":-1"), state);
        }
    }

    @Test
    void aPageThatNeverReadsNeitherBlocksTheCallerNorKeepsTheViewFromClosing() throws Exception {
        ScanView v = ScanView.start("127.0.0.1", 0);
        try (Socket stuck = new Socket("127.0.0.1", v.uri().getPort())) {
            OutputStream o = stuck.getOutputStream();
            o.write(("GET /events HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            awaitPages(v, 1);
            int lines = 512;
            float[] heights = line(0, lines);
            long worst = 0;
            for (int scan = 0; scan < 6; scan++) {
                v.scanStarted(new ScanListener.Started("flood " + scan, lines, lines, "m", CLASSES));
                for (int l = 0; l < lines; l++) {
                    long t0 = System.nanoTime();
                    v.line(new ScanListener.Line(l, heights, prediction(l, false, false), 0));
                    worst = Math.max(worst, System.nanoTime() - t0);
                }
            }
            // megabytes of events the page never reads: its queue drops the oldest instead of growing or waiting
            assertTrue(worst < 1_000_000_000L, "a call took " + worst / 1e6 + " ms");
            long t0 = System.nanoTime();
            v.close();
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "closing does not wait on the stuck page for long");
        }
    }

    private static void awaitEvents(ScanView v, int events) throws Exception {
        awaitState(v, "\"events\":" + events);
    }

    private static void awaitPages(ScanView v, int pages) throws Exception {
        awaitState(v, "\"pages\":" + pages);
    }

    private static void awaitState(ScanView v, String what) throws Exception {
        URI state = v.uri().resolve("state");
        HttpClient http = HttpClient.newHttpClient();
        String last = "";
        for (int i = 0; i < 500; i++) {
            last = http.send(HttpRequest.newBuilder(state).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (last.contains(what)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + what + " in " + last);
    }
}
