package org.scanline.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.scanline.Architecture;
import org.scanline.BadDataException;
import org.scanline.BadModelException;
import org.scanline.ModelFormat;
import org.scanline.ModelInfo;

/**
 * A model file's graph signature, in one place for every format: which inputs and outputs the graph
 * has, checked against its metadata when the file opens, and the input feeds a call needs (a full
 * scan, the probe at {@code max_lines}). The runtime's classifier and streams and the exporter's
 * checks read the graph through it, so a new format version changes this class and
 * {@link ModelFormat} alone.
 *
 * <pre>{@code
 * ModelSignature sig = ModelSignature.of("model.onnx", info, session);
 * try (ModelSignature.Feed feed = sig.fullScan(env, normalisedLines, 1, lines)) {
 *     session.run(feed.tensors(), Set.of(ModelFormat.LOGITS));
 * }
 * }</pre>
 */
@API(status = API.Status.INTERNAL)
public final class ModelSignature {
    private final String source;
    private final ModelInfo info;
    private final int layers;
    private final int heads;
    private final int headDim;
    private final boolean fixedCache;
    private final boolean previousLine;

    private ModelSignature(String source, ModelInfo info, int layers, int heads, int headDim, boolean fixedCache,
            boolean previousLine) {
        this.source = source;
        this.info = info;
        this.layers = layers;
        this.heads = heads;
        this.headDim = headDim;
        this.fixedCache = fixedCache;
        this.previousLine = previousLine;
    }

    /**
     * Reads and checks the signature of an open session.
     *
     * @param source the model file, for messages
     * @param info its metadata
     * @param session the session
     * @return the signature
     * @throws BadModelException if the graph does not match the metadata
     */
    public static ModelSignature of(String source, ModelInfo info, OrtSession session) {
        try {
            return of(source, info, session.getInputInfo(), session.getOutputInfo());
        } catch (OrtException e) {
            throw new BadModelException(source + ": cannot read the model's inputs: " + e.getMessage(), e);
        }
    }

    /**
     * Checks the graph's declared inputs and outputs against the metadata: a graph built for other
     * sizes would otherwise run and label its outputs with the wrong names, or fail only on the first
     * long scan.
     *
     * @param source the model file, for messages
     * @param info its metadata
     * @param inputs the graph's inputs
     * @param outputs the graph's outputs
     * @return the signature
     * @throws BadModelException if the graph does not match the metadata
     */
    public static ModelSignature of(String source, ModelInfo info, Map<String, NodeInfo> inputs,
            Map<String, NodeInfo> outputs) {
        Checks c = new Checks(source, info);
        c.linesAndLogits(c.shape(inputs, ModelFormat.LINES, "input"), c.shape(outputs, ModelFormat.LOGITS, "output"));
        c.lineStates(outputs);
        if (info.architecture() != Architecture.CAUSAL) {
            if (inputs.size() != 1) {
                throw new BadModelException(source + ": a " + info.architecture() + " model has the single input"
                        + " 'lines', found " + inputs.keySet());
            }
            return new ModelSignature(source, info, 0, 0, 0, false, false);
        }
        int n = 0;
        while (inputs.containsKey(ModelFormat.pastKey(n))) {
            n++;
        }
        if (n == 0) {
            throw new BadModelException(source + ": a causal model needs inputs past_key_0, past_value_0, ..."
                    + " found only " + inputs.keySet());
        }
        long[] kv = c.shape(inputs, ModelFormat.pastKey(0), "input");
        if (kv.length != 4 || kv[1] <= 0 || kv[3] <= 0) {
            throw new BadModelException(source + ": past_key_0 must be [batch, heads, past_lines, head_dim]"
                    + " with fixed heads and head_dim, found " + Arrays.toString(kv));
        }
        for (int i = 0; i < n; i++) {
            c.shape(inputs, ModelFormat.pastValue(i), "input");
            c.shape(outputs, ModelFormat.presentKey(i), "output");
            c.shape(outputs, ModelFormat.presentValue(i), "output");
        }
        boolean fixed = info.formatVersion() >= ModelFormat.FIXED_CACHE_SINCE;
        if (fixed) {
            NodeInfo past = inputs.get(ModelFormat.PAST_LINES);
            if (past == null || !(past.getInfo() instanceof TensorInfo t)
                    || t.type != OnnxJavaType.INT64 || t.getShape().length != 0) {
                throw new BadModelException(source + ": a causal model of scanline.format " + info.formatVersion()
                        + " needs the int64 scalar input '" + ModelFormat.PAST_LINES + "', found "
                        + (past == null ? inputs.keySet() : past.getInfo()));
            }
        }
        boolean previous = c.previousLine(inputs.get(ModelFormat.PREVIOUS_LINE));
        if (inputs.size() != 2 * n + 1 + (fixed ? 1 : 0) + (previous ? 1 : 0)) {
            throw new BadModelException(source + ": unexpected inputs for a causal model of scanline.format "
                    + info.formatVersion() + ": " + inputs.keySet());
        }
        return new ModelSignature(source, info, n, (int) kv[1], (int) kv[3], fixed, previous);
    }

