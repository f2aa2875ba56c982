package org.scanline.runtime;

import java.util.Optional;
import org.scanline.ModelFormat;
import org.scanline.TipChangeDetector;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.scanline.Architecture;
import org.scanline.BadDataException;
import org.scanline.BadModelException;
import org.scanline.LineStream;
import org.scanline.ModelInfo;
import org.scanline.Prediction;
import org.scanline.Sampling;
import org.scanline.ScanStream;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanlineException;

/**
 * {@link ScanLineClassifier} on ONNX Runtime: one session, or two when the {@link Options} resolve to
 * different thread settings for streaming and for whole scans (a session's thread pool is fixed when
 * it is created). Opened through {@link OnnxRuntimeProvider}; use {@link ScanLineClassifier#open}.
 *
 * <p>{@link OrtSession#run} is thread-safe, so calls share the sessions under a read lock;
 * {@link #close()} takes the write lock, so it waits for calls in flight, then releases every
 * open stream's tensors before the sessions, and later calls fail with {@link IllegalStateException}.
 */
final class OnnxClassifier implements ScanLineClassifier {
    /**
     * Most floats {@link #probe()} lets a model's metadata make it allocate (256 MiB): an 8192 × 8192
     * scan, or the key/value cache of 8192 lines of a 6-layer, d = 256 causal model, fit well within.
     */
    private static final long MAX_PROBE_FLOATS = 1L << 26;
    /** Most buffer sets of closed streams kept for new ones. */
    private static final int IDLE_CACHES = 4;
    private final String source;
    private final ModelInfo info;
    private final Options options;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final OrtSession streamSession;
    private final ModelSignature signature;
    private final PredictionDecoder decoder;
    /** The model file's surface check, or null when it has none. */
    private final SurfaceCheck surface;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Set<Releasable> streams = ConcurrentHashMap.newKeySet();
    /** Buffers of closed fixed-cache streams, kept for the next streams. */
    private final java.util.Deque<FixedCacheLineStream.Buffers> idleCaches = new java.util.ArrayDeque<>();
    private volatile boolean closed;

    private OnnxClassifier(String source, OrtSession session, OrtSession streamSession, OrtEnvironment env,
            Options options) {
        this.source = source;
        this.session = session;
        this.streamSession = streamSession;
        this.env = env;
        this.options = options;
        Map<String, String> props;
        try {
            props = session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new BadModelException(source + ": cannot read the model's metadata: " + e.getMessage(), e);
        }
        this.info = ModelMetadata.parse(source, props);
        this.signature = ModelSignature.of(source, info, session);
        this.decoder = new PredictionDecoder(info, options.confidenceThreshold());
        String surface = props.get(ModelFormat.KEY_SURFACE);
        this.surface = surface == null ? null : SurfaceCheck.fromJson(surface);
    }

    /**
     * Runs the graph once on zeros at the largest position the metadata promises
     * ({@code scanline.max_lines}, {@link ModelSignature#probe}): this is where a position table shorter
     * than the metadata claims, or a logits width the graph leaves symbolic, shows; and where a model
     * whose output is not finite (NaN weights) is refused before it can give an answer. The probe runs
     * on the batch session; the stream session loads the same graph.
     */
    private void probe() {
        int lines = signature.probeLines();
        // a whole scan (classify, and the prefix a vit or lrcn stream keeps), or the pasts plus the
        // presents every layer computes from them
        if ((long) info.maxLines() * info.pixels() > MAX_PROBE_FLOATS
                || (1 + 2L * signature.layers()) * signature.pastFloats() > MAX_PROBE_FLOATS) {
            throw new BadModelException(source + ": metadata key 'scanline.max_lines' (" + info.maxLines() + ") with "
                    + "'scanline.pixels' (" + info.pixels() + ") describes scans larger than this runtime handles ("
                    + MAX_PROBE_FLOATS + " floats of input or key/value cache)");
        }
        int expected = info.architecture() == Architecture.VIT ? 1 : lines;
        try (ModelSignature.Feed feed = signature.probe(env);
             OrtSession.Result r = session.run(feed.tensors(), Set.of(ModelFormat.LOGITS))) {
            if (!(r.get(0) instanceof OnnxTensor out)) {
                throw new BadModelException(source + ": output 'logits' is not a tensor");
            }
            long[] shape = out.getInfo().getShape();
            if (shape.length != 3 || shape[0] != 1 || shape[1] != expected) {
                throw new BadModelException(source + ": output 'logits' of " + lines + " line(s) should be [1, "
                        + expected + ", " + info.classCount() + "], found " + java.util.Arrays.toString(shape));
            }
            if (shape[2] != info.classCount()) {
                throw new BadModelException(ModelSignature.classCountMismatch(source, info, shape[2], shape));
            }
            float[] logits = new float[(int) (shape[1] * shape[2])];
            out.getFloatBuffer().get(logits);
            if (!PredictionDecoder.finite(logits)) {
                throw new BadModelException(source + ": the model's output 'logits' is not finite on a scan of zeros "
                        + java.util.Arrays.toString(logits) + "; its weights hold NaN or infinite values");
            }
        } catch (OrtException e) {
            throw new BadModelException(source + ": the graph fails on a scan of 'scanline.max_lines' = "
                    + info.maxLines() + " lines, " + info.pixels() + " pixels each, as its metadata promises: "
                    + e.getMessage(), e);
        }
    }

