package org.scanline;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A trained tip-state classifier loaded from one {@code .onnx} file: classify full or partial
 * scans, or stream lines one by one as the microscope acquires them.
 *
 * <p>One classifier is meant to be shared (one per microscope) and is thread-safe; each
 * {@link LineStream} belongs to one thread. Normalisation is applied inside, exactly as in
 * training. The classifier holds native memory: close it when done.
 *
 * <pre>{@code
 * try (ScanLineClassifier classifier = ScanLineClassifier.open(Path.of("model.onnx"));
 *      LineStream stream = classifier.newStream()) {
 *     Prediction p = stream.push(firstLine);
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE)
public interface ScanLineClassifier extends AutoCloseable {

    /**
     * Opens a model file with the default {@link Options}.
     *
     * @param model an {@code .onnx} file written by the scanline exporter
     * @return the classifier; close it when done
     * @throws BadModelException if the file is unreadable, lacks a {@code scanline.*} metadata key,
     *         has a newer {@code scanline.format}, its inputs do not match its architecture, or a
     *         metadata value disagrees with the graph (class count against the logits width, pixels
     *         against the input width, max lines against the positions the graph can take: open runs
     *         the graph once to find out), naming the key and both values
     */
    static ScanLineClassifier open(Path model) {
        return open(model, Options.defaults());
    }

    /**
     * Opens a model file.
     *
     * @param model an {@code .onnx} file written by the scanline exporter
     * @param options threshold and ONNX Runtime settings
     * @return the classifier; close it when done
     * @throws BadModelException as {@link #open(Path)}
     * @throws BackendMissingException if no classifier runtime is on the classpath (a shaded jar that
     *         dropped scanline-api's {@code META-INF/services}; see {@link org.scanline.spi.ClassifierRuntime})
     */
    static ScanLineClassifier open(Path model, Options options) {
        return ClassifierRuntimes.get().open(model, options);
    }

    /**
     * Reads a model from a stream (for example a class-path resource) with the default {@link Options}.
     * The stream is read to its end but not closed.
     *
     * @param model the bytes of an {@code .onnx} file
     * @return the classifier; close it when done
     * @throws BadModelException as {@link #open(Path)}
     */
    static ScanLineClassifier open(InputStream model) {
        return open(model, Options.defaults());
    }

    /**
     * Reads a model from a stream; the stream is read to its end but not closed.
     *
     * @param model the bytes of an {@code .onnx} file
     * @param options threshold and ONNX Runtime settings
     * @return the classifier; close it when done
     * @throws BadModelException as {@link #open(Path)}
     */
    static ScanLineClassifier open(InputStream model, Options options) {
        return ClassifierRuntimes.get().open(model, options);
    }

    /** @return what the model file says about itself */
    ModelInfo info();

    /** @return the class names, index = class */
    default List<String> classNames() {
        return info().classNames();
    }

    /** @return pixels per line the model expects */
    default int pixels() {
        return info().pixels();
    }

    /** @return the model's architecture */
    default Architecture architecture() {
        return info().architecture();
    }

    /**
     * Classifies a full or partial scan (line 0 first).
     *
     * @param scan lines × pixels, 1 to {@link ModelInfo#maxLines()} lines; not modified
     * @return the prediction after the last line
     * @throws BadDataException for a wrong width, non-finite pixels, no lines or too many lines
     */
    Prediction classify(float[][] scan);

    /**
     * Classifies a scan as an instrument file holds it, possibly still being acquired, when its
     * physical sampling is not known: the lines acquired so far ({@link #acquiredLines}), isolated
     * non-finite pixels repaired and lines with too many skipped ({@link LineRepair}), each resampled
     * to {@link #pixels()} with {@link LineResampler} when its width differs, lines taken one to one.
     * A scan of more lines than {@link ModelInfo#maxLines()} is followed to its last line, as
     * {@link #newStream(int)} does. With the sampling known, use {@link #classifyAcquired(float[][], Sampling)}.
     *
     * <pre>{@code
     * float[][] z = readZ(file);          // 256 × 256, lines 40 and on still NaN
     * Prediction p = classifier.classifyAcquired(z);   // p.linesSeen() == 40
     * }</pre>
     *
     * @param scan lines × pixels of any one width, line 0 acquired first; not modified
     * @return the prediction after the last acquired line
     * @throws BadDataException if no line is acquired and usable yet, or the lines differ in width
     */
    default Prediction classifyAcquired(float[][] scan) {
        float[][] usable = LineRepair.usableLines(scan, info().maxLines());
        if (usable[0].length != pixels()) {
            usable = LineResampler.of(usable[0].length, pixels()).resample(usable);
        }
        return classify(usable);
    }

    /**
     * The lines of a scan acquired so far: an instrument file of a scan stopped early, or still
     * running, holds NaN in every pixel not yet measured. A line counts as acquired while at most
     * half of its pixels are NaN or infinite ({@link LineRepair#acquired}), so a dead pixel column
     * does not end the scan.
     *
     * @param scan lines × pixels, line 0 acquired first
     * @return the number of leading lines that are acquired
     */
    static int acquiredLines(float[][] scan) {
        return LineRepair.acquiredLines(scan);
    }

    /**
     * Classifies several scans with one model call where their line counts agree.
     *
     * @param scans scans, each lines × pixels
     * @return one prediction per scan, in order
     * @throws BadDataException as {@link #classify(float[][])}, naming the scan index
     */
    List<Prediction> classifyBatch(List<float[][]> scans);

    /** @return a new stream positioned before line 0 */
    LineStream newStream();

    /**
     * A stream for lines as the instrument acquires them, at their physical sampling: the runtime
     * brings them to the sampling the model was trained on ({@link ModelInfo#sampling()}), follows
     * the frame past {@link ModelInfo#maxLines()}, and marks every prediction it cannot vouch for
     * ({@link Prediction#reasons()}).
     *
     * @param sampling the distance between pixels and between lines of what will be pushed
     * @param pixels pixels per pushed line
     * @return a new stream positioned before line 0
     */
    default ScanStream newStream(Sampling sampling, int pixels) {
        throw new UnsupportedOperationException(getClass().getName() + " does not stream at a physical sampling");
    }

    /**
     * A stream for lines as the instrument acquires them when their physical sampling is not known (a
     * plain array, a file without its frame size): lines are resampled to {@link #pixels()} by pixel
     * count and taken one to one, as a {@link LineStream} behind a {@link LineResampler} would take
     * them, but isolated non-finite pixels are repaired ({@link LineRepair}) and the frame is followed
     * past {@link ModelInfo#maxLines()} to its last line.
     *
     * @param pixels pixels per pushed line
     * @return a new stream positioned before line 0
     */
    default ScanStream newStream(int pixels) {
        throw new UnsupportedOperationException(getClass().getName() + " does not make scan streams");
    }

    /**
     * Classifies a scan as an instrument file holds it, at its physical sampling: complete or stopped
     * early (trailing lines of NaN), any size; lines are pushed through {@link #newStream(Sampling, int)}.
     *
     * @param scan lines × pixels of one width, line 0 acquired first; not modified
     * @param sampling the distance between its pixels and between its lines
     * @return the prediction after the last acquired line
     * @throws BadDataException if no line is usable or the lines differ in width
     */
    default Prediction classifyAcquired(float[][] scan, Sampling sampling) {
        throw new UnsupportedOperationException(getClass().getName() + " does not classify at a physical sampling");
    }

    /** Releases the native session; streams still open fail on their next push. Idempotent. */
    @Override
    void close();

    /**
     * How a classifier runs: the confidence below which a prediction is flagged
     * {@link Prediction#uncertain()}, the tip-change rule, and the ONNX Runtime session settings.
     * Threads and spinning can be set per {@link Workload}; left at 0, the thread count is chosen for
     * the workload and the machine ({@link #automaticThreads}). Immutable.
     *
     * <pre>{@code
     * Options o = Options.builder().confidenceThreshold(0.8).build();                 // fast defaults
     * Options pinned = Options.builder().intraOpThreads(Workload.BATCH, 4).build();   // 4 threads for whole scans
     * }</pre>
     */
    @API(status = API.Status.STABLE)
    final class Options {
        /**
         * Default tip-state probability a line needs to count towards a tip change (chosen with the
         * class rise below on a tuning seed, docs/models/hsi100-causal-v4.md, "Tip changes").
         */
        public static final double DEFAULT_TIP_CHANGE_THRESHOLD = 0.7;
        /** Default consecutive confident lines that confirm a tip change. */
        public static final int DEFAULT_TIP_CHANGE_LINES = 3;
        /**
         * Default class whose class-so-far probability rising reports a tip change (the class of
         * unstable and changing tips in the simulated H:Si(100) set); models without a class of that
         * name use the state switch alone.
         */
        public static final String DEFAULT_TIP_CHANGE_CLASS = "generic defects";
        /** Default class-so-far probability of the watched class that reports a tip change. */
        public static final double DEFAULT_TIP_CHANGE_RISE = 0.3;
        /** Default probability of the watched class below which a line is calm. */
        public static final double DEFAULT_TIP_CHANGE_CALM = 0.2;
        /** Default consecutive calm lines before a rise counts. */
        public static final int DEFAULT_TIP_CHANGE_CALM_LINES = 8;
        private static final Options DEFAULTS = builder().build();

        private final double confidenceThreshold;
        private final int streamingThreads;
        private final int batchThreads;
        private final Optimization optimization;
        private final boolean streamingSpinning;
        private final boolean batchSpinning;
        private final boolean memoryPattern;
        private final double tipChangeThreshold;
        private final int tipChangeLines;
        private final String tipChangeClass;
        private final double tipChangeRise;
        private final double tipChangeCalm;
        private final int tipChangeCalmLines;

        private Options(Builder b) {
            this.tipChangeThreshold = b.tipChangeThreshold;
            this.tipChangeLines = b.tipChangeLines;
            this.tipChangeClass = b.tipChangeClass;
            this.tipChangeRise = b.tipChangeRise;
            this.tipChangeCalm = b.tipChangeCalm;
            this.tipChangeCalmLines = b.tipChangeCalmLines;
            this.confidenceThreshold = b.confidenceThreshold;
            this.streamingThreads = b.streamingThreads;
            this.batchThreads = b.batchThreads;
            this.optimization = b.optimization;
            this.streamingSpinning = b.streamingSpinning;
            this.batchSpinning = b.batchSpinning;
            this.memoryPattern = b.memoryPattern;
        }

        /**
         * @return threshold 0.6, threads chosen per workload ({@link #automaticThreads}), spinning off
         *         (spinning workers steal the core from acquisition threads: see docs/benchmarks.md), every
         *         graph optimisation, memory pattern on
         */
        public static Options defaults() {
            return DEFAULTS;
        }

        /** @return a builder holding the defaults */
        public static Builder builder() {
            return new Builder();
        }

        /** @return a builder starting from these values */
        public Builder toBuilder() {
            return new Builder().confidenceThreshold(confidenceThreshold)
                    .intraOpThreads(Workload.STREAMING, streamingThreads).intraOpThreads(Workload.BATCH, batchThreads)
                    .spinning(Workload.STREAMING, streamingSpinning).spinning(Workload.BATCH, batchSpinning)
                    .optimization(optimization).memoryPattern(memoryPattern)
                    .tipChange(tipChangeThreshold, tipChangeLines)
                    .tipChangeClassRise(tipChangeClass, tipChangeRise, tipChangeCalm, tipChangeCalmLines);
        }

        /**
         * The thread count scanline picks when a workload's threads are left at 0, from measurements on
         * 1 and 2 cores, quiet and loaded (docs/benchmarks.md, "Threads and spinning"):
         * <ul>
         *   <li>{@link Workload#STREAMING}: 1 thread on any machine. A pushed line is one row of
         *       matrix–vector products; a second thread without spinning costs more in wake-ups than it
         *       saves, and with spinning it keeps a core busy between lines.</li>
         *   <li>{@link Workload#BATCH}: one thread per available processor: a 128-row scan has parallel
         *       work, and a second thread cut full scans by 20–30 % on a quiet 2-core machine (ONNX
         *       Runtime's own default gave less there). Beyond 2 cores this is an extrapolation, not a
         *       measurement of ours.</li>
         * </ul>
         *
         * @param workload what the session serves
         * @param cores available processors
         * @return intra-op threads
         */
        public static int automaticThreads(Workload workload, int cores) {
            return workload == Workload.STREAMING ? 1 : Math.max(1, cores);
        }

        /** @return tip-state probability a line needs to count towards a tip change, in (0, 1] */
        public double tipChangeThreshold() {
            return tipChangeThreshold;
        }

        /** @return consecutive confident lines that confirm a new tip state */
        public int tipChangeLines() {
            return tipChangeLines;
        }

        /** @return the class whose rising probability reports a tip change, or null for none */
        public String tipChangeClass() {
            return tipChangeClass;
        }

        /**
         * The class-rise trigger for a model with these class names.
         *
         * @param classNames the model's classes
         * @return the trigger, or empty when {@link #tipChangeClass()} is null or not one of them
         */
        public java.util.Optional<org.scanline.TipChangeDetector.ClassRise> tipChangeClassRise(List<String> classNames) {
            int k = tipChangeClass == null ? -1 : classNames.indexOf(tipChangeClass);
            return k < 0 ? java.util.Optional.empty()
                    : java.util.Optional.of(new org.scanline.TipChangeDetector.ClassRise(k, tipChangeRise, tipChangeCalm,
                            tipChangeCalmLines));
        }

        /** @return top probability below which a prediction is uncertain, in [0, 1] */
        public double confidenceThreshold() {
            return confidenceThreshold;
        }

        /**
         * @param workload streaming or whole scans
         * @return ONNX Runtime intra-op threads as set; 0 lets scanline choose ({@link #automaticThreads})
         */
        public int intraOpThreads(Workload workload) {
            return workload == Workload.STREAMING ? streamingThreads : batchThreads;
        }

        /**
         * @param workload streaming or whole scans
         * @param cores available processors
         * @return the threads a session for that workload gets: the set value, else {@link #automaticThreads}
         */
        public int resolvedIntraOpThreads(Workload workload, int cores) {
            int set = intraOpThreads(workload);
            return set > 0 ? set : automaticThreads(workload, cores);
        }

        /**
         * @return the thread count set for {@link Workload#BATCH}
         * @deprecated threads are set per workload; use {@link #intraOpThreads(Workload)}
         */
        @Deprecated
        public int intraOpThreads() {
            return batchThreads;
        }

        /** @return the graph optimisation level */
        public Optimization optimization() {
            return optimization;
        }

        /**
         * @param workload streaming or whole scans
         * @return whether idle intra-op threads of that workload's session spin (off by default)
         */
        public boolean spinning(Workload workload) {
            return workload == Workload.STREAMING ? streamingSpinning : batchSpinning;
        }

        /**
         * @return whether idle intra-op threads spin for {@link Workload#BATCH}
         * @deprecated spinning is set per workload; use {@link #spinning(Workload)}
         */
        @Deprecated
        public boolean spinning() {
            return batchSpinning;
        }

        /** @return whether ONNX Runtime plans memory from the first run's allocation pattern */
        public boolean memoryPattern() {
            return memoryPattern;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Options x && x.confidenceThreshold == confidenceThreshold
                    && x.streamingThreads == streamingThreads && x.batchThreads == batchThreads
                    && x.optimization == optimization && x.streamingSpinning == streamingSpinning
                    && x.batchSpinning == batchSpinning && x.memoryPattern == memoryPattern
                    && x.tipChangeThreshold == tipChangeThreshold && x.tipChangeLines == tipChangeLines
                    && Objects.equals(x.tipChangeClass, tipChangeClass) && x.tipChangeRise == tipChangeRise
                    && x.tipChangeCalm == tipChangeCalm && x.tipChangeCalmLines == tipChangeCalmLines;
        }

        @Override
        public int hashCode() {
            return Objects.hash(confidenceThreshold, streamingThreads, batchThreads, optimization, streamingSpinning,
                    batchSpinning, memoryPattern, tipChangeThreshold, tipChangeLines, tipChangeClass, tipChangeRise,
                    tipChangeCalm, tipChangeCalmLines);
        }

        @Override
        public String toString() {
            return "Options[threshold=" + confidenceThreshold + ", threads=" + threads(streamingThreads) + " streaming/"
                    + threads(batchThreads) + " batch, spinning=" + streamingSpinning + "/" + batchSpinning
                    + ", optimization=" + optimization + ", memoryPattern=" + memoryPattern
                    + ", tipChange=" + tipChangeThreshold + "×" + tipChangeLines
                    + (tipChangeClass == null ? "" : " or '" + tipChangeClass + "' " + tipChangeCalm + "→" + tipChangeRise
                            + " after " + tipChangeCalmLines) + "]";
        }

        private static String threads(int n) {
            return n == 0 ? "auto" : Integer.toString(n);
        }

        /** What a session serves; each gets its own thread settings. */
        @API(status = API.Status.STABLE)
        public enum Workload {
            /** {@link LineStream#push} of a causal model: one line per call, latency matters. */
            STREAMING,
            /**
             * {@link #classify}, {@link #classifyBatch} and the streams of models without a cache
             * ({@code vit}, {@code lrcn}), which re-run whole prefixes: many rows per call.
             */
            BATCH
        }

        /** ONNX Runtime graph optimisation levels. */
        @API(status = API.Status.STABLE)
        public enum Optimization {
            /** No graph rewriting. */
            NONE,
            /** Constant folding and redundant-node removal. */
            BASIC,
            /** Plus operator fusions. */
            EXTENDED,
            /** Everything, including layout optimisations. */
            ALL
        }

        /** Builds {@link Options}; every value validated in {@link #build()}. */
        @API(status = API.Status.STABLE)
        public static final class Builder {
            private double confidenceThreshold = 0.6;
            private int streamingThreads;
            private int batchThreads;
            private Optimization optimization = Optimization.ALL;
            private boolean streamingSpinning;
            private boolean batchSpinning;
            private boolean memoryPattern = true;
            private double tipChangeThreshold = DEFAULT_TIP_CHANGE_THRESHOLD;
            private int tipChangeLines = DEFAULT_TIP_CHANGE_LINES;
            private String tipChangeClass = DEFAULT_TIP_CHANGE_CLASS;
            private double tipChangeRise = DEFAULT_TIP_CHANGE_RISE;
            private double tipChangeCalm = DEFAULT_TIP_CHANGE_CALM;
            private int tipChangeCalmLines = DEFAULT_TIP_CHANGE_CALM_LINES;

            private Builder() {
            }

            /**
             * How streams of models with a tip-state head report tip changes (see {@link org.scanline.TipChangeDetector}).
             *
             * @param threshold tip-state probability a line needs to count, in (0, 1]
             * @param lines consecutive confident lines that confirm a new state, at least 1
             * @return this builder
             */
            public Builder tipChange(double threshold, int lines) {
                tipChangeThreshold = threshold;
                tipChangeLines = lines;
                return this;
            }

            /**
             * The class-rise trigger of {@link org.scanline.TipChangeDetector}: a tip change is also
             * reported when the class-so-far probability of {@code watchedClass} reaches {@code rise}
             * after {@code calmLines} consecutive lines below {@code calm}. Models without that class
             * use the state switch alone.
             *
             * @param watchedClass class name, or null to turn the trigger off
             * @param rise probability that reports the change, in (0, 1]
             * @param calm probability below which a line is calm, in (0, rise)
             * @param calmLines calm lines that arm the trigger, at least 1
             * @return this builder
             */
            public Builder tipChangeClassRise(String watchedClass, double rise, double calm, int calmLines) {
                tipChangeClass = watchedClass;
                tipChangeRise = rise;
                tipChangeCalm = calm;
                tipChangeCalmLines = calmLines;
                return this;
            }

            /** @param v top probability below which a prediction is uncertain, in [0, 1] @return this builder */
            public Builder confidenceThreshold(double v) {
                confidenceThreshold = v;
                return this;
            }

            /** @param v intra-op threads for every workload, 0 for scanline's choice @return this builder */
            public Builder intraOpThreads(int v) {
                streamingThreads = v;
                batchThreads = v;
                return this;
            }

            /**
             * @param workload streaming or whole scans
             * @param v intra-op threads for that workload, 0 for scanline's choice ({@link Options#automaticThreads})
             * @return this builder
             */
            public Builder intraOpThreads(Workload workload, int v) {
                if (Objects.requireNonNull(workload, "workload") == Workload.STREAMING) {
                    streamingThreads = v;
                } else {
                    batchThreads = v;
                }
                return this;
            }

            /** @param v graph optimisation level @return this builder */
            public Builder optimization(Optimization v) {
                optimization = Objects.requireNonNull(v, "optimization");
                return this;
            }

            /** @param v whether idle intra-op threads spin, for every workload @return this builder */
            public Builder spinning(boolean v) {
                streamingSpinning = v;
                batchSpinning = v;
                return this;
            }

            /**
             * @param workload streaming or whole scans
             * @param v whether that workload's idle intra-op threads spin (can lower latency on idle cores)
             * @return this builder
             */
            public Builder spinning(Workload workload, boolean v) {
                if (Objects.requireNonNull(workload, "workload") == Workload.STREAMING) {
                    streamingSpinning = v;
                } else {
                    batchSpinning = v;
                }
                return this;
            }

            /**
             * @param v let ONNX Runtime plan memory from the first run's allocation pattern (it helps only
             *          when shapes repeat)
             * @return this builder
             */
            public Builder memoryPattern(boolean v) {
                memoryPattern = v;
                return this;
            }

            /**
             * @return the options
             * @throws BadConfigException if the threshold is outside [0, 1] or a thread count negative
             */
            public Options build() {
                if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
                    throw new BadConfigException("confidenceThreshold must be in [0, 1], found " + confidenceThreshold);
                }
                if (!(tipChangeThreshold > 0 && tipChangeThreshold <= 1) || tipChangeLines < 1) {
                    throw new BadConfigException("tip change needs a threshold in (0, 1] and at least 1 line, found "
                            + tipChangeThreshold + " and " + tipChangeLines);
                }
                if (tipChangeClass != null) {
                    new org.scanline.TipChangeDetector.ClassRise(0, tipChangeRise, tipChangeCalm, tipChangeCalmLines);
                }
                if (streamingThreads < 0 || batchThreads < 0) {
                    throw new BadConfigException("intraOpThreads must not be negative, found " + streamingThreads
                            + " (streaming) and " + batchThreads + " (batch)");
                }
                return new Options(this);
            }
        }
    }
}