    /** The checks of {@link #of}, with the file and metadata they report against. */
    private record Checks(String source, ModelInfo info) {
        long[] shape(Map<String, NodeInfo> nodes, String name, String kind) {
            NodeInfo node = nodes.get(name);
            if (node == null || !(node.getInfo() instanceof TensorInfo t)) {
                throw new BadModelException(source + ": a " + info.architecture() + " model needs the " + kind + " '"
                        + name + "', found " + nodes.keySet());
            }
            return t.getShape();
        }

        void linesAndLogits(long[] lines, long[] logits) {
            if (lines.length != 3) {
                throw new BadModelException(source + ": input 'lines' must be [batch, lines, pixels], found "
                        + Arrays.toString(lines));
            }
            if (lines[2] >= 0 && lines[2] != info.pixels()) {
                throw new BadModelException(source + ": metadata key 'scanline.pixels' is " + info.pixels()
                        + " but the graph's input 'lines' takes " + lines[2] + " pixels per line (shape "
                        + Arrays.toString(lines) + ")");
            }
            if (lines[1] >= 0) {
                throw new BadModelException(source + ": input 'lines' must take any number of lines up to "
                        + "'scanline.max_lines' (" + info.maxLines() + "), but the graph fixes it at " + lines[1]
                        + " (shape " + Arrays.toString(lines) + ")");
            }
            if (logits.length != 3) {
                throw new BadModelException(source + ": output 'logits' must be [batch, lines, classes], found "
                        + Arrays.toString(logits));
            }
            if (logits[2] >= 0 && logits[2] != info.classCount()) {
                throw new BadModelException(classCountMismatch(source, info, logits[2], logits));
            }
        }

        void lineStates(Map<String, NodeInfo> outputs) {
            if (info.hasLineStates()) {
                long[] st = shape(outputs, ModelFormat.LINE_STATE, "output");
                if (info.architecture() != Architecture.CAUSAL || st.length != 3
                        || st[2] != info.lineStateNames().size()) {
                    throw new BadModelException(source + ": " + ModelFormat.KEY_LINE_STATES + " names "
                            + info.lineStateNames().size() + " states; the output '" + ModelFormat.LINE_STATE
                            + "' must be [batch, new_lines, " + info.lineStateNames().size() + "] on a causal model, found "
                            + Arrays.toString(st) + " on a " + info.architecture().id() + " model");
                }
            } else if (outputs.containsKey(ModelFormat.LINE_STATE)) {
                throw new BadModelException(source + ": the graph has an output '" + ModelFormat.LINE_STATE
                        + "' but the metadata has no " + ModelFormat.KEY_LINE_STATES);
            }
        }

        boolean previousLine(NodeInfo previous) {
            if (previous == null) {
                return false;
            }
            if (info.formatVersion() < ModelFormat.PREVIOUS_LINE_SINCE) {
                throw new BadModelException(source + ": the input '" + ModelFormat.PREVIOUS_LINE
                        + "' needs scanline.format " + ModelFormat.PREVIOUS_LINE_SINCE + " or newer, the file says "
                        + info.formatVersion());
            }
            long[] ps = previous.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT ? t.getShape() : null;
            if (ps == null || ps.length != 2 || (ps[1] >= 0 && ps[1] != info.pixels())) {
                throw new BadModelException(source + ": input '" + ModelFormat.PREVIOUS_LINE
                        + "' must be float [batch, " + info.pixels() + "], found " + previous.getInfo());
            }
            return true;
        }
    }

    static String classCountMismatch(String source, ModelInfo info, long graphClasses, long[] logitsShape) {
        return source + ": metadata key 'scanline.classes' lists " + info.classCount() + " names "
                + info.classNames() + " but the graph's output 'logits' has " + graphClasses + " classes (shape "
                + Arrays.toString(logitsShape) + ")";
    }

    /** @return the model file, for messages */
    public String source() {
        return source;
    }

    /** @return the metadata the graph was checked against */
    public ModelInfo info() {
        return info;
    }

    /** @return key/value layers of a causal model; 0 for models without a cache */
    public int layers() {
        return layers;
    }

    /** @return attention heads of the key/value cache (0 without a cache) */
    public int heads() {
        return heads;
    }

    /** @return size of one head's key or value (0 without a cache) */
    public int headDim() {
        return headDim;
    }

    /** @return whether the cache has a fixed capacity updated in place and the input {@value ModelFormat#PAST_LINES} */
    public boolean fixedCache() {
        return fixedCache;
    }

    /** @return whether the graph takes {@value ModelFormat#PREVIOUS_LINE} (format ≥ 4) */
    public boolean previousLine() {
        return previousLine;
    }

