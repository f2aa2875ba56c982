package org.scanline.export;

import org.scanline.model.ModelSpec;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apiguardian.api.API;
import org.scanline.Architecture;
import org.scanline.BadModelException;
import org.scanline.ModelFormat;
import org.scanline.Normalizer;
import org.scanline.ScanDataset;
import org.scanline.dataset.Datasets;
import org.scanline.model.ScanModel;
import org.scanline.model.Weight;
import org.scanline.run.LoadedModel;
import org.scanline.run.RunFolder;
import org.scanline.run.RunSplits;

/**
 * The whole export of a trained DJL model: build the graph, check ONNX Runtime against DJL on a
 * few inputs, fit the temperature on the validation split when one is given, and write the file
 * atomically with the fitted temperature in its metadata.
 *
 * <p>{@link #export(Path, ExportRequest)} is what {@code scanline export} does with a run folder:
 * it loads the checkpoint, finds the validation split, assembles the metadata (config, metrics of
 * the checkpoint's epoch, library version) and exports.
 *
 * <pre>{@code
 * ExportSummary s = ModelExport.export(Path.of("runs/20261125_051500"),
 *         ExportRequest.builder(Path.of("model.onnx")).build());
 * System.out.println(s.describe());
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ModelExport {
    private static final int CHECK_INPUTS = 4;
    private static final int BATCH = 32;

    private ModelExport() {
    }

    /**
     * Exports a run folder's checkpoint, calibrated on the run's own validation split when the
     * request asks for it and the run's data is at hand (the simulated data of a simulated run is
     * regenerated from its config).
     *
     * @param runDir the run folder
     * @param request the file to write, checkpoint, data and settings
     * @return what was written and measured
     * @throws BadModelException if the run folder or checkpoint cannot be read, ONNX Runtime disagrees
     *         with DJL, or int8 loses more accuracy than the settings accept
     */
    public static ExportSummary export(Path runDir, ExportRequest request) {
        RunFolder run = RunFolder.open(runDir);
        try (LoadedModel loaded = run.loadModel(request.checkpoint())) {
            ScanDataset validation = validation(run, request);
            ModelSpec spec = ModelSpec.of(run.config(), run.pixels(), run.classNames().size());
            ExportMetadata metadata = ExportMetadata.of(run, loaded.epoch());
            return export(loaded.model(), spec, request.settings().sampling() ? metadata : metadata.withSampling(null),
                    validation,
                    run.config().minLines(), request.out(), request.settings());
        }
    }

    /** The run's validation split to calibrate on, or null (with a note saying why). */
    private static ScanDataset validation(RunFolder run, ExportRequest request) {
        if (!request.calibrate()) {
            request.notes().accept("not calibrating (--no-calibrate)");
            return null;
        }
        if (run.config().simulation() != null) {
            return RunSplits.simulatedValidation(run);
        }
        Path data = request.data() != null ? request.data()
                : run.config().dataPath() == null ? null : Path.of(run.config().dataPath());
        if (data == null || !Files.exists(data)) {
            request.notes().accept("dataset " + data + " not found: exporting uncalibrated (temperature 1);"
                    + " pass --data PATH to calibrate");
            return null;
        }
        return RunSplits.validation(run, Datasets.read(data));
    }

    /**
     * @param model the trained model
     * @param spec its sizes
     * @param metadata the metadata to embed (its temperature is replaced when calibrating)
     * @param validation validation scans (raw, un-normalised) to calibrate on, or null
     * @param minLines the fewest lines a prediction is calibrated at
     * @param out the file to write
     * @param int8 store the transformer's matrices as int8
     * @return what was written and measured
     * @throws BadModelException if ONNX Runtime disagrees with DJL by more than 1e-3 (fp32 only), or int8
     *         loses more than one accuracy point on the validation split
     * @deprecated a boolean among seven positional parameters reads poorly at the call site: use
     *         {@link #export(ScanModel, ModelSpec, ExportMetadata, ScanDataset, int, Path, ExportSettings)}
     *         with {@code ExportSettings.defaults().withInt8(int8)}, or {@link #export(Path, ExportRequest)}
     */
    @Deprecated
    public static ExportSummary export(ScanModel model, ModelSpec spec, ExportMetadata metadata, ScanDataset validation,
            int minLines, Path out, boolean int8) {
        return export(model, spec, metadata, validation, minLines, out, ExportSettings.defaults().withInt8(int8));
    }

    /**
     * @param model the trained model
     * @param spec its sizes
     * @param metadata the metadata to embed (its temperature is replaced when calibrating)
     * @param validation validation scans (raw, un-normalised) to calibrate on and to check int8 on, or null
     * @param minLines the fewest lines a prediction is calibrated at
     * @param out the file to write
     * @param settings weight type, graph style and int8 policy
     * @return what was written and measured
     * @throws BadModelException if ONNX Runtime disagrees with DJL by more than 1e-3 (fp32 only), or int8
     *         loses more accuracy than the settings accept and they say refuse (nothing is written then)
     */
    public static ExportSummary export(ScanModel model, ModelSpec spec, ExportMetadata metadata, ScanDataset validation,
            int minLines, Path out, ExportSettings settings) {
        boolean int8 = settings.int8();
        Map<String, Weight> weights = model.namedWeights();
        byte[] draft = OnnxExporter.toBytes(spec, weights, metadata.withTemperature(1), int8, settings.style());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double diff;
        Calibration.Result calibration = null;
        Int8Check int8Check = null;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(draft, so)) {
            diff = check(model, spec, session, env, validation, metadata.normalizer());
            if (!int8 && diff > 1e-3) {
                throw new BadModelException(out + ": ONNX Runtime's logits differ from DJL's by " + diff
                        + " (> 1e-3); the exported graph does not match the model");
            }
            if (validation != null) {
                List<float[]> rows = new ArrayList<>();
                List<Integer> labels = new ArrayList<>();
                List<Boolean> last = new ArrayList<>();
                validationLogits(spec, session, env, validation, metadata.normalizer(), minLines, rows, labels, last);
                calibration = Calibration.fit(rows.toArray(new float[0][]),
                        labels.stream().mapToInt(Integer::intValue).toArray());
                if (int8) {
                    int8Check = Int8Check.of(float32Logits(spec, weights, metadata, settings, env, validation, minLines),
                            rows, labels, last);
                    if (int8Check.drop() > settings.maxInt8Drop() && settings.refuseInt8Drop()) {
                        throw new BadModelException(String.format(java.util.Locale.ROOT, "%s: not written: int8 weights "
                                + "lose %.2f accuracy points against float32 on the validation split, more than the "
                                + "%.2f accepted (%s); export float32, or accept the drop explicitly", out,
                                100 * int8Check.drop(), 100 * settings.maxInt8Drop(), int8Check.describe()));
                    }
                }
            }
        } catch (OrtException e) {
            throw new BadModelException(out + ": ONNX Runtime cannot run the exported graph: " + e.getMessage(), e);
        }
        double t = calibration == null ? metadata.temperature() : calibration.temperature();
        byte[] bytes = OnnxExporter.toBytes(spec, weights, metadata.withTemperature(t), int8, settings.style());
        OnnxExporter.writeAtomically(out, bytes);
        return new ExportSummary(out, spec.architecture(), bytes.length, int8, t, calibration, diff, CHECK_INPUTS,
                int8Check, settings.maxInt8Drop());
    }

    /** The float32 graph's logits on the same validation rows, for the int8 comparison. */
    private static List<float[]> float32Logits(ModelSpec spec, Map<String, Weight> weights, ExportMetadata metadata,
            ExportSettings settings, OrtEnvironment env, ScanDataset validation, int minLines) throws OrtException {
        byte[] fp32 = OnnxExporter.toBytes(spec, weights, metadata.withTemperature(1), false, settings.style());
        List<float[]> rows = new ArrayList<>();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(fp32, so)) {
            validationLogits(spec, session, env, validation, metadata.normalizer(), minLines, rows, new ArrayList<>(),
                    new ArrayList<>());
        }
        return rows;
    }

    /** Max |DJL − ORT| over random inputs and (when given) the first validation scans. */
    private static double check(ScanModel model, ModelSpec spec, OrtSession session, OrtEnvironment env,
            ScanDataset validation, Normalizer normalizer) throws OrtException {
        SplittableRandom r = new SplittableRandom(17);
        double max = 0;
        int t = spec.maxLines();
        int p = spec.pixels();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < CHECK_INPUTS; i++) {
                float[] x = new float[t * p];
                if (validation != null && i < validation.count() && validation.lines() >= t) {
                    System.arraycopy(validation.images(), Math.toIntExact(validation.offset(i)), x, 0, t * p);
                    normalizer.normalizeScans(x, t, p);
                } else {
                    for (int j = 0; j < x.length; j++) {
                        x[j] = (float) r.nextGaussian();
                    }
                }
                int lines = i == 0 ? t : 1 + r.nextInt(t);
                float[] part = java.util.Arrays.copyOf(x, lines * p);
                NDArray in = manager.create(part, new Shape(1, lines, p));
                float[] expected = model.forward(new ParameterStore(manager, false), in, false).toFloatArray();
                float[] actual = run(spec, session, env, part, 1, lines);
                for (int j = 0; j < expected.length; j++) {
                    max = Math.max(max, Math.abs(expected[j] - actual[j]));
                }
            }
        }
        return max;
    }

    /** Logits, labels and "is a scan's last line" of every validation row a stream would predict. */
    private static void validationLogits(ModelSpec spec, OrtSession session, OrtEnvironment env, ScanDataset data,
            Normalizer normalizer, int minLines, List<float[]> rows, List<Integer> labels, List<Boolean> last)
            throws OrtException {
        int lines = Math.min(spec.maxLines(), data.lines());
        int p = spec.pixels();
        int k = spec.classes();
        if (data.pixels() != p) {
            throw new BadModelException(data.source() + ": validation scans have " + data.pixels()
                    + " pixels per line, the model " + p);
        }
        int from = Math.max(1, Math.min(minLines, lines));
        // vit predicts once per input: calibrate it at four prefix lengths; the others at every line.
        int[] vitLengths = {Math.max(from, lines / 4), Math.max(from, lines / 2), Math.max(from, 3 * lines / 4), lines};
        for (int start = 0; start < data.count(); start += BATCH) {
            int n = Math.min(BATCH, data.count() - start);
            float[] x = new float[n * lines * p];
            for (int i = 0; i < n; i++) {
                int base = Math.toIntExact(data.offset(start + i));
                for (int l = 0; l < lines; l++) {
                    normalizer.normalize(data.images(), base + l * data.pixels(), x, (i * lines + l) * p, p);
                }
            }
            if (spec.architecture() == Architecture.VIT) {
                for (int len : vitLengths) {
                    float[] part = new float[n * len * p];
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(x, i * lines * p, part, i * len * p, len * p);
                    }
                    float[] logits = run(spec, session, env, part, n, len);
                    for (int i = 0; i < n; i++) {
                        rows.add(java.util.Arrays.copyOfRange(logits, i * k, (i + 1) * k));
                        labels.add(data.label(start + i));
                        last.add(len == lines);
                    }
                }
            } else {
                float[] logits = run(spec, session, env, x, n, lines);
                for (int i = 0; i < n; i++) {
                    for (int l = from - 1; l < lines; l++) {
                        int o = (i * lines + l) * k;
                        rows.add(java.util.Arrays.copyOfRange(logits, o, o + k));
                        labels.add(data.label(start + i));
                        last.add(l == lines - 1);
                    }
                }
            }
        }
    }

    /** The logits of a full-scan call (empty pasts, and {@code past_lines = 0} where the graph has it). */
    static float[] run(ModelSpec spec, OrtSession session, OrtEnvironment env, float[] x, int b, int t)
            throws OrtException {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (OnnxTensor lines = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {b, t, spec.pixels()});
             OnnxTensor empty = OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                     new long[] {b, spec.numHeads(), 0, spec.headDim()});
             OnnxTensor noPast = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {0}), new long[0])) {
            feed.put(ModelFormat.LINES, lines);
            if (spec.architecture() == Architecture.CAUSAL) {
                for (int l = 0; l < spec.numLayers(); l++) {
                    feed.put(ModelFormat.pastKey(l), empty);
                    feed.put(ModelFormat.pastValue(l), empty);
                }
                if (session.getInputNames().contains(ModelFormat.PAST_LINES)) {
                    feed.put(ModelFormat.PAST_LINES, noPast);
                }
            }
            try (OnnxTensor previous = session.getInputNames().contains(ModelFormat.PREVIOUS_LINE)
                    ? OnnxTensor.createTensor(env, FloatBuffer.wrap(ModelFormat.firstLines(x, b, t, spec.pixels())),
                            new long[] {b, spec.pixels()}) : null) {
                if (previous != null) {
                    feed.put(ModelFormat.PREVIOUS_LINE, previous);
                }
                try (OrtSession.Result r = session.run(feed, java.util.Set.of(ModelFormat.LOGITS))) {
                    return ((OnnxTensor) r.get(0)).getFloatBuffer().array();
                }
            }
        }
    }
}
