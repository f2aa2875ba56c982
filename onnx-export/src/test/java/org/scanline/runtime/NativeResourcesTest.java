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
            if (v instanceof OrtSession && holder instanceof GuardedLineStream) {
                continue;       // a stream runs its classifier's session, which the classifier closes
            }
            if (v instanceof OnnxValue || v instanceof OrtSession.Result || v instanceof OrtSession) {
                out.add(v);
            } else if (v instanceof Map<?, ?> m) {
                m.values().stream().filter(x -> x instanceof OnnxValue).forEach(out::add);
            } else if (v instanceof FixedCacheLineStream.Buffers b) {
                out.addAll(b.tensors());
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

    /**
     * A closed fixed-cache stream hands its tensors to the classifier's next stream (a stream per scan
     * then allocates nothing), and the classifier closes them.
     */
    @Test
    void aFixedCacheStreamsTensorsServeTheNextStreamAndCloseWithTheClassifier() throws Exception {
        ScanLineClassifier c = ScanLineClassifier.open(causal);
        LineStream stream = c.newStream();
        for (int i = 0; i < 5; i++) {
            stream.push(new float[TinyModelFiles.P]);
        }
        List<Object> held = nativeObjects(stream);
        // line, past_lines, logits and the key and value buffers of both layers
        assertEquals(7, held.size(), "input, counter, logits, key/value buffers: " + held);
        assertEquals(held.size(), open(held), "all open while streaming");
        stream.close();
        assertEquals(List.of(), nativeObjects(stream), "the closed stream still holds tensors");
        LineStream next = c.newStream();
        assertEquals(held, nativeObjects(next), "the next stream reuses the closed one's tensors");
        assertEquals(held.size(), open(held));
        // the rows the first stream left behind do not leak into the next scan
        float[][] scan = new float[3][TinyModelFiles.P];
        scan[1][2] = 1f;
        float[] streamed = null;
        for (float[] line : scan) {
            streamed = next.push(line).probabilities();
        }
        assertArrayEqualsWithin(c.classify(scan).probabilities(), streamed, 1e-5f);
        c.close();
        assertEquals(0, open(held), "open after the classifier closed: " + held);
        next.close();
    }

    private static void assertArrayEqualsWithin(float[] a, float[] b, float tolerance) {
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertTrue(Math.abs(a[i] - b[i]) <= tolerance, i + ": " + a[i] + " vs " + b[i]);
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
        List<Object> recycled = new ArrayList<>();
        try (ScanLineClassifier c = ScanLineClassifier.open(fixedCache ? causal : causalFormat2)) {
            Field streams = c.getClass().getDeclaredField("streams");
            streams.setAccessible(true);
            for (int round = 0; round < 30; round++) {
                LineStream stream = c.newStream();
                // A fixed-cache stream holds the same tensors from creation to close, then hands them on.
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
                if (fixedCache) {
                    assertEquals(List.of(), nativeObjects(stream), "round " + round + ": tensors still held");
                    recycled.addAll(created);
                    created = List.of();
                } else {
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
        assertEquals(0, open(recycled), "tensors handed back to the classifier and left open after it closed");
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
