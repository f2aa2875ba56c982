package org.scanline.runtime;

import java.util.Optional;
import org.scanline.LineState;
import org.scanline.ModelFormat;
import org.scanline.TipChange;
import org.scanline.TipChangeDetector;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
    private final int layers;
    private final int heads;
    private final int headDim;
    private final boolean fixedCache;
    /** The graph has the input {@value ModelFormat#PREVIOUS_LINE} (format ≥ 4). */
    private final boolean previousLine;
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
        try {
            this.info = ModelMetadata.parse(source, session.getMetadata().getCustomMetadata());
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            checkLinesAndLogits(shape(inputs, ModelFormat.LINES, "input"), shape(outputs, ModelFormat.LOGITS, "output"));
            if (info.hasLineStates()) {
                long[] st = shape(outputs, ModelFormat.LINE_STATE, "output");
                if (info.architecture() != Architecture.CAUSAL || st.length != 3
                        || st[2] != info.lineStateNames().size()) {
                    throw new BadModelException(source + ": " + ModelFormat.KEY_LINE_STATES + " names "
                            + info.lineStateNames().size() + " states; the output '" + ModelFormat.LINE_STATE
                            + "' must be [batch, new_lines, " + info.lineStateNames().size() + "] on a causal model, found "
                            + java.util.Arrays.toString(st) + " on a " + info.architecture().id() + " model");
                }
            } else if (outputs.containsKey(ModelFormat.LINE_STATE)) {
                throw new BadModelException(source + ": the graph has an output '" + ModelFormat.LINE_STATE
                        + "' but the metadata has no " + ModelFormat.KEY_LINE_STATES);
            }
            if (info.architecture() == Architecture.CAUSAL) {
                int n = 0;
                while (inputs.containsKey(ModelFormat.pastKey(n))) {
                    n++;
                }
                if (n == 0) {
                    throw new BadModelException(source + ": a causal model needs inputs past_key_0, past_value_0, ..."
                            + " found only " + inputs.keySet());
                }
                long[] kv = shape(inputs, ModelFormat.pastKey(0), "input");
                if (kv.length != 4 || kv[1] <= 0 || kv[3] <= 0) {
                    throw new BadModelException(source + ": past_key_0 must be [batch, heads, past_lines, head_dim]"
                            + " with fixed heads and head_dim, found " + java.util.Arrays.toString(kv));
                }
                for (int i = 0; i < n; i++) {
                    shape(inputs, ModelFormat.pastValue(i), "input");
                    shape(outputs, ModelFormat.presentKey(i), "output");
                    shape(outputs, ModelFormat.presentValue(i), "output");
                }
                fixedCache = info.formatVersion() >= ModelFormat.FIXED_CACHE_SINCE;
                if (fixedCache) {
                    NodeInfo past = inputs.get(ModelFormat.PAST_LINES);
                    if (past == null || !(past.getInfo() instanceof TensorInfo t)
                            || t.type != OnnxJavaType.INT64 || t.getShape().length != 0) {
                        throw new BadModelException(source + ": a causal model of scanline.format " + info.formatVersion()
                                + " needs the int64 scalar input '" + ModelFormat.PAST_LINES + "', found "
                                + (past == null ? inputs.keySet() : past.getInfo()));
                    }
                }
                NodeInfo previous = inputs.get(ModelFormat.PREVIOUS_LINE);
                previousLine = previous != null;
                if (previousLine) {
                    if (info.formatVersion() < ModelFormat.PREVIOUS_LINE_SINCE) {
                        throw new BadModelException(source + ": the input '" + ModelFormat.PREVIOUS_LINE
                                + "' needs scanline.format " + ModelFormat.PREVIOUS_LINE_SINCE + " or newer, the file says "
                                + info.formatVersion());
                    }
                    long[] ps = previous.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT
                            ? t.getShape() : null;
                    if (ps == null || ps.length != 2 || (ps[1] >= 0 && ps[1] != info.pixels())) {
                        throw new BadModelException(source + ": input '" + ModelFormat.PREVIOUS_LINE
                                + "' must be float [batch, " + info.pixels() + "], found " + previous.getInfo());
                    }
                }
                if (inputs.size() != 2 * n + 1 + (fixedCache ? 1 : 0) + (previousLine ? 1 : 0)) {
                    throw new BadModelException(source + ": unexpected inputs for a causal model of scanline.format "
                            + info.formatVersion() + ": " + inputs.keySet());
                }
                layers = n;
                heads = (int) kv[1];
                headDim = (int) kv[3];
            } else {
                fixedCache = false;
                previousLine = false;
                if (inputs.size() != 1) {
                    throw new BadModelException(source + ": a " + info.architecture() + " model has the single input"
                            + " 'lines', found " + inputs.keySet());
                }
                layers = 0;
                heads = 0;
                headDim = 0;
            }
        } catch (OrtException e) {
            throw new BadModelException(source + ": cannot read the model's inputs and metadata: " + e.getMessage(), e);
        }
    }

    /**
     * The metadata against the declared shapes: a graph built for other sizes would otherwise run and
     * label its outputs with the wrong names, or fail only on the first long scan.
     */
    private void checkLinesAndLogits(long[] lines, long[] logits) {
        if (lines.length != 3) {
            throw new BadModelException(source + ": input 'lines' must be [batch, lines, pixels], found "
                    + java.util.Arrays.toString(lines));
        }
        if (lines[2] >= 0 && lines[2] != info.pixels()) {
            throw new BadModelException(source + ": metadata key 'scanline.pixels' is " + info.pixels()
                    + " but the graph's input 'lines' takes " + lines[2] + " pixels per line (shape "
                    + java.util.Arrays.toString(lines) + ")");
        }
        if (lines[1] >= 0) {
            throw new BadModelException(source + ": input 'lines' must take any number of lines up to "
                    + "'scanline.max_lines' (" + info.maxLines() + "), but the graph fixes it at " + lines[1]
                    + " (shape " + java.util.Arrays.toString(lines) + ")");
        }
        if (logits.length != 3) {
            throw new BadModelException(source + ": output 'logits' must be [batch, lines, classes], found "
                    + java.util.Arrays.toString(logits));
        }
        if (logits[2] >= 0 && logits[2] != info.classCount()) {
            throw new BadModelException(classCountMismatch(logits[2], logits));
        }
    }

    private String classCountMismatch(long graphClasses, long[] logitsShape) {
        return source + ": metadata key 'scanline.classes' lists " + info.classCount() + " names "
                + info.classNames() + " but the graph's output 'logits' has " + graphClasses + " classes (shape "
                + java.util.Arrays.toString(logitsShape) + ")";
    }

    /**
     * Runs the graph once on zeros at the largest position the metadata promises
     * ({@code scanline.max_lines}): this is where a position table shorter than the metadata claims,
     * or a logits width the graph leaves symbolic, shows. A causal model takes one line after
     * {@code max_lines − 1} zero pasts (one step's cost; format 3: buffers of {@code max_lines} rows with
     * {@code past_lines = max_lines − 1}); vit the whole {@code max_lines}; lrcn, which has no positions,
     * one line. The probe runs on the batch session; the stream session loads the same graph.
     */
    private void probe() {
        int lines = info.architecture() == Architecture.VIT ? info.maxLines() : 1;
        int past = info.architecture() == Architecture.CAUSAL ? info.maxLines() - 1 : 0;
        int pastRows = fixedCache ? info.maxLines() : past;
        long pastFloats = (long) heads * pastRows * headDim;
        // a whole scan (classify, and the prefix a vit or lrcn stream keeps), or the pasts plus the
        // presents every layer computes from them
        if ((long) info.maxLines() * info.pixels() > MAX_PROBE_FLOATS
                || (1 + 2L * layers) * pastFloats > MAX_PROBE_FLOATS) {
            throw new BadModelException(source + ": metadata key 'scanline.max_lines' (" + info.maxLines() + ") with "
                    + "'scanline.pixels' (" + info.pixels() + ") describes scans larger than this runtime handles ("
                    + MAX_PROBE_FLOATS + " floats of input or key/value cache)");
        }
        Map<String, OnnxTensor> feed = new HashMap<>();
        List<OnnxTensor> owned = new ArrayList<>(2);
        try {
            try {
                OnnxTensor in = OnnxTensor.createTensor(env, zeros(lines * info.pixels()),
                        new long[] {1, lines, info.pixels()});
                owned.add(in);
                feed.put(ModelFormat.LINES, in);
                if (layers > 0) {
                    OnnxTensor zeros = OnnxTensor.createTensor(env, zeros((int) pastFloats),
                            new long[] {1, heads, pastRows, headDim});
                    owned.add(zeros);
                    for (int i = 0; i < layers; i++) {
                        feed.put(ModelFormat.pastKey(i), zeros);
                        feed.put(ModelFormat.pastValue(i), zeros);
                    }
                    if (fixedCache) {
                        OnnxTensor at = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {past}), new long[0]);
                        owned.add(at);
                        feed.put(ModelFormat.PAST_LINES, at);
                    }
                }
                if (previousLine) {
                    OnnxTensor prev = OnnxTensor.createTensor(env, zeros(info.pixels()), new long[] {1, info.pixels()});
                    owned.add(prev);
                    feed.put(ModelFormat.PREVIOUS_LINE, prev);
                }
                try (OrtSession.Result r = session.run(feed, Set.of(ModelFormat.LOGITS))) {
                    if (!(r.get(0) instanceof OnnxTensor out)) {
                        throw new BadModelException(source + ": output 'logits' is not a tensor");
                    }
                    long[] shape = out.getInfo().getShape();
                    if (shape.length != 3 || shape[0] != 1 || shape[1] != (info.architecture() == Architecture.VIT
                            ? 1 : lines)) {
                        throw new BadModelException(source + ": output 'logits' of " + lines + " line(s) should be [1, "
                                + (info.architecture() == Architecture.VIT ? 1 : lines) + ", " + info.classCount()
                                + "], found " + java.util.Arrays.toString(shape));
                    }
                    if (shape[2] != info.classCount()) {
                        throw new BadModelException(classCountMismatch(shape[2], shape));
                    }
                }
            } finally {
                for (OnnxTensor t : owned) {
                    t.close();
                }
            }
        } catch (OrtException e) {
            throw new BadModelException(source + ": the graph fails on a scan of 'scanline.max_lines' = "
                    + info.maxLines() + " lines, " + info.pixels() + " pixels each, as its metadata promises: "
                    + e.getMessage(), e);
        }
    }

    /** A zero-filled direct buffer: ONNX Runtime reads it in place, where a heap buffer would be copied. */
    private static FloatBuffer zeros(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private long[] shape(Map<String, NodeInfo> nodes, String name, String kind) {
        NodeInfo node = nodes.get(name);
        if (node == null || !(node.getInfo() instanceof TensorInfo t)) {
            throw new BadModelException(source + ": a " + info.architecture() + " model needs the " + kind + " '"
                    + name + "', found " + nodes.keySet());
        }
        return t.getShape();
    }

    /**
     * @param model the file
     * @param options settings
     * @return the classifier
     */
    static ScanLineClassifier open(Path model, Options options) {
        if (!Files.isRegularFile(model)) {
            throw new BadModelException(model + ": no such model file");
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
                checkLine(scan[l], s, l);
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
                out[members.get(i)] = prediction(logits[i], lines);
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
        try {
            ensureOpen();
            Map<String, OnnxTensor> feed = new HashMap<>();
            List<OnnxTensor> owned = new ArrayList<>(2);
            try {
                OnnxTensor linesTensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(normalised),
                        new long[] {batch, lines, info.pixels()});
                owned.add(linesTensor);
                feed.put(ModelFormat.LINES, linesTensor);
                if (layers > 0) {
                    // A full scan is the step graph with no past: one empty tensor serves every layer.
                    OnnxTensor empty = OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                            new long[] {batch, heads, 0, headDim});
                    owned.add(empty);
                    for (int i = 0; i < layers; i++) {
                        feed.put(ModelFormat.pastKey(i), empty);
                        feed.put(ModelFormat.pastValue(i), empty);
                    }
                    if (fixedCache) {
                        OnnxTensor none = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {0}), new long[0]);
                        owned.add(none);
                        feed.put(ModelFormat.PAST_LINES, none);
                    }
                }
                if (previousLine) {
                    OnnxTensor prev = OnnxTensor.createTensor(env, FloatBuffer.wrap(ModelFormat.firstLines(normalised,
                            batch, lines, info.pixels())), new long[] {batch, info.pixels()});
                    owned.add(prev);
                    feed.put(ModelFormat.PREVIOUS_LINE, prev);
                }
                try (OrtSession.Result r = session.run(feed, Set.of(ModelFormat.LOGITS))) {
                    FloatBuffer all = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    int rows = all.capacity() / (batch * k);
                    float[][] out = new float[batch][k];
                    for (int b = 0; b < batch; b++) {
                        all.position(((b + 1) * rows - 1) * k);
                        all.get(out[b]);
                    }
                    return out;
                }
            } finally {
                for (OnnxTensor t : owned) {
                    t.close();
                }
            }
        } catch (OrtException e) {
            throw new ScanlineException(source + ": ONNX Runtime failed on " + batch + " scan(s) of " + lines
                    + " lines: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Turns raw logits into the calibrated prediction. */
    Prediction prediction(float[] logits, int linesSeen) {
        return prediction(logits, linesSeen, Optional.empty(), Optional.empty());
    }

    /** @return the most probable state of per-line state logits, with every state's probability */
    LineState lineState(float[] stateLogits) {
        float[] probs = softmax(stateLogits, 1);
        int best = 0;
        for (int i = 1; i < probs.length; i++) {
            if (probs[i] > probs[best]) {
                best = i;
            }
        }
        return new LineState(best, info.lineStateNames().get(best), probs);
    }

    private static float[] softmax(float[] logits, double t) {
        float[] probs = new float[logits.length];
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v / t);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double e = Math.exp(logits[i] / t - max);
            probs[i] = (float) e;
            sum += e;
        }
        for (int i = 0; i < probs.length; i++) {
            probs[i] = (float) (probs[i] / sum);
        }
        return probs;
    }

    /** @return a tip-change detector with this classifier's settings, over the model's states */
    TipChangeDetector tipChangeDetector() {
        return new TipChangeDetector(info.lineStateNames(), options.tipChangeThreshold(), options.tipChangeLines(),
                options.tipChangeClassRise(info.classNames()).orElse(null));
    }

    /** Turns raw logits into the calibrated prediction, with the line's tip state and any change. */
    Prediction prediction(float[] logits, int linesSeen, Optional<LineState> state, Optional<TipChange> change) {
        float[] probs = softmax(logits, info.temperature());
        int best = 0;
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] > probs[best]) {
                best = i;
            }
        }
        return new Prediction(best, info.classNames().get(best), probs, linesSeen,
                probs[best] < options.confidenceThreshold(), state, change);
    }

    /**
     * Throws {@link BadDataException} unless the line has the model's width and finite pixels.
     * The message is built only on failure: this runs on every streamed line.
     *
     * @param scan index of the scan in a batch, or -1 for a stream
     */
    void checkLine(float[] line, int scan, int index) {
        if (line == null) {
            throw new BadDataException(where(scan, index) + " is null");
        }
        if (line.length != info.pixels()) {
            throw new BadDataException(where(scan, index) + " has " + line.length + " pixels; the model expects "
                    + info.pixels() + " (org.scanline.LineResampler resamples lines of another width)");
        }
        for (int i = 0; i < line.length; i++) {
            if (!Float.isFinite(line[i])) {
                throw new BadDataException(where(scan, index) + ", pixel " + i + " is " + line[i]
                        + "; pixels must be finite");
            }
        }
    }

    private static String where(int scan, int index) {
        return (scan < 0 ? "" : "scan " + scan + ", ") + "line " + index;
    }

    @Override
    public LineStream newStream() {
        lock.readLock().lock();
        try {
            ensureOpen();
            Releasable s = info.architecture() != Architecture.CAUSAL ? new PrefixLineStream(this)
                    : fixedCache ? new FixedCacheLineStream(this, takeCache())
                    : new CachedLineStream(this, layers, heads, headDim);
            streams.add(s);
            return (LineStream) s;
        } catch (OrtException e) {
            throw new ScanlineException(source + ": cannot create a stream: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- used by the streams ----

    OrtEnvironment env() {
        return env;
    }

    /** @return the session for whole scans (classify, classifyBatch and the prefix streams) */
    OrtSession session() {
        return session;
    }

    /** @return whether the graph takes the line before its first new line ({@value ModelFormat#PREVIOUS_LINE}) */
    boolean hasPreviousLine() {
        return previousLine;
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
        return new FixedCacheLineStream.Buffers(this, layers, heads, headDim);
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
            if (streamSession != session) {
                streamSession.close();
            }
            session.close();
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
