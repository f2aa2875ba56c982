package org.scanline.simulate;

import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.ScanDataset;

/**
 * Simulated STM scans of H:Si(100)-2×1 under four tip states (see {@code docs/simulator.md}). Scan
 * {@code i} of seed {@code s} is a pure function of (config, s, i): the same bytes whatever the
 * thread count or the order of generation.
 *
 * <pre>{@code
 * Simulator sim = new Simulator(SimulatorConfig.defaults());
 * SimulatedDataset data = sim.generate(42, 10_000);          // all cores
 * Iterator<SimulatedScan> it = sim.iterator(7);              // endless, for training on the fly
 * }</pre>
 *
 * <p>Thread-safe; {@link #scan} keeps one scratch generator per calling thread.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Simulator {
    private final SimulatorConfig config;
    private final ThreadLocal<ScanGenerator> local;

    /** @param config what to simulate */
    public Simulator(SimulatorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.local = ThreadLocal.withInitial(() -> new ScanGenerator(config));
    }

    /** @return the config */
    public SimulatorConfig config() {
        return config;
    }

    /**
     * @param seed the sequence's seed
     * @param index the scan's index in it (≥ 0)
     * @return that scan
     */
    public SimulatedScan scan(long seed, long index) {
        if (index < 0) {
            throw new IllegalArgumentException("scan index must be ≥ 0, found " + index);
        }
        return local.get().generate(seed, index);
    }

    /**
     * The backward trace of a scan, as an instrument records it beside the forward one: the same
     * surface, tip history and instrument settings, its own noise, and the feedback ringing towards
     * the left because the tip moves right to left.
     *
     * @param seed the sequence's seed
     * @param index the scan's index in it (≥ 0)
     * @return lines × pixels heights in metres, line 0 first acquired, pixel 0 at the left
     */
    public float[] backwardTrace(long seed, long index) {
        if (index < 0) {
            throw new IllegalArgumentException("scan index must be ≥ 0, found " + index);
        }
        return local.get().generate(seed, index, true).image();
    }

    /**
     * Generates scans 0 … count−1 of a seed on all available processors.
     *
     * @param seed the seed
     * @param count number of scans
     * @return the scans with their truth and parameters
     */
    public SimulatedDataset generate(long seed, int count) {
        return generate(seed, 0, count, Runtime.getRuntime().availableProcessors(), null);
    }

    /**
     * Generates scans {@code firstIndex … firstIndex+count−1} of a seed.
     *
     * @param seed the seed
     * @param firstIndex index of the first scan
     * @param count number of scans (≥ 1, and count × lines × pixels < 2³¹)
     * @param threads worker threads (≥ 1); the result does not depend on it
     * @param progress called with the number of scans done so far (from worker threads), or null
     * @return the scans with their truth and parameters
     * @throws BadConfigException if count or threads are out of range
     */
    public SimulatedDataset generate(long seed, long firstIndex, int count, int threads, IntConsumer progress) {
        int lines = config.lines();
        int pixels = config.pixels();
        if (count < 1) {
            throw new BadConfigException("simulate: count must be ≥ 1, found " + count);
        }
        if ((long) count * lines * pixels > Integer.MAX_VALUE - 8) {
            throw new BadConfigException("simulate: " + count + " scans of " + lines + " × " + pixels
                    + " exceed one Java array (2³¹ values); generate at most " + (Integer.MAX_VALUE - 8) / ((long) lines * pixels)
                    + " at a time");
        }
        if (threads < 1) {
            throw new BadConfigException("simulate: threads must be ≥ 1, found " + threads);
        }
        if (firstIndex < 0) {
            throw new BadConfigException("simulate: first index must be ≥ 0, found " + firstIndex);
        }
        int size = lines * pixels;
        float[] images = new float[count * size];
        int[] labels = new int[count];
        int[] labelsTrue = new int[count];
        byte[] states = new byte[count * lines];
        int[] changes = new int[count];
        Parameter[] all = Parameter.values();
        double[][] params = new double[all.length][count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int chunk = 64;
        Runnable work = () -> {
            ScanGenerator gen = new ScanGenerator(config);
            int start;
            while ((start = next.getAndAdd(chunk)) < count) {
                int end = Math.min(count, start + chunk);
                for (int i = start; i < end; i++) {
                    SimulatedScan s = gen.generate(seed, firstIndex + i);
                    System.arraycopy(s.image(), 0, images, i * size, size);
                    labels[i] = s.label();
                    labelsTrue[i] = s.labelTrue();
                    System.arraycopy(s.lineStates(), 0, states, i * lines, lines);
                    changes[i] = s.changeLine();
                    for (Parameter p : all) {
                        params[p.ordinal()][i] = s.parameters().get(p);
                    }
                }
                int d = done.addAndGet(end - start);
                if (progress != null) {
                    progress.accept(d);
                }
            }
        };
        if (threads == 1) {
            work.run();
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "scanline-simulate");
                t.setDaemon(true);
                return t;
            });
            try {
                Future<?>[] fs = new Future<?>[threads];
                for (int t = 0; t < threads; t++) {
                    fs[t] = pool.submit(work);
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("simulation interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(c);
            } finally {
                pool.shutdownNow();
            }
        }
        String source = "simulated " + config.version() + " seed=" + seed
                + (firstIndex == 0 ? "" : " from=" + firstIndex) + " n=" + count;
        ScanDataset ds = new ScanDataset(source, images, count, lines, pixels, labels, SimulatorConfig.CLASS_NAMES);
        return new SimulatedDataset(ds, labelsTrue, states, changes, params, config, seed, firstIndex);
    }

    /**
     * An endless sequence of scans 0, 1, 2, … of a seed, for training on the fly. Each iterator
     * owns its own scratch generator; use one per thread.
     *
     * @param seed the seed
     * @return an iterator that never ends
     */
    public Iterator<SimulatedScan> iterator(long seed) {
        return iterator(seed, 0);
    }

    /**
     * @param seed the seed
     * @param firstIndex index of the first scan returned
     * @return an endless iterator over scans firstIndex, firstIndex+1, …
     */
    public Iterator<SimulatedScan> iterator(long seed, long firstIndex) {
        ScanGenerator gen = new ScanGenerator(config);
        return new Iterator<>() {
            private long index = firstIndex;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public SimulatedScan next() {
                return gen.generate(seed, index++);
            }
        };
    }

    /**
     * @param seed the seed
     * @return an endless sequential stream of scans 0, 1, 2, … (limit it)
     */
    public Stream<SimulatedScan> stream(long seed) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(seed),
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE), false);
    }
}
