package org.scanline.export;

import org.scanline.model.ModelSpec;
import org.scanline.ModelFormat;
import org.scanline.model.ScanModels;
import org.scanline.Architecture;
import org.scanline.BadConfigException;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apiguardian.api.API;
import org.scanline.io.AtomicOutput;
import org.scanline.model.Weight;
import org.scanline.run.Provenance;

/**
 * Writes a model's named weights as one ONNX file (opset 17, dynamic batch and line axes) with
 * the {@code scanline.*} metadata of DESIGN.md, built with the {@code OnnxMl} protobuf classes.
 *
 * <pre>{@code
 * byte[] onnx = OnnxExporter.toBytes(ModelSpec.of(config, 128, 4), model.namedWeights(), metadata, false);
 * OnnxExporter.write(Path.of("model.onnx"), spec, weights, metadata, false);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class OnnxExporter {
    /**
     * The newest version of the model-file contract this exporter writes ({@code scanline.format}); a
     * {@link GraphStyle#GROWING_CACHE} or {@link GraphStyle#PLAIN} file, or a causal model whose head
     * size {@link GraphStyle#FIXED_CACHE} cannot serve, says 2.
     */
    public static final int FORMAT_VERSION = ModelFormat.VERSION;
    static final int OPSET = 17;
    private static final long IR_VERSION = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxExporter() {
    }

    /**
     * Builds the model file in memory.
     *
     * @param spec sizes of the model
     * @param weights named weights with the names of docs/models.md
     * @param metadata the metadata to embed
     * @param int8 store the transformer's weight matrices as int8 (dynamic quantisation)
     * @return the serialised ONNX model
     * @throws org.scanline.BadModelException if a weight is missing or has the wrong shape
     */
    public static byte[] toBytes(ModelSpec spec, Map<String, Weight> weights, ExportMetadata metadata, boolean int8) {
        return toBytes(spec, weights, metadata, int8, GraphStyle.FIXED_CACHE);
    }

    /**
     * Builds the model file in memory in a given graph style.
     *
     * @param spec sizes of the model
     * @param weights named weights with the names of docs/models.md
     * @param metadata the metadata to embed
     * @param int8 store the transformer's weight matrices as int8 (dynamic quantisation)
     * @param style how a causal model's key/value cache is laid out (its {@code scanline.format} follows)
     * @return the serialised ONNX model
     */
    public static byte[] toBytes(ModelSpec spec, Map<String, Weight> weights, ExportMetadata metadata, boolean int8,
            GraphStyle style) {
        return model(spec, weights, metadata, int8, style).toByteArray();
    }

    /**
     * The weight products of a causal model's layers alone, as its format-3 graph computes them: a
     * benchmark's floor for a line or a scan ({@code scanline bench-runtime --floor}), not a model file.
     *
     * @param spec sizes of a causal model
     * @param weights named weights with the names of docs/models.md
     * @param int8 int8 weight matrices
     * @return the serialised ONNX graph: input {@code x [batch, lines, d]}, output {@code y}
     */
    public static byte[] productsOnly(ModelSpec spec, Map<String, Weight> weights, boolean int8) {
        if (spec.architecture() != Architecture.CAUSAL) {
            throw new BadConfigException("the products-only graph is a causal model's, not " + spec.architecture().id());
        }
        return modelOf(BenchmarkGraphs.productsOnly(spec, weights, int8)).build().toByteArray();
    }

    /** A model around a graph: IR version, producer, and the operator sets the graph uses. */
    private static OnnxMl.ModelProto.Builder modelOf(Graph graph) {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(ModelFormat.PRODUCER)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph.build());
        if (graph.usesMicrosoftDomain()) {
            model.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(Graph.MICROSOFT_DOMAIN).setVersion(1));
        }
        return model;
    }

    /**
     * Builds the model, then writes it through {@link AtomicOutput}: a temporary file beside
     * {@code out}, forced to disk and renamed into place, with the permissions of any new file.
     *
     * @param out the file to write
     * @param spec sizes of the model
     * @param weights named weights
     * @param metadata the metadata to embed
     * @param int8 store the transformer's weight matrices as int8
     * @throws UncheckedIOException if the file cannot be written (nothing is left behind then)
     */
    public static void write(Path out, ModelSpec spec, Map<String, Weight> weights, ExportMetadata metadata, boolean int8) {
        write(out, spec, weights, metadata, int8, GraphStyle.FIXED_CACHE);
    }

    /**
     * As {@link #write(Path, ModelSpec, Map, ExportMetadata, boolean)} in a given graph style.
     *
     * @param out the file to write
     * @param spec sizes of the model
     * @param weights named weights
     * @param metadata the metadata to embed
     * @param int8 store the transformer's weight matrices as int8
     * @param style how a causal model's key/value cache is laid out
     * @throws UncheckedIOException if the file cannot be written (nothing is left behind then)
     */
    public static void write(Path out, ModelSpec spec, Map<String, Weight> weights, ExportMetadata metadata, boolean int8,
            GraphStyle style) {
        OnnxMl.ModelProto model = model(spec, weights, metadata, int8, style);
        AtomicOutput.write(out, model::writeTo);
    }

    static void writeAtomically(Path out, byte[] bytes) {
        AtomicOutput.write(out, o -> o.write(bytes));
    }

    static OnnxMl.ModelProto model(ModelSpec spec, Map<String, Weight> weights, ExportMetadata metadata, boolean int8) {
        return model(spec, weights, metadata, int8, GraphStyle.FIXED_CACHE);
    }

    static OnnxMl.ModelProto model(ModelSpec spec, Map<String, Weight> weights, ExportMetadata metadata, boolean int8,
            GraphStyle style) {
        if (metadata.classNames().size() != spec.classes()) {
            throw new IllegalArgumentException(metadata.classNames().size() + " class names for a model of "
                    + spec.classes() + " classes");
        }
        Graph graph = ModelGraphs.build(spec, weights, int8, style);
        OnnxMl.ModelProto.Builder model = modelOf(graph)
                .setProducerVersion(metadata.libraryVersion())
                .setDomain(ModelFormat.DOMAIN)
                .setModelVersion(graph.format())
                .setDocString("scanline " + spec.architecture().id() + " tip-state classifier; see docs/embedding.md");
        metadataProps(spec, metadata, int8, graph.format()).forEach((k, v) ->
                model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    static Map<String, String> metadataProps(ModelSpec spec, ExportMetadata m, boolean int8, int format) {
        Map<String, String> props = new LinkedHashMap<>();
        // the sampling key comes with format 5, whose causal graphs have the fixed cache of format 3 on;
        // a format-2 causal graph stays format 2, without the key
        boolean sampling = m.sampling() != null
                && (spec.architecture() != Architecture.CAUSAL || format >= ModelFormat.FIXED_CACHE_SINCE);
        props.put(ModelFormat.KEY_FORMAT, Integer.toString(sampling ? ModelFormat.SAMPLING_SINCE : format));
        props.put(ModelFormat.KEY_ARCHITECTURE, spec.architecture().id());
        try {
            props.put(ModelFormat.KEY_CLASSES, JSON.writeValueAsString(m.classNames()));
            if (spec.lineStates() > 0) {
                props.put(ModelFormat.KEY_LINE_STATES, JSON.writeValueAsString(ScanModels.LINE_STATE_NAMES));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        props.put(ModelFormat.KEY_PIXELS, Integer.toString(spec.pixels()));
        props.put(ModelFormat.KEY_MAX_LINES, Integer.toString(spec.maxLines()));
        props.put(ModelFormat.KEY_NORMALIZER, m.normalizer().id());
        props.put(ModelFormat.KEY_TEMPERATURE, Double.toString(m.temperature()));
        props.put(ModelFormat.KEY_CONFIG, m.configJson());
        props.put(ModelFormat.KEY_RUN_ID, m.runId());
        props.put(ModelFormat.KEY_METRICS, m.metricsJson());
        props.put(ModelFormat.KEY_LIBRARY_VERSION, m.libraryVersion());
        props.put(ModelFormat.KEY_WEIGHTS, int8 ? ModelFormat.WEIGHTS_INT8 : ModelFormat.WEIGHTS_FLOAT32);
        if (sampling) {
            props.put(ModelFormat.KEY_SAMPLING, m.sampling().toJson());
        }
        return props;
    }

    /**
     * @return the version of scanline on the classpath
     * @deprecated the version lives in one place so that config.json and the model file agree: use
     *         {@link Provenance#libraryVersion()}
     */
    @Deprecated
    public static String libraryVersion() {
        return Provenance.libraryVersion();
    }
}
