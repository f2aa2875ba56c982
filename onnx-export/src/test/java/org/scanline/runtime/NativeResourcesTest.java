package org.scanline.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.LineStream;
import org.scanline.ScanLineClassifier;
import org.scanline.export.GraphStyle;
import org.scanline.export.TinyModelFiles;

/**
 * Every ONNX Runtime object a classifier or stream creates is closed when they close, whichever
 * closes first: the tensors a stream holds (input, pinned logits, empty past, the last result with
 * its key/value caches) and the session. Checked on the objects themselves, by reflection, since
 * ONNX Runtime keeps no public count of live native objects.
 */
class NativeResourcesTest {
    @TempDir
    static Path dir;
    static Path causal;
    static Path causalFormat2;
    static Path vit;

    @BeforeAll
    static void export() {
        try (NDManager manager = NDManager.newBaseManager()) {
            causal = TinyModelFiles.export(manager, Architecture.CAUSAL, dir.resolve("causal.onnx"));
            causalFormat2 = TinyModelFiles.export(manager, Architecture.CAUSAL, dir.resolve("causal-2.onnx"),
                    GraphStyle.GROWING_CACHE);
            vit = TinyModelFiles.export(manager, Architecture.VIT, dir.resolve("vit.onnx"));
        }
    }

    /** The ONNX Runtime objects an object holds in its fields (tensors, results, maps of tensors). */
    static List<Object> nativeObjects(Object holder) throws IllegalAccessException {
        List<Object> out = new ArrayList<>();
        for (Field f : holder.getClass().getDeclaredFields()) {
            f.setAccessible(true);
            Object v = f.get(holder);
            if (v instanceof OnnxValue || v instanceof OrtSession.Result || v instanceof OrtSession) {
                out.add(v);
            } else if (v instanceof Map<?, ?> m) {
                m.values().stream().filter(x -> x instanceof OnnxValue).forEach(out::add);
            }
        }
        return out;
    }

    static boolean closed(Object o) throws ReflectiveOperationException {
        if (o instanceof OnnxTensorLike t) {
            return t.isClosed();
        }
        Field f = o.getClass().getDeclaredField("closed");
        f.setAccessible(true);
        return f.getBoolean(o);
    }

    static int open(List<Object> objects) throws ReflectiveOperationException {
        int n = 0;
        for (Object o : objects) {
            n += closed(o) ? 0 : 1;
        }
        return n;
    }

    @Test
    void closingAFixedCacheStreamClosesEveryTensorItHeld() throws Exception {
        try (ScanLineClassifier c = ScanLineClassifier.open(causal)) {
            LineStream stream = c.newStream();
            for (int i = 0; i < 5; i++) {
                stream.push(new float[TinyModelFiles.P]);
            }
            List<Object> held = nativeObjects(stream);
            // line, past_lines, logits and the key and value buffers of both layers
            assertTrue(held.size() >= 7, "input, counter, logits, key/value buffers: " + held);
            assertEquals(held.size(), open(held), "all open while streaming");
            stream.close();
            assertEquals(0, open(held), "open after close: " + held);
        }
    }

    @Test
    void closingAFormat2StreamClosesEveryTensorItHeld() throws Exception {
        try (ScanLineClassifier c = ScanLineClassifier.open(causalFormat2)) {
            LineStream stream = c.newStream();
            for (int i = 0; i < 5; i++) {
                stream.push(new float[TinyModelFiles.P]);
            }
            Field current = stream.getClass().getDeclaredField("current");
            current.setAccessible(true);
            OrtSession.Result last = (OrtSession.Result) current.get(stream);
            List<Object> held = nativeObjects(stream);
            assertTrue(held.size() >= 4, "input, logits, empty past, last result: " + held);
            assertEquals(held.size(), open(held), "all open while streaming");
            stream.close();
            assertEquals(0, open(held), "open after close: " + held);
            assertTrue(closed(last), "the result holding the key/value caches");
        }
    }

    /** A close() that finds a push running leaves the release to that push: it must still happen, once. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void aCloseRacingAPushStillClosesEveryTensor(boolean fixedCache) throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (ScanLineClassifier c = ScanLineClassifier.open(fixedCache ? causal : causalFormat2)) {
            Field streams = c.getClass().getDeclaredField("streams");
            streams.setAccessible(true);
            for (int round = 0; round < 30; round++) {
                LineStream stream = c.newStream();
                // A fixed-cache stream holds the same tensors from creation to close.
                List<Object> created = nativeObjects(stream);
                java.util.concurrent.Future<?> pusher = pool.submit(() -> {
                    while (true) {
                        try {
                            if (stream.linesSeen() == TinyModelFiles.MAX) {
                                stream.reset();
                            }
                            stream.push(new float[TinyModelFiles.P]);
                        } catch (IllegalStateException closed) {
                            return null;
                        }
                    }
                });
                Thread.sleep(random.nextInt(3));
                stream.close();
                pusher.get(1, java.util.concurrent.TimeUnit.MINUTES);
                if (!fixedCache) {
                    Field current = stream.getClass().getDeclaredField("current");
                    current.setAccessible(true);
                    assertEquals(null, current.get(stream), "round " + round + ": the last result is still held");
                }
                List<Object> held = new ArrayList<>(created);
                held.addAll(nativeObjects(stream));
                assertEquals(0, open(held), "round " + round + ": open after close: " + held);
                assertFalse(((java.util.Set<?>) streams.get(c)).contains(stream), "the classifier still tracks it");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closingTheClassifierFirstClosesItsStreamsAndTheSession() throws Exception {
        for (Path model : new Path[] {causal, causalFormat2, vit}) {
            ScanLineClassifier c = ScanLineClassifier.open(model);
            List<Object> held = new ArrayList<>();
            List<LineStream> streams = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                LineStream stream = c.newStream();
                stream.push(new float[TinyModelFiles.P]);
                streams.add(stream);
                held.addAll(nativeObjects(stream));
            }
            List<Object> session = nativeObjects(c);
            assertFalse(session.isEmpty(), "the classifier holds its session");
            assertEquals(0, session.size() - open(session));
            c.close();
            assertEquals(0, open(held), model + ": stream objects left open: " + held);
            assertEquals(0, open(session), model + ": session left open");
            streams.forEach(LineStream::close);
        }
    }

    @Test
    void separateStreamingAndBatchSessionsAreBothClosed() throws Exception {
        ScanLineClassifier.Options split = ScanLineClassifier.Options.builder()
                .intraOpThreads(ScanLineClassifier.Options.Workload.STREAMING, 1)
                .intraOpThreads(ScanLineClassifier.Options.Workload.BATCH, 2).build();
        ScanLineClassifier c = ScanLineClassifier.open(causal, split);
        LineStream stream = c.newStream();
        stream.push(new float[TinyModelFiles.P]);
        c.classify(new float[3][TinyModelFiles.P]);
        List<Object> sessions = nativeObjects(c);
        assertEquals(2, sessions.size(), "a session per workload: " + sessions);
        c.close();
        assertEquals(0, open(sessions));
        assertEquals(0, open(nativeObjects(stream)));
    }

    @Test
    void aFullScanCallLeavesNothingOpenAfterClose() throws Exception {
        ScanLineClassifier c = ScanLineClassifier.open(causal);
        float[][] scan = new float[TinyModelFiles.MAX][TinyModelFiles.P];
        for (int i = 0; i < 10; i++) {
            c.classify(scan);
        }
        List<Object> session = nativeObjects(c);
        c.close();
        assertEquals(0, open(session));
    }
}
