package org.scanline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scanline.Architecture;
import org.scanline.BadConfigException;
import org.scanline.BadModelException;
import org.scanline.ModelFormat;
import org.scanline.ModelInfo;
import org.scanline.Normalizer;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanLineClassifier.Options;
import org.scanline.ScanLineClassifier.Options.Workload;

class OptionsAndMetadataTest {

    static Map<String, String> props() {
        Map<String, String> p = new HashMap<>();
        p.put("scanline.format", "1");
        p.put("scanline.architecture", "causal");
        p.put("scanline.classes", "[\"good\",\"blunt\",\"double\",\"unstable\"]");
        p.put("scanline.pixels", "128");
        p.put("scanline.max_lines", "128");
        p.put("scanline.normalizer", "per_line");
        p.put("scanline.temperature", "1.25");
        p.put("scanline.run_id", "20260101_000000");
        return p;
    }

    /** @return the message of the {@link BadModelException} from parsing {@link #props()} with {@code key} = {@code value} */
    static String refusal(String key, String value) {
        Map<String, String> p = props();
        p.put(key, value);
        return assertThrows(BadModelException.class, () -> ModelMetadata.parse("m.onnx", p)).getMessage();
    }

    @Test
    void optionsDefaultsAndValidation() {
        Options d = Options.defaults();
        assertEquals(0.6, d.confidenceThreshold());
        for (Workload w : Workload.values()) {
            assertEquals(0, d.intraOpThreads(w));
            assertEquals(false, d.spinning(w));
        }
        assertEquals(Options.Optimization.ALL, d.optimization());
        assertEquals(true, d.memoryPattern());
        assertEquals(d, Options.builder().build());
        Options o = d.toBuilder().confidenceThreshold(0.9).intraOpThreads(3).spinning(Workload.BATCH, true).build();
        assertEquals(0.9, o.confidenceThreshold());
        assertEquals(3, o.intraOpThreads(Workload.STREAMING));
        assertEquals(3, o.intraOpThreads(Workload.BATCH));
        assertEquals(false, o.spinning(Workload.STREAMING));
        assertEquals(true, o.spinning(Workload.BATCH));
        assertEquals(o, o.toBuilder().build());
        assertThrows(BadConfigException.class, () -> Options.builder().confidenceThreshold(1.5).build());
        assertThrows(BadConfigException.class, () -> Options.builder().confidenceThreshold(Double.NaN).build());
        assertThrows(BadConfigException.class, () -> Options.builder().intraOpThreads(-1).build());
        assertThrows(BadConfigException.class, () -> Options.builder().intraOpThreads(Workload.BATCH, -2).build());
    }

    @Test
    void automaticThreadsFollowTheWorkloadAndTheCores() {
        for (int cores : new int[] {1, 2, 4, 16}) {
            assertEquals(1, Options.automaticThreads(Workload.STREAMING, cores), cores + " cores");
        }
        assertEquals(1, Options.automaticThreads(Workload.BATCH, 1));
        assertEquals(2, Options.automaticThreads(Workload.BATCH, 2), "one per processor for whole scans");
        assertEquals(8, Options.automaticThreads(Workload.BATCH, 8));
        Options set = Options.builder().intraOpThreads(Workload.STREAMING, 2).build();
        assertEquals(2, set.resolvedIntraOpThreads(Workload.STREAMING, 16));
        assertEquals(16, set.resolvedIntraOpThreads(Workload.BATCH, 16));
        assertEquals(1, set.resolvedIntraOpThreads(Workload.BATCH, 1));
    }

    @Test
    void metadataIsParsed() {
        ModelInfo info = ModelMetadata.parse("m.onnx", props());
        assertEquals(Architecture.CAUSAL, info.architecture());
        assertEquals(4, info.classCount());
        assertEquals("blunt", info.classNames().get(1));
        assertEquals(Normalizer.PER_LINE, info.normalizer());
        assertEquals(1.25, info.temperature());
        assertEquals("20260101_000000", info.runId());
    }

    @Test
    void badMetadataIsNamed() {
        String newer = refusal("scanline.format", Integer.toString(ModelFormat.VERSION + 1));
        assertTrue(newer.contains("m.onnx") && newer.contains(String.valueOf(ModelFormat.VERSION + 1))
                && newer.contains("(" + ModelFormat.VERSION + ")"), newer);
        assertTrue(refusal("scanline.classes", "good, bad").contains("scanline.classes"));
        refusal("scanline.temperature", "-1");
        assertTrue(refusal("scanline.architecture", "rnn").contains("rnn"));
        assertTrue(refusal("scanline.pixels", "many").contains("scanline.pixels"));
    }

    @Test
    void configAndMetricsMustBeJsonObjects() {
        for (String key : new String[] {"scanline.config", "scanline.metrics"}) {
            for (String bad : new String[] {"{\"epochs\": 3", "[]", "{} {}", "{\"a\": 1, \"a\": 2}", ""}) {
                String m = refusal(key, bad);
                assertTrue(m.startsWith("m.onnx: ") && m.contains("'" + key + "'") && m.contains("JSON object"), m);
            }
        }
        Map<String, String> ok = props();
        ok.put("scanline.config", "{\"epochs\": 3}");
        assertEquals("{\"epochs\": 3}", ModelMetadata.parse("m.onnx", ok).configJson());
        assertEquals("{}", ModelMetadata.parse("m.onnx", props()).metricsJson());
    }

    @Test
    void aMissingFileIsABadModel() {
        BadModelException e = assertThrows(BadModelException.class,
                () -> ScanLineClassifier.open(Path.of("no/such/model.onnx")));
        assertTrue(e.getMessage().contains("model.onnx"), e.getMessage());
    }
}
