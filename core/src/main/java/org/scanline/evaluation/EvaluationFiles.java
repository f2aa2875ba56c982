package org.scanline.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.io.AtomicOutput;
import org.scanline.metrics.ClassificationMetrics;

/**
 * Writes an {@link Evaluation} into a run folder as {@value #EVALUATION_JSON} and
 * {@value #PREDICTIONS_CSV} (each atomically), and reads curves back from the JSON.
 *
 * <p>{@code evaluation.json}: {@code format}, {@code classes}, {@code scans}, {@code per_line},
 * {@code overall} (the full-scan metrics), {@code by_lines_seen} (the same metrics at every
 * evaluated length), {@code chance} (guessing's balanced accuracy 1/K, the margin luck reaches on
 * these scans, AUROC 0.5, and whether the model is within it), {@code lines_to_95pct}, {@code notes},
 * plus whatever context the caller adds
 * (run, split, architecture). Each metrics object holds {@code lines_seen}, {@code accuracy},
 * {@code balanced_accuracy}, {@code auroc}, {@code auroc_per_class} (null where undefined),
 * {@code per_class} (precision, recall, f1, support) and {@code confusion_matrix} ([true][predicted]).
 *
 * <p>{@code predictions.csv}: {@code scan,lines_seen,label,predicted,prob_<class>…}, one row per
 * scan and evaluated length; {@code label} and {@code predicted} are class names.
 *
 * <p>Internal: public for the plots and the {@code evaluate} and {@code analyze} commands; not part of
 * the library's API.
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public final class EvaluationFiles {
    /** File name of the metrics. */
    public static final String EVALUATION_JSON = "evaluation.json";
    /** File name of the per-scan predictions. */
    public static final String PREDICTIONS_CSV = "predictions.csv";
    /** Version of the {@code evaluation.json} layout. */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvaluationFiles() {
    }

    /**
     * @param e an evaluation
     * @param context extra top-level members (e.g. run, split, architecture), written first
     * @return the JSON document
     */
    public static ObjectNode toJson(Evaluation e, Map<String, ?> context) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        context.forEach((k, v) -> root.set(k, JSON.valueToTree(v)));
        ArrayNode classes = root.putArray("classes");
        e.classNames().forEach(classes::add);
        root.put("scans", e.scans());
        root.put("per_line", e.perLine());
        root.set("overall", metrics(e, e.linesSeen().length - 1));
        ArrayNode by = root.putArray("by_lines_seen");
        for (int i = 0; i < e.linesSeen().length; i++) {
            by.add(metrics(e, i));
        }
        ObjectNode chance = root.putObject("chance");
        chance.put("balanced_accuracy", e.chanceBalancedAccuracy());
        chance.put("balanced_accuracy_margin", e.chanceMargin());
        chance.put("auroc", 0.5);
        chance.put("auroc_margin", e.chanceAurocMargin());
        chance.put("at_chance", e.atChance());
        chance.put("auroc_at_chance", e.aurocAtChance());
        root.put("target_fraction", Evaluation.TARGET_FRACTION);
        if (e.linesTo95().isPresent()) {
            root.put("lines_to_95pct", e.linesTo95().get());
        } else {
            root.putNull("lines_to_95pct");
        }
        ArrayNode notes = root.putArray("notes");
        e.notes().forEach(notes::add);
        return root;
    }

    private static ObjectNode metrics(Evaluation e, int i) {
        ClassificationMetrics m = e.metrics().get(i);
        ObjectNode o = JSON.createObjectNode();
        o.put("lines_seen", e.linesSeen()[i]);
        number(o, "accuracy", m.accuracy());
        number(o, "balanced_accuracy", m.balancedAccuracy());
        number(o, "auroc", m.macroAuroc());
        ArrayNode auc = o.putArray("auroc_per_class");
        ArrayNode per = o.putArray("per_class");
        ArrayNode cm = o.putArray("confusion_matrix");
        long[][] confusion = m.confusionMatrix();
        for (int c = 0; c < m.classes(); c++) {
            if (Double.isNaN(m.auroc(c))) {
                auc.addNull();
            } else {
                auc.add(m.auroc(c));
            }
            ObjectNode pc = per.addObject();
            pc.put("class", e.classNames().get(c));
            pc.put("precision", m.precision(c));
            pc.put("recall", m.recall(c));
            pc.put("f1", m.f1(c));
            pc.put("support", m.support(c));
            ArrayNode row = cm.addArray();
            for (long v : confusion[c]) {
                row.add(v);
            }
        }
        return o;
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    /**
     * Writes {@code evaluation.json} and {@code predictions.csv} into a folder, each atomically.
     *
     * @param dir the run folder
     * @param e the evaluation
     * @param context extra top-level members of the JSON
     */
    public static void write(Path dir, Evaluation e, Map<String, ?> context) {
        ObjectNode json = toJson(e, context);
        AtomicOutput.writeText(dir.resolve(PREDICTIONS_CSV), w -> {
            StringBuilder header = new StringBuilder("scan,lines_seen,label,predicted");
            for (String c : e.classNames()) {
                header.append(',').append(csv("prob_" + c));
            }
            w.write(header.append('\n').toString());
            int k = e.classNames().size();
            StringBuilder row = new StringBuilder(128);
            for (int s = 0; s < e.scans(); s++) {
                for (int i = 0; i < e.linesSeen().length; i++) {
                    float[] p = e.probabilities().get(i);
                    int best = 0;
                    for (int c = 1; c < k; c++) {
                        if (p[s * k + c] > p[s * k + best]) {
                            best = c;
                        }
                    }
                    row.setLength(0);
                    row.append(e.scanIds()[s]).append(',').append(e.linesSeen()[i]).append(',')
                            .append(csv(e.classNames().get(e.labels()[s]))).append(',').append(csv(e.classNames().get(best)));
                    for (int c = 0; c < k; c++) {
                        row.append(',').append(String.format(Locale.ROOT, "%.6g", p[s * k + c]));
                    }
                    w.write(row.append('\n').toString());
                }
            }
        });
        AtomicOutput.writeText(dir.resolve(EVALUATION_JSON), w -> {
            try {
                w.write(JSON.writeValueAsString(json));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        });
    }

    /** Quotes a field holding a comma, quote or line break (RFC 4180). */
    static String csv(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /**
     * @param file an {@code evaluation.json}
     * @return its content
     * @throws BadDataException if it is missing or not JSON
     */
    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(java.nio.file.Files.readString(file));
        } catch (java.io.IOException ex) {
            throw new BadDataException(file + ": cannot read the evaluation: " + ex.getMessage(), ex);
        }
    }

    /**
     * A metric against lines seen, as stored in an {@code evaluation.json}.
     *
     * @param evaluation the parsed file
     * @param metric a key of the metrics objects, e.g. {@code balanced_accuracy}
     * @return {@code [linesSeen[], values[]]}, skipping null values
     * @throws BadDataException if the file has no {@code by_lines_seen}
     */
    public static double[][] curve(JsonNode evaluation, String metric) {
        JsonNode by = evaluation.get("by_lines_seen");
        if (by == null || !by.isArray()) {
            throw new BadDataException("evaluation.json has no by_lines_seen array");
        }
        List<JsonNode> points = new java.util.ArrayList<>();
        by.forEach(n -> {
            if (n.path(metric).isNumber()) {
                points.add(n);
            }
        });
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i).path("lines_seen").asDouble();
            y[i] = points.get(i).path(metric).asDouble();
        }
        return new double[][] {x, y};
    }
}
