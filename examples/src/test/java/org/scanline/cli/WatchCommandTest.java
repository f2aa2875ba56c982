package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.nanonis.SimulatedFaults;
import org.scanline.nanonis.SimulatedNanonis;
import org.scanline.nanonis.TinyModel;

/** {@code scanline watch} and {@code scanline nanonis-sim} through the command line, with a tiny real model. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WatchCommandTest {
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void model() {
        model = TinyModel.get();
    }

    static SimulatedNanonis.Config.Builder sim() {
        return SimulatedNanonis.Config.builder().seed(2).lines(24).pixels(64).degradePerLine(0);
    }

    @Test
    void watchClassifiesEveryLineLogsItAndEndsWithTheScan() throws Exception {
        Path log = dir.resolve("watch.jsonl");
        // lockstep: the scan cannot end before watch has connected, however slowly the model loads
        SimulatedNanonis.Config config = sim().lockstep(true).lineTime(Duration.ofMillis(5)).build();
        try (SimulatedNanonis s = SimulatedNanonis.start(config, "127.0.0.1", 0)) {
            CliRunner r = CliRunner.run("watch", "--nanonis", "127.0.0.1:" + s.port(), "--poll-ms", "2", "--log",
                    log.toString(), model.toString());
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("watching 127.0.0.1:" + s.port() + " (a scan is running)"), r.out());
            assertTrue(r.out().contains("frame  line  predicted"), r.out());
            assertTrue(r.out().contains("1 frames, 24 lines classified"), r.out());
            assertTrue(r.out().contains("latency, line acquired → decision"), r.out());
            assertTrue(r.out().contains("decision log: " + log), r.out());
            assertTrue(s.stats().commands().isEmpty(), "report only by default");
        }
        List<JsonNode> records = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (String l : Files.readAllLines(log)) {
            records.add(m.readTree(l));
        }
        assertEquals("start", records.get(0).get("type").asText());
        assertEquals(List.of("a", "b", "c"), m.convertValue(records.get(0).get("classes"), List.class));
        assertEquals("report", records.get(0).get("action").asText());
        assertEquals(24, records.stream().filter(n -> n.get("type").asText().equals("line")).count());
        assertEquals(24, records.get(records.size() - 1).get("lines").asInt());
    }

    @Test
    void aControllerRestartMidScanEndsWithTheWholeScanClassifiedAndExit0() {
        SimulatedNanonis.Config config = sim().lockstep(true).lineTime(Duration.ZERO).build();
        SimulatedFaults faults = SimulatedFaults.builder().restartAtLine(10).downTime(Duration.ofMillis(300)).build();
        try (SimulatedNanonis s = SimulatedNanonis.start(config, faults, "127.0.0.1", 0)) {
            CliRunner r = CliRunner.run("watch", "--nanonis", "127.0.0.1:" + s.port(), "--poll-ms", "1", "--quiet",
                    "--log", dir.resolve("r.jsonl").toString(), model.toString());
            assertEquals(0, r.code(), r.out() + r.err());
            assertEquals(1, s.restarts());
            assertTrue(r.out().contains("1 frames, 24 lines classified"), r.out());
            assertTrue(r.out().contains("connected again to 127.0.0.1:" + s.port()), r.out());
            assertTrue(r.out().contains("lines not read: 0; reconnections: "), r.out());
        }
    }

    @Test
    void conditioningThroughTheCommandLineStopsShapesRestartsAndGivesUpAtTheLimit() {
        SimulatedNanonis.Config config = sim().lockstep(true).lineTime(Duration.ZERO).shaperTime(Duration.ZERO).build();
        try (SimulatedNanonis s = SimulatedNanonis.start(config, "127.0.0.1", 0)) {
            // every class bad: p(a + b + c) = 1, so the policy fires as soon as it may, at line 2
            CliRunner r = CliRunner.run("watch", "--nanonis", "127.0.0.1:" + s.port(), "--poll-ms", "1", "--bad-class",
                    "a,b,c", "--confidence", "0.34", "--min-lines", "3", "--action", "condition", "--max-conditioning", "2",
                    "--ladder", "shaper", "--grace-lines", "0", "--confirm-lines", "1",
                    "--quiet", "--log", dir.resolve("c.jsonl").toString(), model.toString());
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("tip shaper done"), r.out());
            assertTrue(r.out().contains("→ condition") && r.out().contains("recovery budget reached"), r.out());
            assertTrue(r.out().contains("3 frames, 9 lines classified") && r.out().contains("2 recovery steps"), r.out());
            assertEquals(List.of("Scan.Action stop", "TipShaper.Start wait=true timeout=60000", "Scan.Action start up",
                    "Scan.Action stop", "TipShaper.Start wait=true timeout=60000", "Scan.Action start up", "Scan.Action stop",
                    "ZCtrl.Withdraw"), s.stats().commands());
            assertEquals(3, r.out().lines().filter(l -> l.matches("\\s+\\d+\\s+\\d+\\s+.*")).count(),
                    "--quiet prints only the lines with an action: " + r.out());
        }
    }

    @Test
    void mistakesAreOneLineMessagesNotStackTraces() throws Exception {
        int free;
        try (ServerSocket sock = new ServerSocket(0)) {
            free = sock.getLocalPort();
        }
        String nanonis = "127.0.0.1:" + free;
        String[][] cases = {
            {"expected HOST:PORT", "watch", "--nanonis", "localhost", model.toString()},
            {"cannot connect to Nanonis at " + nanonis, "watch", "--nanonis", nanonis, "--timeout-s", "1", model.toString()},
            {"needs a model with a tip-state head", "watch", "--nanonis", nanonis, "--trigger", "tip-change", model.toString()},
            {"the model has no class 'zebra'", "watch", "--nanonis", nanonis, "--bad-class", "zebra", model.toString()},
            {"--action: expected report, stop or condition", "watch", "--nanonis", nanonis, "--action", "explode",
                model.toString()},
            {"nope.onnx", "watch", "--nanonis", nanonis, dir.resolve("nope.onnx").toString()},
            {"--bad-class: expected one of", "nanonis-sim", "--bad-class", "zebra"},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            CliRunner r = CliRunner.run(args);
            assertEquals(1, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
            assertTrue(r.err().contains(c[0]), c[0] + " in: " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace without -v: " + r.err());
        }
        String[] verbose = {"watch", "-v", "--nanonis", nanonis, "--timeout-s", "1", model.toString()};
        CliRunner v = CliRunner.run(verbose);
        assertEquals(1, v.code());
        assertTrue(v.err().contains("\tat org.scanline.nanonis.NanonisClient"), v.err());
    }

    @Test
    void theSimulatedServerRunsFromTheCommandLine() {
        CliRunner r = CliRunner.run("nanonis-sim", "--port", "0", "--lines", "24", "--pixels", "16", "--line-time-ms", "5",
                "--duration-s", "0.4", "--degrade", "0.5");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("simulated Nanonis on 127.0.0.1:"), r.out());
        assertTrue(r.out().contains("tip BAD"), "the tip turns at p = 0.5 per line: " + r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("nanonis-sim: \\d+ lines in 1 frames, \\d+ with a bad tip.*")),
                r.out());
    }
}
