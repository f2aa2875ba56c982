package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.dataset.Datasets;
import org.scanline.dataset.ScanArrays;
import org.scanline.nanonis.SimulatedNanonis;
import org.scanline.nanonis.TinyModel;
import org.scanline.view.HeightImage;
import org.scanline.view.SseEvents;

/** {@code watch --view} against {@code nanonis-sim}, and {@code demo --view}: the page's endpoints and event stream. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ViewCommandsTest {
    static final Pattern URL = Pattern.compile("view: (http://\\S+/) ");
    static final Duration WAIT = Duration.ofSeconds(60);
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void model() {
        model = TinyModel.get();
    }

    static SimulatedNanonis.Config.Builder sim() {
        return SimulatedNanonis.Config.builder().seed(2).lines(24).pixels(64).degradePerLine(0).lockstep(true);
    }

    static List<String> types(List<SseEvents.Event> events) {
        return events.stream().map(SseEvents.Event::type).toList();
    }

    @Test
    void watchViewStreamsEveryLineOfTheFrameLevelledInPicometresAndEndsWithTheSessionsFigures() throws Exception {
        Path log = dir.resolve("watch.jsonl");
        try (SimulatedNanonis s = SimulatedNanonis.start(sim().lineTime(Duration.ofMillis(5)).build(), "127.0.0.1", 0);
             LiveCli watch = LiveCli.start("watch", "--nanonis", "127.0.0.1:" + s.port(), "--poll-ms", "2", "--log",
                     log.toString(), "--view", "--view-port", "0", "--view-keep-s", "60", model.toString())) {
            URI page = URI.create(watch.await(URL, WAIT));
            assertEquals("127.0.0.1", page.getHost(), "bound to this computer only by default");
            HttpResponse<String> html = HttpClient.newHttpClient().send(HttpRequest.newBuilder(page).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(html.statusCode() == 200 && html.body().contains("id=\"scan\""), html.body());
            List<SseEvents.Event> got;
            try (SseEvents events = SseEvents.open(page.resolve("events"))) {
                got = events.until(e -> e.type().equals("stats"), WAIT);
            }
            JsonNode start = got.stream().filter(e -> e.type().equals("start")).findFirst()
                    .orElseThrow(() -> new AssertionError(got.toString())).data();
            assertEquals(24, start.get("lines").asInt());
            assertEquals(64, start.get("pixels").asInt());
            assertEquals("pm", start.get("unit").asText(), "the simulator's Z (m) is drawn in pm");
            assertTrue(start.get("title").asText().startsWith("frame 0: Z (m)"), start.toString());
            List<JsonNode> lines = got.stream().filter(e -> e.type().equals("line")).map(SseEvents.Event::data).toList();
            assertEquals(24, lines.size());
            for (int l = 0; l < 24; l++) {
                JsonNode d = lines.get(l);
                assertEquals(l, d.get("line").asInt());
                assertEquals(64, d.get("z").size());
                assertTrue(Set.of("a", "b", "c").contains(d.get("class").asText()), d.toString());
                assertTrue(d.get("p").asDouble() > 0 && d.get("p").asDouble() <= 1, d.toString());
            }
            assertTrue(lines.stream().anyMatch(d -> d.has("latency_us")), "lines after the first poll have a latency");
            JsonNode watching = got.stream().filter(e -> e.type().equals("decision")).findFirst().orElseThrow().data();
            assertEquals("start", watching.get("kind").asText());
            assertTrue(watching.get("message").asText().startsWith("watching 127.0.0.1:" + s.port()), watching.toString());
            assertEquals("frame 0: 24 lines classified", got.get(got.size() - 2).data().get("summary").asText());
            JsonNode stats = got.get(got.size() - 1).data();
            assertEquals(24, stats.get("lines").asInt());
            assertEquals("line acquired → decision (upper bound)", stats.get("latency").asText());
            assertEquals(0, watch.stop(WAIT), watch.out() + watch.err());
            assertTrue(watch.out().contains("1 frames, 24 lines classified"), watch.out());
            assertEquals(24, Files.readAllLines(log).stream().filter(l -> l.contains("\"type\":\"line\"")).count(),
                    "the decision log is the same with a view");
        }
    }

    @Test
    void thePolicysActionsAndTheWatchersEventsAreTheTimelineOfAPageOpenedLate() throws Exception {
        SimulatedNanonis.Config config = sim().lineTime(Duration.ZERO).shaperTime(Duration.ZERO).build();
        try (SimulatedNanonis s = SimulatedNanonis.start(config, "127.0.0.1", 0);
             LiveCli watch = LiveCli.start("watch", "--nanonis", "127.0.0.1:" + s.port(), "--poll-ms", "1", "--bad-class",
                     "a,b,c", "--confidence", "0.34", "--min-lines", "3", "--action", "condition", "--max-conditioning",
                     "2", "--ladder", "shaper", "--grace-lines", "0", "--confirm-lines", "1", "--quiet", "--log",
                     dir.resolve("c.jsonl").toString(), "--view", "--view-port", "0", "--view-keep-s", "60",
                     model.toString())) {
            URI page = URI.create(watch.await(URL, WAIT));
            watch.await(Pattern.compile("(3 frames, 9 lines classified)"), WAIT);
            List<SseEvents.Event> got;
            try (SseEvents events = SseEvents.open(page.resolve("events"))) {
                got = events.until(e -> e.type().equals("end") && e.data().get("scan").asInt() == 2, WAIT);
            }
            List<String> kinds = got.stream().filter(e -> e.type().equals("decision"))
                    .map(e -> e.data().get("kind").asText()).filter(k -> !k.equals("note") && !k.equals("frame")).toList();
            assertEquals(List.of("start", "condition", "stop", "shaper", "restart", "confirm", "condition", "stop", "shaper",
                    "restart", "confirm", "condition", "safe", "stop"), kinds, got.toString());
            assertEquals(List.of("frame 0: 3 lines classified", "frame 1: 3 lines classified", "frame 2: 3 lines classified"),
                    got.stream().filter(e -> e.type().equals("end")).map(e -> e.data().get("summary").asText()).toList());
            JsonNode start = got.stream().filter(e -> e.type().equals("start")).findFirst().orElseThrow().data();
            assertTrue(start.get("title").asText().startsWith("frame 2"), "the replay holds the last frame only: " + start);
            assertEquals(List.of(2, 2, 2), got.stream().filter(e -> e.type().equals("line"))
                    .map(e -> e.data().get("scan").asInt()).toList());
            assertEquals(2, watch.stop(WAIT), "the recovery budget's exit code, view or not");
        }
    }

    @Test
    void demoViewShowsEveryScanAndItsFinalScaleIsThePngs() throws Exception {
        Path out = dir.resolve("demo-out");
        Path noScans = Files.createDirectories(dir.resolve("no-sxm"));
        try (LiveCli demo = LiveCli.start("demo", "--per-class", "1", "--sxm", noScans.toString(), "--out", out.toString(),
                "--view", "--view-port", "0", "--view-line-ms", "0")) {
            URI page = URI.create(demo.await(URL, WAIT));
            List<SseEvents.Event> got;
            try (SseEvents events = SseEvents.open(page.resolve("events"))) {
                got = events.until(e -> e.type().equals("end") && e.data().get("scan").asInt() == 3, WAIT);
            }
            List<JsonNode> ends = got.stream().filter(e -> e.type().equals("end")).map(SseEvents.Event::data).toList();
            assertEquals(4, ends.size(), "one scan per class: " + types(got));
            assertTrue(ends.get(3).get("summary").asText().startsWith("held-out scan 3, true class: generic defects: "),
                    ends.get(3).toString());
            demo.await(Pattern.compile("(view: still serving)"), WAIT);
            long changes = demo.out().lines().filter(l -> l.startsWith("tip changes reported: ") && !l.endsWith("none"))
                    .mapToLong(l -> l.split(";").length).sum();
            assertEquals(changes, got.stream().filter(e -> e.type().equals("decision")
                    && e.data().get("kind").asText().equals("tip-change")).count(), "every tip change reported is on the timeline");
            String heldOut = demo.out().split("\n== 2/")[0];
            long neverConfident = heldOut.lines().filter(l -> l.contains("never confident")).count();
            assertEquals(4 - neverConfident, got.stream().filter(e -> e.type().equals("decision")
                    && e.data().get("kind").asText().equals("confident")).count(),
                    "the first confident line of each held-out scan that has one");
            ScanArrays a = Datasets.load(out.resolve("held-out.npz"));
            HeightImage.Unit pm = HeightImage.Unit.of("m");
            HeightImage.Scale png = HeightImage.scale(HeightImage.level(ScanFiles.lines(a, 3), pm), a.lines(), pm);
            assertEquals(png.lo(), ends.get(3).get("lo").asDouble(), 1e-3, "the page ends on the PNG's colour scale");
            assertEquals(png.hi(), ends.get(3).get("hi").asDouble(), 1e-3);
            assertTrue(Files.exists(out.resolve("scan-3-generic-defects.png")));
            assertEquals(0, demo.stop(WAIT), demo.out() + demo.err());
            Set<String> printed = demo.out().lines().filter(l -> l.startsWith("wrote ")).collect(Collectors.toSet());
            // the four held-out scans, and the microscope step's frame at 128 and 512 px and its other surface
            assertEquals(4 + 3, printed.size(), demo.out());
            assertTrue(printed.stream().anyMatch(l -> l.endsWith("frame-512px.png")), demo.out());
        }
    }
}
