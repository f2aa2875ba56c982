package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.nanonis.SimulatedNanonis;
import org.scanline.view.HeightImage;

/**
 * A real headless Chromium (Debian's {@code chromium}) on {@code watch --view} against {@code nanonis-sim}
 * and on {@code demo --view}: it waits for the run to finish and checks the page's DOM, then takes the
 * screenshots of docs/embedding.md ({@code -Dview.screenshots=DIR}, default {@code target/view-screenshots};
 * {@code -Dview.screenshots=../docs/images} refreshes the docs'). Skipped, with the reason, where no
 * chromium is on the PATH, as on CI.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BrowserViewTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Path SHIPPED = Path.of("../models/hsi100-causal-v4/model.onnx");
    static final List<String> CLASSES = List.of("individual atoms", "asymmetries/dimers", "rows", "generic defects");
    Path chromium;

    @TempDir
    Path dir;

    @BeforeEach
    void chromium() {
        chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium != null, "no chromium on the PATH: the browser check of --view needs Debian's "
                + "chromium package (apt-get install -y chromium)");
        Assumptions.assumeTrue(Files.exists(SHIPPED), "the shipped model is not at " + SHIPPED.toAbsolutePath());
    }

    static Path screenshots() {
        return Path.of(System.getProperty("view.screenshots", "target/view-screenshots"));
    }

    @Test
    void chromiumShowsTheGrowingScanOfWatchViewWithItsPredictionsAndDecisions() throws Exception {
        // the tip of seed 11 turns blunt during the first frame: a tip change, a bad class, a report
        SimulatedNanonis.Config config = SimulatedNanonis.Config.builder().seed(11).lines(128).pixels(128).degradePerLine(0.012)
                .lockstep(true).lineTime(Duration.ofMillis(10)).build();
        try (HeadlessChromium browser = HeadlessChromium.launch(chromium, 1500, 1000);
             SimulatedNanonis sim = SimulatedNanonis.start(config, "127.0.0.1", 0);
             LiveCli watch = LiveCli.start("watch", "--nanonis", "127.0.0.1:" + sim.port(), "--poll-ms", "5", "--quiet",
                     "--bad-class", "rows,generic defects", "--confidence", "0.7", "--trigger", "class,tip-change",
                     "--log", dir.resolve("w.jsonl").toString(), "--view", "--view-port", "0", "--view-keep-s", "60",
                     SHIPPED.toString())) {
            browser.navigate(URI.create(watch.await(ViewCommandsTest.URL, WAIT)));
            browser.await("document.getElementById('session').textContent !== '–'", WAIT);
            assertEquals(128, browser.eval("+document.getElementById('scan').dataset.linesDrawn").asInt(), "lines drawn");
            assertEquals(128, browser.eval("document.querySelectorAll('#lines tr.line').length").asInt());
            assertShowsClasses(browser);
            JsonNode kinds = browser.eval("[...document.querySelectorAll('#timeline li.decision')].map(li => li.dataset.kind)");
            assertEquals("start", kinds.get(0).asText(), kinds.toString());
            assertTrue(browser.eval("document.getElementById('hi').textContent").asText().endsWith(" pm"));
            assertSameRamp(browser);
            browser.screenshot(screenshots().resolve("watch-view.png"));
            assertEquals(0, watch.stop(WAIT), watch.out() + watch.err());
            browser.await("document.body.dataset.finished === 'true'", WAIT);
        }
    }

    @Test
    void chromiumShowsEveryScanOfDemoView() throws Exception {
        Path noScans = Files.createDirectories(dir.resolve("no-sxm"));
        try (HeadlessChromium browser = HeadlessChromium.launch(chromium, 1500, 1000);
             LiveCli demo = LiveCli.start("demo", "--per-class", "1", "--sxm", noScans.toString(), "--out",
                     dir.resolve("out").toString(), "--view", "--view-port", "0", "--view-line-ms", "5")) {
            browser.navigate(URI.create(demo.await(ViewCommandsTest.URL, WAIT)));
            // four held-out scans, then the microscope step's frame at 128 and 512 px and its other surface
            browser.await("document.querySelectorAll('#scans li.scan-end').length === 7", WAIT);
            assertEquals(128, browser.eval("+document.getElementById('scan').dataset.linesDrawn").asInt());
            assertShowsClasses(browser);
            JsonNode kinds = browser.eval("[...document.querySelectorAll('#timeline li.decision')].map(li => li.dataset.kind)");
            assertTrue(kinds.toString().contains("confident"), kinds.toString());
            JsonNode ended = browser.eval("[...document.querySelectorAll('#scans li.scan-end')].map(li => li.textContent)");
            assertTrue(ended.toString().contains("held-out scan 3, true class: generic defects"), ended.toString());
            assertTrue(ended.toString().contains("frame-512px.sxm"), ended.toString());
            assertTrue(browser.eval("document.getElementById('title').textContent").asText()
                    .startsWith("amorphous.sxm"));
            browser.screenshot(screenshots().resolve("demo-view.png"));
            assertEquals(0, demo.stop(WAIT), demo.out() + demo.err());
        }
    }

    private static void assertShowsClasses(HeadlessChromium browser) throws Exception {
        JsonNode shown = browser.eval("[...new Set([...document.querySelectorAll('#lines tr.line td.class')]"
                + ".map(td => td.textContent))]");
        assertTrue(shown.size() >= 1, shown.toString());
        shown.forEach(c -> assertTrue(CLASSES.contains(c.asText()), c + " is a class of the model"));
        JsonNode legend = browser.eval("[...document.querySelectorAll('#legend li')].map(li => li.textContent)");
        assertEquals(CLASSES.toString(), toList(legend).toString());
    }

    /** The page paints with HeightImage's ramp, so the page and the demo's PNGs show the same colours. */
    private static void assertSameRamp(HeadlessChromium browser) throws Exception {
        JsonNode js = browser.eval("[0, 0.1, 0.25, 0.3333, 0.5, 0.7, 0.75, 0.9, 1].map(x => afmhot(x))");
        double[] xs = {0, 0.1, 0.25, 0.3333, 0.5, 0.7, 0.75, 0.9, 1};
        for (int i = 0; i < xs.length; i++) {
            int rgb = HeightImage.afmhot(xs[i]);
            assertEquals(List.of(rgb >> 16, (rgb >> 8) & 255, rgb & 255), toList(js.get(i)).stream().map(Integer::parseInt)
                    .toList(), "afmhot(" + xs[i] + ")");
        }
    }

    private static List<String> toList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