    /**
     * The feed of a call over whole scans from line 0: the lines, empty pasts for every layer,
     * {@code past_lines = 0} and each scan's first line as its own previous line, as the format asks.
     *
     * @param env the environment
     * @param normalised normalised lines, row-major {@code [batch, lines, pixels]}; read in place
     * @param batch scans
     * @param lines lines per scan
     * @return the feed; close it after the call
     * @throws OrtException if a tensor cannot be made
     */
    public Feed fullScan(OrtEnvironment env, float[] normalised, int batch, int lines) throws OrtException {
        Feed feed = new Feed();
        try {
            feed.put(ModelFormat.LINES, OnnxTensor.createTensor(env, FloatBuffer.wrap(normalised),
                    new long[] {batch, lines, info.pixels()}));
            if (layers > 0) {
                // A full scan is the step graph with no past: one empty tensor serves every layer.
                OnnxTensor empty = feed.own(OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                        new long[] {batch, heads, 0, headDim}));
                for (int i = 0; i < layers; i++) {
                    feed.tensors.put(ModelFormat.pastKey(i), empty);
                    feed.tensors.put(ModelFormat.pastValue(i), empty);
                }
                if (fixedCache) {
                    feed.put(ModelFormat.PAST_LINES, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {0}),
                            new long[0]));
                }
            }
            if (previousLine) {
                feed.put(ModelFormat.PREVIOUS_LINE, OnnxTensor.createTensor(env,
                        FloatBuffer.wrap(ModelFormat.firstLines(normalised, batch, lines, info.pixels())),
                        new long[] {batch, info.pixels()}));
            }
            return feed;
        } catch (OrtException | RuntimeException e) {
            feed.close();
            throw e;
        }
    }

    /**
     * The feed of the probe: zeros at the largest position the metadata promises. A causal model
     * takes one line after {@code max_lines − 1} zero pasts (fixed cache: buffers of {@code max_lines}
     * rows with {@code past_lines = max_lines − 1}); vit the whole {@code max_lines}; lrcn, which has
     * no positions, one line.
     *
     * @param env the environment
     * @return the feed; close it after the call
     * @throws OrtException if a tensor cannot be made
     */
    Feed probe(OrtEnvironment env) throws OrtException {
        int lines = probeLines();
        int past = info.architecture() == Architecture.CAUSAL ? info.maxLines() - 1 : 0;
        int pastRows = fixedCache ? info.maxLines() : past;
        Feed feed = new Feed();
        try {
            feed.put(ModelFormat.LINES, OnnxTensor.createTensor(env, zeros(lines * info.pixels()),
                    new long[] {1, lines, info.pixels()}));
            if (layers > 0) {
                OnnxTensor zeros = feed.own(OnnxTensor.createTensor(env, zeros((int) pastFloats()),
                        new long[] {1, heads, pastRows, headDim}));
                for (int i = 0; i < layers; i++) {
                    feed.tensors.put(ModelFormat.pastKey(i), zeros);
                    feed.tensors.put(ModelFormat.pastValue(i), zeros);
                }
                if (fixedCache) {
                    feed.put(ModelFormat.PAST_LINES, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {past}),
                            new long[0]));
                }
            }
            if (previousLine) {
                feed.put(ModelFormat.PREVIOUS_LINE, OnnxTensor.createTensor(env, zeros(info.pixels()),
                        new long[] {1, info.pixels()}));
            }
            return feed;
        } catch (OrtException | RuntimeException e) {
            feed.close();
            throw e;
        }
    }

    /** @return lines in the probe's call: {@code max_lines} for vit, else 1 */
    int probeLines() {
        return info.architecture() == Architecture.VIT ? info.maxLines() : 1;
    }

    /** @return floats of one past tensor in the probe */
    long pastFloats() {
        int past = info.architecture() == Architecture.CAUSAL ? info.maxLines() - 1 : 0;
        return (long) heads * (fixedCache ? info.maxLines() : past) * headDim;
    }

    /** A zero-filled direct buffer: ONNX Runtime reads it in place, where a heap buffer would be copied. */
    private static FloatBuffer zeros(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Throws {@link BadDataException} unless the line has the model's width and finite pixels. The
     * message is built only on failure: this runs on every streamed line.
     *
     * @param line the line
     * @param scan index of the scan in a batch, or -1 for a stream
     * @param index the line's index
     */
    public void checkLine(float[] line, int scan, int index) {
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

    /** The input tensors of one call, closed together. */
    public static final class Feed implements AutoCloseable {
        private final Map<String, OnnxTensor> tensors = new HashMap<>();
        private final List<OnnxTensor> owned = new ArrayList<>(4);

        private Feed() {
        }

        private OnnxTensor own(OnnxTensor t) {
            owned.add(t);
            return t;
        }

        private void put(String name, OnnxTensor t) {
            tensors.put(name, own(t));
        }

        /** @return the tensors by input name, to pass to {@link OrtSession#run} */
        public Map<String, OnnxTensor> tensors() {
            return tensors;
        }

        @Override
        public void close() {
            owned.forEach(OnnxTensor::close);
            owned.clear();
        }
    }
}
