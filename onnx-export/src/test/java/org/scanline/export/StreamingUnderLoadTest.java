package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.LineStream;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;

/**
 * One shared classifier under concurrent streams: results equal the single-threaded ones bit for
 * bit, and closing, pushing after close and interrupting a pushing thread are defined behaviour.
 */
class StreamingUnderLoadTest {
    static final int P = TinyModels.P;
    static final int MAX = TinyModels.MAX;
    static final int THREADS = 8;
    static final int TOTAL_LINES = 100_000;
    static final int DISTINCT_SCANS = 64;

    @TempDir
    static Path dir;
    static Path model;
    static float[][][] scans;
    /** reference[s][l]: the probabilities after line l of scan s from one stream on one thread. */
    static float[][][] reference;

    @BeforeAll
    static void exportAndReference() {
        try (NDManager manager = NDManager.newBaseManager()) {
            model = dir.resolve("causal.onnx");
            OnnxExporter.write(model, TinyModels.spec(Architecture.CAUSAL),
                    TinyModels.model(manager, Architecture.CAUSAL, 21).namedWeights(),
                    TinyModels.metadata(Architecture.CAUSAL, 1), false);
        }
        scans = new float[DISTINCT_SCANS][][];
        reference = new float[DISTINCT_SCANS][MAX][];
        try (ScanLineClassifier c = ScanLineClassifier.open(model); LineStream s = c.newStream()) {
            for (int i = 0; i < DISTINCT_SCANS; i++) {
                scans[i] = ClassifierRuntimeTest.scan(MAX, 1000 + i);
                s.reset();
                for (int l = 0; l < MAX; l++) {
                    reference[i][l] = s.push(scans[i][l]).probabilities();
                }
            }
        }
    }

    @Test
    void eightThreadsOnOneClassifierEqualTheSingleThreadedResultBitForBit() throws Exception {
        int perThread = TOTAL_LINES / THREADS;
        AtomicInteger compared = new AtomicInteger();
        try (ScanLineClassifier c = ScanLineClassifier.open(model)) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    final int thread = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        try (LineStream stream = c.newStream()) {
                            int scan = thread * 7;
                            int line = 0;
                            for (int n = 0; n < perThread; n++) {
                                int s = scan % DISTINCT_SCANS;
                                Prediction p = stream.push(scans[s][line]);
                                // assertArrayEquals on float[] compares exactly (floatToIntBits).
                                assertArrayEquals(reference[s][line], p.probabilities(),
                                        "thread " + thread + ", scan " + s + ", line " + line);
                                compared.incrementAndGet();
                                if (++line == MAX) {
                                    line = 0;
                                    scan++;
                                    stream.reset();
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(TOTAL_LINES, compared.get());
    }

    /**
     * Closing the classifier while eight threads push: every push either returns the reference
     * result or throws {@link IllegalStateException}; after the close every push, reset and new
     * stream throws it; nothing else is thrown and the JVM lives on.
     */
    @Test
    void closingWhileStreamsPushIsAnIllegalStateForEveryLaterCall() throws Exception {
        ScanLineClassifier c = ScanLineClassifier.open(model);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch running = new CountDownLatch(THREADS);
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        AtomicInteger refused = new AtomicInteger();
        List<LineStream> streams = new ArrayList<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                final int thread = t;
                LineStream stream = c.newStream();
                streams.add(stream);
                done.add(pool.submit(() -> {
                    int line = 0;
                    int s = thread;
                    try {
                        for (int n = 0; ; n++) {
                            Prediction p = stream.push(scans[s][line]);
                            assertArrayEquals(reference[s][line], p.probabilities());
                            if (n == 20) {
                                running.countDown();
                            }
                            if (++line == MAX) {
                                line = 0;
                                stream.reset();
                            }
                        }
                    } catch (IllegalStateException expected) {
                        refused.incrementAndGet();
                    } catch (Throwable e) {
                        unexpected.set(e);
                    }
                    return null;
                }));
            }
            assertTrue(running.await(2, TimeUnit.MINUTES));
            c.close();
            for (Future<?> f : done) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        if (unexpected.get() != null) {
            throw new AssertionError("a pushing thread saw " + unexpected.get(), unexpected.get());
        }
        assertEquals(THREADS, refused.get());
        for (LineStream s : streams) {
            assertThrows(IllegalStateException.class, () -> s.push(scans[0][0]));
            assertThrows(IllegalStateException.class, s::reset);
            s.close();
        }
        assertThrows(IllegalStateException.class, c::newStream);
        c.close();
    }

    /**
     * Interrupting a thread in the middle of pushes does not abort the native call: each push
     * completes with the correct result and the interrupt status is kept for the caller to act on.
     */
    @Test
    void anInterruptedPushCompletesCorrectlyAndKeepsTheInterruptStatus() throws Exception {
        try (ScanLineClassifier c = ScanLineClassifier.open(model)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger afterInterrupt = new AtomicInteger();
            CountDownLatch pushing = new CountDownLatch(1);
            Thread worker = new Thread(() -> {
                try (LineStream stream = c.newStream()) {
                    int line = 0;
                    int s = 3;
                    for (int n = 0; n < 20_000; n++) {
                        Prediction p = stream.push(scans[s][line]);
                        assertArrayEquals(reference[s][line], p.probabilities());
                        if (n == 50) {
                            pushing.countDown();
                        }
                        if (Thread.currentThread().isInterrupted() && afterInterrupt.incrementAndGet() >= 100) {
                            break;
                        }
                        if (++line == MAX) {
                            line = 0;
                            stream.reset();
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            worker.start();
            assertTrue(pushing.await(2, TimeUnit.MINUTES));
            worker.interrupt();
            worker.join(TimeUnit.MINUTES.toMillis(2));
            if (failure.get() != null) {
                throw new AssertionError("interrupted worker failed", failure.get());
            }
            assertEquals(100, afterInterrupt.get(), "pushes go on, correct, with the interrupt status set");
            // The classifier is untouched by the interrupt.
            try (LineStream s = c.newStream()) {
                assertNotNull(s.push(scans[0][0]));
            }
        }
    }
}
