package org.scanline.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.run.MetricsCsv;
import org.scanline.train.EpochMetrics;

/**
 * Several runs side by side: one row per run with the config keys that differ between them as
 * columns (a key only some architectures read, such as {@code windowLines}, counts among those
 * runs only and shows {@code -} for the others), the best validation balanced accuracy with its epoch and that epoch's AUROC, the test
 * balanced accuracy when {@code evaluation.json} exists, and the training time. Rows are sorted
 * best first (valid balanced accuracy, then AUROC).
 *
 * <pre>{@code
 * RunComparison c = RunComparison.of(List.of(RunResults.read(a), RunResults.read(b)));
 * System.out.print(c.table());
 * }</pre>
 *
 * @param differingKeys the training-config keys whose values are not the same in every run
 * @param rows one row per run, best first
 */
@API(status = API.Status.EXPERIMENTAL)
public record RunComparison(List<String> differingKeys, List<Row> rows) {

    /** Keys that say where or how a run executed, not what it learned; never shown as differences. */
    static final Set<String> IGNORED_KEYS = Set.of("runsDir", "threads", "device");

    /** Keys only some architectures read (docs/models.md); for the others the value means nothing. */
    static final Map<String, Set<String>> ONLY_FOR = Map.of(
            "dModel", Set.of("vit", "causal"), "numHeads", Set.of("vit", "causal"),
            "numLayers", Set.of("vit", "causal"), "ffnDim", Set.of("vit", "causal"),
            "convChannels", Set.of("causal", "lrcn"), "windowLines", Set.of("lrcn"), "lstmHidden", Set.of("lrcn"));

    /**
     * @param key a config key
     * @param run a run
     * @return whether the run's architecture reads that key (true when unknown)
     */
    static boolean relevant(String key, RunResults run) {
        Set<String> archs = ONLY_FOR.get(key);
        Object arch = run.settings().get("architecture");
        return archs == null || arch == null || archs.contains(arch.toString());
    }

    /**
     * One run's line of the table.
     *
     * @param run run folder name
     * @param directory run folder path as given
     * @param settings values of the differing keys, in {@code differingKeys} order ({@code null} when absent
     *        or not read by the run's architecture)
     * @param epochs number of epochs run
     * @param bestEpoch epoch of the best valid balanced accuracy
     * @param validBalancedAccuracy best valid balanced accuracy
     * @param validAuroc valid AUROC at {@code bestEpoch}
     * @param testBalancedAccuracy balanced accuracy on the full test scans, NaN without {@code evaluation.json}
     * @param testAuroc macro AUROC on the full test scans, NaN without {@code evaluation.json}
     * @param seconds total training time
     */
    public record Row(String run, String directory, Map<String, Object> settings, int epochs, int bestEpoch,
            double validBalancedAccuracy, double validAuroc, double testBalancedAccuracy, double testAuroc,
            double seconds) {
    }

