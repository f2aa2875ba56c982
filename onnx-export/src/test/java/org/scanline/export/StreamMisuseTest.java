package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scanline.Architecture;
import org.scanline.BadDataException;
import org.scanline.LineStream;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;
import org.scanline.model.DjlManager;

/**
 * Misusing a stream from several threads is refused, never a native crash: one {@link LineStream}
 * pushed from 4 threads at once used to end in a SIGSEGV inside ONNX Runtime (two threads closing
 * the same key/value tensors). A crash here kills the test JVM, which fails the build.
 */
class StreamMisuseTest {
    static final int P = TinyModels.P;
    static final int MAX = TinyModels.MAX;
    static final int THREADS = 4;
    static final Map<String, Path> FILES = new ConcurrentHashMap<>();
    @RegisterExtension
    static final DjlManager MANAGER = new DjlManager();
    @TempDir
    static Path dir;

    /** @param kind an architecture id, or {@code causal-format2} for a causal file with the growing cache */
    static Path model(String kind) {
        return FILES.computeIfAbsent(kind, k -> TinyModelFiles.export(MANAGER.get(), architecture(k), dir.resolve(k + ".onnx"),
                k.endsWith("-format2") ? GraphStyle.GROWING_CACHE : GraphStyle.FIXED_CACHE));
    }

    static Architecture architecture(String kind) {
        return Architecture.fromId(kind.replace("-format2", ""));
    }

    /** What a thread saw: pushes that went through, refusals by kind, and anything else. */
    static final class Tally {
        final AtomicInteger pushed = new AtomicInteger();
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());

        void push(LineStream s, float[] line) {
            try {
                s.push(line);
                pushed.incrementAndGet();
            } catch (BadDataException full) {
                reset(s);
            } catch (IllegalStateException e) {
                count(e);
            } catch (Throwable t) {
                unexpected.add(t);
            }
        }

        void reset(LineStream s) {
            try {
                s.reset();
            } catch (IllegalStateException e) {
                count(e);
            } catch (Throwable t) {
                unexpected.add(t);
            }
        }

        private void count(IllegalStateException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("LineStream is not thread-safe")) {
                concurrent.incrementAndGet();
            } else if (m.contains("closed")) {
                closed.incrementAndGet();
            } else {
                unexpected.add(e);
            }
        }

        void assertOnlyRefusals() {
            if (!unexpected.isEmpty()) {
                AssertionError e = new AssertionError(unexpected.size() + " unexpected exceptions, first: "
                        + unexpected.get(0));
                e.initCause(unexpected.get(0));
                throw e;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"causal", "causal-format2", "vit", "lrcn"})
    void fourThreadsOnOneStreamAreRefusedAndTheStreamStaysCorrect(String kind) throws Exception {
        Architecture a = architecture(kind);
        float[][] scan = ClassifierRuntimeTest.scan(MAX, 7);
        int rounds = a == Architecture.CAUSAL ? 1500 : 300;
        try (ScanLineClassifier c = ScanLineClassifier.open(model(kind)); LineStream shared = c.newStream()) {
            Tally tally = new Tally();
            CyclicBarrier go = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < rounds; i++) {
                            tally.push(shared, scan[i % MAX]);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            tally.assertOnlyRefusals();
            assertTrue(tally.concurrent.get() > 0, "no push was refused: the threads never overlapped");
            assertTrue(tally.pushed.get() > 0, "no push went through");

            // Every push either ran alone or was refused, so the stream still streams correctly.
            shared.reset();
            for (int l = 0; l < MAX; l++) {
                Prediction streamed = shared.push(scan[l]);
                Prediction full = c.classify(java.util.Arrays.copyOf(scan, l + 1));
                assertArrayEquals(full.probabilities(), streamed.probabilities(), 1e-5f, "line " + l);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"causal", "causal-format2", "vit", "lrcn"})
    void closeRacingAPushIsSafe(String kind) throws Exception {
        float[][] scan = ClassifierRuntimeTest.scan(MAX, 8);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        try (ScanLineClassifier c = ScanLineClassifier.open(model(kind))) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                for (int round = 0; round < 40; round++) {
                    LineStream s = c.newStream();
                    Tally tally = new Tally();
                    CyclicBarrier go = new CyclicBarrier(2);
                    Future<?> pusher = pool.submit(() -> {
                        go.await();
                        for (int i = 0; tally.closed.get() == 0 && i < 10_000; i++) {
                            tally.push(s, scan[i % MAX]);
                        }
                        return null;
                    });
                    go.await();
                    Thread.sleep(random.nextInt(3));
                    s.close();
                    pusher.get(1, TimeUnit.MINUTES);
                    tally.assertOnlyRefusals();
                    assertEquals(1, tally.closed.get(), "the push after close was not refused");
                    assertThrows(IllegalStateException.class, () -> s.push(scan[0]));
                    s.close();
                }
            } finally {
                pool.shutdownNow();
            }
            try (LineStream fresh = c.newStream()) {
                assertEquals(c.classify(new float[][] {scan[0]}), fresh.push(scan[0]));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"causal", "causal-format2", "vit", "lrcn"})
    void closingTheClassifierUnderStreamingAndClassifyingThreadsIsSafe(String kind) throws Exception {
        float[][] scan = ClassifierRuntimeTest.scan(MAX, 9);
        for (int round = 0; round < 5; round++) {
            ScanLineClassifier c = ScanLineClassifier.open(model(kind));
            Tally tally = new Tally();
            AtomicInteger classifications = new AtomicInteger();
            CyclicBarrier go = new CyclicBarrier(THREADS + 1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    boolean streams = t % 2 == 0;
                    done.add(pool.submit(() -> {
                        LineStream own = c.newStream();
                        go.await();
                        for (int i = 0; tally.closed.get() == 0 && i < 5_000; i++) {
                            if (streams) {
                                tally.push(own, scan[i % MAX]);
                            } else {
                                try {
                                    c.classify(java.util.Arrays.copyOf(scan, 1 + i % MAX));
                                    classifications.incrementAndGet();
                                } catch (IllegalStateException e) {
                                    tally.count(e);
                                } catch (RuntimeException e) {
                                    tally.unexpected.add(e);
                                }
                            }
                        }
                        own.close();
                        return null;
                    }));
                }
                go.await();
                Thread.sleep(20 + 10L * round);
                c.close();
                for (Future<?> f : done) {
                    f.get(1, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            tally.assertOnlyRefusals();
            assertTrue(tally.closed.get() > 0, "no call after close was refused");
            assertThrows(IllegalStateException.class, c::newStream);
            assertThrows(IllegalStateException.class, () -> c.classify(scan));
        }
    }
}