    /**
     * @param model the file
     * @param options settings
     * @return the classifier
     */
    static ScanLineClassifier open(Path model, Options options) {
        if (!Files.isRegularFile(model)) {
            throw new BadModelException(model + (Files.isDirectory(model) ? ": a folder, not a model file: give the .onnx file in it" : ": no such model file"));
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        return create(model.toString(), options, env, so -> env.createSession(model.toString(), so));
    }

    /**
     * @param model the bytes of a model file
     * @param options settings
     * @return the classifier
     */
    static ScanLineClassifier open(InputStream model, Options options) {
        byte[] bytes;
        try {
            bytes = model.readAllBytes();
        } catch (IOException e) {
            throw new BadModelException("<stream>: cannot read the model: " + e.getMessage(), e);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        return create("<stream>", options, env, so -> env.createSession(bytes, so));
    }

    private interface SessionFactory {
        OrtSession create(OrtSession.SessionOptions so) throws OrtException;
    }

    private static ScanLineClassifier create(String source, Options options, OrtEnvironment env, SessionFactory factory) {
        int cores = Runtime.getRuntime().availableProcessors();
        int batchThreads = options.resolvedIntraOpThreads(Options.Workload.BATCH, cores);
        int streamThreads = options.resolvedIntraOpThreads(Options.Workload.STREAMING, cores);
        boolean batchSpin = options.spinning(Options.Workload.BATCH);
        boolean streamSpin = options.spinning(Options.Workload.STREAMING);
        OrtSession session = session(source, options, batchThreads, batchSpin, factory);
        OrtSession streamSession = session;
        try {
            if (streamThreads != batchThreads || streamSpin != batchSpin) {
                streamSession = session(source, options, streamThreads, streamSpin, factory);
            }
            OnnxClassifier classifier = new OnnxClassifier(source, session, streamSession, env, options);
            classifier.probe();
            return classifier;
        } catch (RuntimeException e) {
            closeQuietly(session, e);
            if (streamSession != session) {
                closeQuietly(streamSession, e);
            }
            throw e;
        }
    }

    private static OrtSession session(String source, Options options, int threads, boolean spinning,
            SessionFactory factory) {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(switch (options.optimization()) {
                case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            });
            if (threads > 0) {
                so.setIntraOpNumThreads(threads);
            }
            so.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            so.setMemoryPatternOptimization(options.memoryPattern());
            return factory.create(so);
        } catch (OrtException e) {
            throw new BadModelException(source + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OrtSession s, RuntimeException cause) {
        try {
            s.close();
        } catch (OrtException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** @return the options the classifier was opened with */
    public Options options() {
        return options;
    }

    @Override
    public Prediction classify(float[][] scan) {
        return classifyBatch(java.util.Collections.singletonList(scan)).get(0);
    }

    @Override
    public List<Prediction> classifyBatch(List<float[][]> scans) {
        if (scans.isEmpty()) {
            return List.of();
        }
        for (int s = 0; s < scans.size(); s++) {
            float[][] scan = scans.get(s);
            if (scan == null || scan.length == 0) {
                throw new BadDataException("scan " + s + " has no lines");
            }
            if (scan.length > info.maxLines()) {
                throw new BadDataException("scan " + s + " has " + scan.length + " lines; the model accepts at most "
                        + info.maxLines());
            }
            for (int l = 0; l < scan.length; l++) {
                signature.checkLine(scan[l], s, l);
            }
        }
        // One model call per distinct line count, so no padding is ever needed.
        Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
        for (int s = 0; s < scans.size(); s++) {
            byLength.computeIfAbsent(scans.get(s).length, k -> new ArrayList<>()).add(s);
        }
        Prediction[] out = new Prediction[scans.size()];
        int p = info.pixels();
        for (Map.Entry<Integer, List<Integer>> group : byLength.entrySet()) {
            int lines = group.getKey();
            List<Integer> members = group.getValue();
            float[] flat = new float[members.size() * lines * p];
            for (int i = 0; i < members.size(); i++) {
                float[][] scan = scans.get(members.get(i));
                for (int l = 0; l < lines; l++) {
                    info.normalizer().normalize(scan[l], 0, flat, (i * lines + l) * p, p);
                }
            }
            float[][] logits = runFull(flat, members.size(), lines);
            for (int i = 0; i < members.size(); i++) {
                out[members.get(i)] = decoder.decode(logits[i], lines);
            }
        }
        return List.of(out);
    }

    /**
     * Runs the graph on normalised lines and returns the logits after the last line of each sample.
     */
    float[][] runFull(float[] normalised, int batch, int lines) {
        int k = info.classCount();
        lock.readLock().lock();
        try (ModelSignature.Feed feed = feedOrEmpty(normalised, batch, lines)) {
            ensureOpen();
            try (OrtSession.Result r = session.run(feed.tensors(), Set.of(ModelFormat.LOGITS))) {
                FloatBuffer all = ((OnnxTensor) r.get(0)).getFloatBuffer();
                int rows = all.capacity() / (batch * k);
                float[][] out = new float[batch][k];
                for (int b = 0; b < batch; b++) {
                    all.position(((b + 1) * rows - 1) * k);
                    all.get(out[b]);
                }
                return out;
            }
        } catch (OrtException e) {
            throw new ScanlineException(source + ": ONNX Runtime failed on " + batch + " scan(s) of " + lines
                    + " lines: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    private ModelSignature.Feed feedOrEmpty(float[] normalised, int batch, int lines) throws OrtException {
        ensureOpen();
        return signature.fullScan(env, normalised, batch, lines);
    }

    /** @return a tip-change detector with this classifier's settings, over the model's states */
    TipChangeDetector tipChangeDetector() {
        return new TipChangeDetector(info.lineStateNames(), options.tipChangeThreshold(), options.tipChangeLines(),
                options.tipChangeClassRise(info.classNames()).orElse(null));
    }

    @Override
    public LineStream newStream() {
        lock.readLock().lock();
        try {
            ensureOpen();
            Releasable s = info.architecture() != Architecture.CAUSAL ? new PrefixLineStream(this)
                    : signature.fixedCache() ? new FixedCacheLineStream(this, takeCache())
                    : new CachedLineStream(this);
            streams.add(s);
            return (LineStream) s;
        } catch (OrtException e) {
            throw new ScanlineException(source + ": cannot create a stream: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public ScanStream newStream(Sampling sampling, int pixels) {
        java.util.Objects.requireNonNull(sampling, "sampling");
        return scanStream(sampling, pixels);
    }

    @Override
    public ScanStream newStream(int pixels) {
        return scanStream(null, pixels);
    }

    private ScanStream scanStream(Sampling sampling, int pixels) {
        ensureOpen();
        return new SampledScanStream(this, sampling, pixels);
    }

    @Override
    public Prediction classifyAcquired(float[][] scan) {
        return AcquiredScans.classify(this, scan, null);
    }

    @Override
    public Prediction classifyAcquired(float[][] scan, Sampling sampling) {
        java.util.Objects.requireNonNull(sampling, "sampling");
        return AcquiredScans.classify(this, scan, sampling);
    }

    // ---- used by the streams ----

    OrtEnvironment env() {
        return env;
    }

    /** @return the session for whole scans (classify, classifyBatch and the prefix streams) */
    OrtSession session() {
        return session;
    }

    /** @return the graph's signature */
    ModelSignature signature() {
        return signature;
    }

    /** @return the decoder of this classifier's predictions */
    PredictionDecoder decoder() {
        return decoder;
    }

    /**
     * A scorer of the model file's surface check for one scan, where it can judge: its features are
     * physical frequencies, so without a known sampling it would flag every scan.
     *
     * @param sampler how the scan's lines reach the model
     * @return a new scorer, or empty without a check or without a physical pixel size
     */
    Optional<SurfaceCheck.Scorer> surfaceScorer(LineSampler sampler) {
        return surface == null || !Double.isFinite(sampler.pixelNm()) ? Optional.empty()
                : Optional.of(surface.newScorer());
    }

    /** @return the session the cached streams push lines through (the same one unless the options differ) */
    OrtSession streamSession() {
        return streamSession;
    }

    String source() {
        return source;
    }

    ReentrantReadWriteLock.ReadLock readLock() {
        return lock.readLock();
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(source + ": the classifier is closed");
        }
    }

    void forget(Releasable stream) {
        streams.remove(stream);
    }

    /** @return the buffers a closed fixed-cache stream left, or new ones */
    private FixedCacheLineStream.Buffers takeCache() throws OrtException {
        synchronized (idleCaches) {
            FixedCacheLineStream.Buffers b = idleCaches.poll();
            if (b != null) {
                return b;
            }
        }
        return new FixedCacheLineStream.Buffers(this);
    }

    /**
     * Keeps a closed stream's buffers for the next stream (up to {@value #IDLE_CACHES}); closes them once
     * the classifier is closed or enough are kept. Rows a stream left in them are never read again: the
     * next stream starts at {@code past_lines = 0}.
     */
    void recycle(FixedCacheLineStream.Buffers b) {
        synchronized (idleCaches) {
            if (!closed && idleCaches.size() < IDLE_CACHES) {
                idleCaches.push(b);
                return;
            }
        }
        b.close();
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Releasable s : streams) {
                s.release();
            }
            streams.clear();
            synchronized (idleCaches) {
                idleCaches.forEach(FixedCacheLineStream.Buffers::close);
                idleCaches.clear();
            }
            try {
                if (streamSession != session) {
                    streamSession.close();
                }
            } finally {
                session.close(); // even when the stream session failed to close
            }
        } catch (OrtException e) {
            throw new ScanlineException(source + ": closing the session failed: " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "OnnxClassifier[" + source + ", " + info.architecture() + ", " + info.classNames() + "]";
    }

    /** A stream's native state, released by the classifier when it closes first. */
    interface Releasable {
        void release();
    }
}