    /**
     * @param runs the runs to compare (at least one), each with a {@code valid} split
     * @return the table
     */
    public static RunComparison of(List<RunResults> runs) {
        if (runs.isEmpty()) {
            throw new BadDataException("no runs to compare");
        }
        List<String> keys = new ArrayList<>();
        for (String key : RunResults.CONFIG_KEYS) {
            if (IGNORED_KEYS.contains(key)) {
                continue;
            }
            // a key differs when the runs whose architecture reads it do not all agree on its value
            List<Object> values = runs.stream().filter(r -> relevant(key, r)).map(r -> r.settings().get(key)).toList();
            if (values.stream().anyMatch(v -> !sameValue(values.get(0), v))) {
                keys.add(key);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (RunResults r : runs) {
            List<EpochMetrics> valid = r.split("valid");
            if (valid.isEmpty()) {
                throw new BadDataException(r.directory().resolve(MetricsCsv.FILE_NAME) + ": no 'valid' rows to compare on");
            }
            EpochMetrics best = SplitSummary.best(valid, EpochMetrics::balancedAccuracy, true);
            Map<String, Object> settings = new LinkedHashMap<>();
            for (String k : keys) {
                settings.put(k, relevant(k, r) ? r.settings().get(k) : null);
            }
            int epochs = r.history().stream().mapToInt(EpochMetrics::epoch).max().orElse(0);
            rows.add(new Row(r.name(), r.directory().toString(), settings, epochs, best.epoch(),
                    best.balancedAccuracy(), best.auroc(), test(r, "balanced_accuracy"), test(r, "auroc"),
                    r.totalSeconds()));
        }
        rows.sort(Comparator.comparingDouble((Row x) -> nanLow(x.validBalancedAccuracy())).reversed()
                .thenComparing(Comparator.comparingDouble((Row x) -> nanLow(x.validAuroc())).reversed())
                .thenComparing(Row::run));
        return new RunComparison(List.copyOf(keys), List.copyOf(rows));
    }

    private static double nanLow(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return Objects.equals(a, b);
    }

    private static double test(RunResults r, String metric) {
        OptionalDouble v = r.evaluation().map(e -> e.path("overall").path(metric))
                .filter(JsonNode::isNumber).map(n -> OptionalDouble.of(n.doubleValue())).orElse(OptionalDouble.empty());
        return v.orElse(Double.NaN);
    }

    private boolean hasTest() {
        return rows.stream().anyMatch(r -> !Double.isNaN(r.testBalancedAccuracy()));
    }

    private List<String> header() {
        List<String> h = new ArrayList<>();
        h.add("run");
        h.addAll(differingKeys);
        h.addAll(List.of("epochs", "best_epoch", "valid_bal_acc", "valid_auroc"));
        if (hasTest()) {
            h.addAll(List.of("test_bal_acc", "test_auroc"));
        }
        h.add("time_s");
        return h;
    }

    private List<String> cells(Row r) {
        List<String> c = new ArrayList<>();
        c.add(r.run());
        for (String k : differingKeys) {
            Object v = r.settings().get(k);
            c.add(v == null ? "-" : String.valueOf(v));
        }
        c.add(Integer.toString(r.epochs()));
        c.add(Integer.toString(r.bestEpoch()));
        c.add(fmt(r.validBalancedAccuracy()));
        c.add(fmt(r.validAuroc()));
        if (hasTest()) {
            c.add(fmt(r.testBalancedAccuracy()));
            c.add(fmt(r.testAuroc()));
        }
        c.add(String.format(Locale.ROOT, "%.1f", r.seconds()));
        return c;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** @return an aligned plain-text table, best run first */
    public String table() {
        List<String> h = header();
        List<List<String>> body = rows.stream().map(this::cells).toList();
        int[] w = new int[h.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = h.get(i).length();
            for (List<String> b : body) {
                w[i] = Math.max(w[i], b.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, h, w);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        sb.append(rule).append('\n');
        body.forEach(b -> appendRow(sb, b, w));
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] w) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i > 0) {
                sb.append("  ");
            }
            // the run name reads best left-aligned, numbers right-aligned
            sb.append(i == 0 ? c + " ".repeat(w[i] - c.length()) : " ".repeat(w[i] - c.length()) + c);
        }
        sb.append('\n');
    }

    /** @return the table as CSV with a header row (values unformatted; NaN as empty) */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", header())).append('\n');
        for (Row r : rows) {
            List<String> c = new ArrayList<>();
            c.add(csv(r.run()));
            for (String k : differingKeys) {
                Object v = r.settings().get(k);
                c.add(v == null ? "" : csv(String.valueOf(v)));
            }
            c.add(Integer.toString(r.epochs()));
            c.add(Integer.toString(r.bestEpoch()));
            c.add(raw(r.validBalancedAccuracy()));
            c.add(raw(r.validAuroc()));
            if (hasTest()) {
                c.add(raw(r.testBalancedAccuracy()));
                c.add(raw(r.testAuroc()));
            }
            c.add(raw(r.seconds()));
            sb.append(String.join(",", c)).append('\n');
        }
        return sb.toString();
    }

    private static String raw(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** @return the table as a JSON object {@code {"differing_keys": [...], "runs": [...]}}, best first */
    public String toJson() {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        ArrayNode keys = root.putArray("differing_keys");
        differingKeys.forEach(keys::add);
        ArrayNode arr = root.putArray("runs");
        for (Row r : rows) {
            ObjectNode o = arr.addObject();
            o.put("run", r.run());
            o.put("directory", r.directory());
            o.set("settings", m.valueToTree(r.settings()));
            o.put("epochs", r.epochs());
            o.put("best_epoch", r.bestEpoch());
            putNumber(o, "valid_balanced_accuracy", r.validBalancedAccuracy());
            putNumber(o, "valid_auroc", r.validAuroc());
            putNumber(o, "test_balanced_accuracy", r.testBalancedAccuracy());
            putNumber(o, "test_auroc", r.testAuroc());
            o.put("seconds", r.seconds());
        }
        try {
            return m.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }
}
