package org.scanline.plot;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.apiguardian.api.API;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.scanline.BadDataException;
import org.scanline.io.AtomicOutput;
import org.scanline.analysis.RunResults;
import org.scanline.analysis.SplitSummary;
import org.scanline.evaluation.Evaluation;
import org.scanline.evaluation.EvaluationFiles;
import org.scanline.train.EpochMetrics;

/**
 * The figures of the analysis, as PNG files drawn without a display (AWT headless): training
 * curves, a comparison of validation curves across runs, accuracy against lines seen, and the
 * row-normalised confusion matrix. Every balanced-accuracy and AUROC axis carries its chance level
 * (1/classes and 0.5) as a dotted line, so a model that learnt nothing is seen at a glance. Every
 * file is written atomically.
 *
 * <pre>{@code
 * Plots.trainingCurves(RunResults.read(dir), Path.of("plots/training.png"));
 * Plots.confusionMatrix(counts, classNames, "test split, full scans", Path.of("plots/confusion.png"));
 * }</pre>
 *
 * <p>Internal: public for the {@code evaluate} and {@code analyze} commands; not part of the library's
 * API.
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public final class Plots {
    private static final int WIDTH = 560;
    private static final int HEIGHT = 420;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font AXIS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Color TRAIN = new Color(31, 119, 180);
    private static final Color VALID = new Color(214, 39, 40);
    /** Matplotlib's tab10: distinct on white and for most colour-vision deficiencies. */
    private static final Color[] PALETTE = {TRAIN, new Color(255, 127, 14), new Color(44, 160, 44), VALID,
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)};

    static {
        // figures are drawn on servers and cluster nodes without a display; AWT must not look for one
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /**
     * A horizontal reference line.
     *
     * @param name legend entry
     * @param y its level
     * @param chance drawn dotted (a chance level) rather than dashed (a target)
     * @param color its colour, or null for grey (give a chance line its curve's colour when there are two)
     */
    public record Level(String name, double y, boolean chance, Color color) {
        /** A grey level. */
        public Level(String name, double y, boolean chance) {
            this(name, y, chance, null);
        }
    }

    /**
     * @param classes number of classes
     * @return the balanced-accuracy chance line, 1/classes
     */
    public static Level chanceBalancedAccuracy(int classes) {
        return new Level(String.format(java.util.Locale.ROOT, "chance %.2f (1/%d)", 1.0 / classes, classes),
                1.0 / classes, true);
    }

    /**
     * A named curve.
     *
     * @param name legend entry
     * @param x x values
     * @param y y values, same length
     */
    public record Curve(String name, double[] x, double[] y) {
        /** Checks the lengths agree. */
        public Curve {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("curve '" + name + "': " + x.length + " x values but " + y.length + " y values");
            }
        }
    }

    /**
     * Three panels side by side (loss, balanced accuracy, macro AUROC), train against valid, with
     * a dashed vertical line at the epoch of the lowest valid loss (the kept weights).
     *
     * @param run a run folder
     * @param png output file
     */
    public static void trainingCurves(RunResults run, Path png) {
        List<EpochMetrics> train = run.split("train");
        List<EpochMetrics> valid = run.split("valid");
        if (train.isEmpty() && valid.isEmpty()) {
            throw new BadDataException(run.directory() + ": no train or valid metrics to plot");
        }
        Integer bestEpoch = valid.isEmpty() ? null : SplitSummary.of("valid", valid).bestLossEpoch();
        int classes = classCount(run);
        List<XYChart> charts = new ArrayList<>();
        charts.add(curves("Loss, run " + run.name(), "cross-entropy loss", train, valid, EpochMetrics::loss, bestEpoch,
                false, null));
        charts.add(curves("Balanced accuracy", "balanced accuracy", train, valid, EpochMetrics::balancedAccuracy,
                bestEpoch, true, classes >= 2 ? chanceBalancedAccuracy(classes) : null));
        charts.add(curves("Macro one-vs-rest AUROC", "AUROC", train, valid, EpochMetrics::auroc, bestEpoch, true,
                new Level("chance 0.5", 0.5, true)));
        save(charts, 1, 3, png);
    }

    /** @return the run's number of classes from its config.json or evaluation.json, 0 when neither says */
    static int classCount(RunResults run) {
        int k = run.configJson().path("classNames").size();
        return k > 0 ? k : run.evaluation().map(e -> e.path("classes").size()).orElse(0);
    }

    private static XYChart curves(String title, String yTitle, List<EpochMetrics> train, List<EpochMetrics> valid,
            ToDoubleFunction<EpochMetrics> metric, Integer bestEpoch, boolean unitRange, Level chance) {
        XYChart c = xy(title, "epoch", yTitle);
        addSplit(c, "train", train, metric, TRAIN);
        addSplit(c, "valid", valid, metric, VALID);
        if (chance != null && !(train.isEmpty() && valid.isEmpty())) {
            double lo = Math.min(first(train), first(valid));
            double hi = Math.max(last(train), last(valid));
            level(c, chance, lo, hi);
        }
        if (bestEpoch != null) {
            double[] range = yRange(c);
            if (range != null) {
                reference(c, "best valid loss (epoch " + bestEpoch + ")", new double[] {bestEpoch, bestEpoch}, range);
            }
        }
        if (unitRange) {
            c.getStyler().setYAxisDecimalPattern("0.00");
        }
        // below the plot, so the legend never hides a curve
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        return c;
    }

    private static double first(List<EpochMetrics> rows) {
        return rows.isEmpty() ? Double.POSITIVE_INFINITY : rows.get(0).epoch();
    }

    private static double last(List<EpochMetrics> rows) {
        return rows.isEmpty() ? Double.NEGATIVE_INFINITY : rows.get(rows.size() - 1).epoch();
    }

    private static void addSplit(XYChart c, String name, List<EpochMetrics> rows, ToDoubleFunction<EpochMetrics> metric,
            Color color) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (EpochMetrics m : rows) {
            double v = metric.applyAsDouble(m);
            if (Double.isFinite(v)) {
                x.add((double) m.epoch());
                y.add(v);
            }
        }
        if (!x.isEmpty()) {
            XYSeries s = c.addSeries(name, x, y);
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setMarker(x.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
    }

    /**
     * Validation balanced accuracy against epoch, one curve per run.
     *
     * @param runs the runs
     * @param png output file
     */
    public static void validationComparison(List<RunResults> runs, Path png) {
        XYChart c = xy("Validation balanced accuracy by run", "epoch", "valid balanced accuracy", 900, HEIGHT);
        int classes = 0;
        double lastEpoch = 1;
        for (RunResults r : runs) {
            classes = classes > 0 ? classes : classCount(r);
            lastEpoch = Math.max(lastEpoch, last(r.split("valid")));
            List<EpochMetrics> valid = r.split("valid");
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (EpochMetrics m : valid) {
                if (Double.isFinite(m.balancedAccuracy())) {
                    x.add((double) m.epoch());
                    y.add(m.balancedAccuracy());
                }
            }
            if (!x.isEmpty()) {
                Object arch = r.settings().get("architecture");
                c.addSeries(r.name() + (arch == null ? "" : " (" + arch + ")"), x, y)
                        .setMarker(x.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            }
        }
        if (classes >= 2) {
            level(c, chanceBalancedAccuracy(classes), 1, lastEpoch);
        }
        c.getStyler().setYAxisDecimalPattern("0.00");
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setLegendVisible(true);
        save(List.of(c), 1, 1, png);
    }

    /**
     * A metric against the number of lines seen, one curve per run or architecture.
     *
     * @param title chart title
     * @param yTitle the metric's name
     * @param curves the curves (x = lines seen)
     * @param reference a horizontal dashed reference level (e.g. 95 % of the full-scan value), or NaN for none
     * @param referenceName legend entry of the reference level
     * @param png output file
     */
    public static void versusLinesSeen(String title, String yTitle, List<Curve> curves, double reference,
            String referenceName, Path png) {
        versusLinesSeen(title, yTitle, curves, Double.isFinite(reference)
                ? List.of(new Level(referenceName, reference, false)) : List.of(), png);
    }

    /**
     * A metric against the number of lines seen, with horizontal reference levels (targets, chance).
     *
     * @param title chart title
     * @param yTitle the metric's name
     * @param curves the curves (x = lines seen)
     * @param levels horizontal lines, e.g. {@link #chanceBalancedAccuracy(int)}
     * @param png output file
     */
    public static void versusLinesSeen(String title, String yTitle, List<Curve> curves, List<Level> levels, Path png) {
        XYChart c = xy(title, "lines seen", yTitle, 960, 480);
        for (Curve k : curves) {
            XYSeries s = c.addSeries(k.name(), k.x(), k.y());
            s.setMarker(k.x().length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        if (!curves.isEmpty()) {
            double lo = curves.stream().flatMapToDouble(k -> java.util.Arrays.stream(k.x())).min().orElse(1);
            double hi = curves.stream().flatMapToDouble(k -> java.util.Arrays.stream(k.x())).max().orElse(1);
            for (Level l : levels) {
                level(c, l, lo, hi);
            }
        }
        c.getStyler().setYAxisDecimalPattern("0.0");
        // fractions: the whole [0, 1] keeps chance levels and the distance to perfect in view
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        // beside the plot, one entry a line: curves, a target and two chance levels do not fit a row
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        save(List.of(c), 1, 1, png);
    }

    /**
     * The confusion matrix as a heat map, normalised by row: rows the true class (first class at the
     * top, its support in the label), columns the predicted class, each cell the fraction of the
     * true class predicted as that class, so that a small class reads as clearly as a large one and
     * the diagonal is each class's recall.
     *
     * @param counts {@code counts[true][predicted]}
     * @param classes class names
     * @param title chart title
     * @param png output file
     */
    public static void confusionMatrix(long[][] counts, List<String> classes, String title, Path png) {
        int k = classes.size();
        if (counts.length != k) {
            throw new IllegalArgumentException(counts.length + " rows for " + k + " classes");
        }
        List<String> x = new ArrayList<>();
        List<String> y = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            x.add(classes.get(i));
            y.add(classes.get(k - 1 - i) + " (" + sum(counts[k - 1 - i]) + ")");
        }
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            long support = sum(counts[t]);
            for (int p = 0; p < k; p++) {
                cells.add(new Number[] {p, k - 1 - t, support == 0 ? 0.0 : (double) counts[t][p] / support});
            }
        }
        int longest = classes.stream().mapToInt(String::length).max().orElse(4);
        // columns wide enough for the class names under them (about 8 px per character at 13 pt)
        int column = Math.max(110, 8 * longest + 16);
        int width = Math.max(640, 8 * longest + 90 + k * column);
        HeatMapChart c = new HeatMapChartBuilder().width(width).height(Math.max(560, 90 * k + 200)).title(title)
                .xAxisTitle("predicted class (fraction of each true class)").yAxisTitle("true class (support)").build();
        c.getStyler().setChartTitleFont(TITLE);
        c.getStyler().setAxisTitleFont(AXIS);
        c.getStyler().setAxisTickLabelsFont(AXIS);
        c.getStyler().setShowValue(true);
        c.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        c.getStyler().setValueFontColor(Color.BLACK);
        c.getStyler().setHeatMapValueDecimalPattern("0.00");
        c.getStyler().setMin(0);
        c.getStyler().setMax(1);
        c.getStyler().setRangeColors(new Color[] {new Color(247, 251, 255), new Color(158, 202, 225), new Color(66, 146, 198)});
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(false);
        c.getStyler().setLegendVisible(false);
        c.addSeries("fraction", x, y, cells);
        save(List.of(c), 1, 1, png);
    }

    /**
     * The figures of one {@code evaluation.json}: {@code confusion_matrix.png} (full scans) and
     * {@code metrics_vs_lines.png} (balanced accuracy and AUROC against lines seen, with the 95 %
     * level of the full-scan balanced accuracy).
     *
     * @param evaluation a parsed {@code evaluation.json}
     * @param name the run's name, for titles
     * @param dir output folder
     * @return the files written
     */
    public static List<Path> evaluationFigures(JsonNode evaluation, String name, Path dir) {
        List<String> classes = new ArrayList<>();
        evaluation.path("classes").forEach(n -> classes.add(n.asText()));
        JsonNode cm = evaluation.path("overall").path("confusion_matrix");
        if (classes.isEmpty() || !cm.isArray() || cm.size() != classes.size()) {
            throw new BadDataException("evaluation of " + name + ": no classes or confusion matrix to plot");
        }
        long[][] counts = new long[classes.size()][classes.size()];
        for (int t = 0; t < counts.length; t++) {
            for (int p = 0; p < counts.length; p++) {
                counts[t][p] = cm.get(t).get(p).asLong();
            }
        }
        String split = evaluation.path("split").asText("test");
        String arch = evaluation.path("architecture").asText("");
        String who = arch.isEmpty() ? name : name + " (" + arch + ")";
        int lines = evaluation.path("overall").path("lines_seen").asInt();
        List<Path> out = new ArrayList<>();
        Path confusion = dir.resolve("confusion_matrix.png");
        confusionMatrix(counts, classes, "Confusion matrix, " + who + ", " + split + " split, " + lines + " lines", confusion);
        out.add(confusion);
        double[][] bal = EvaluationFiles.curve(evaluation, "balanced_accuracy");
        double[][] auc = EvaluationFiles.curve(evaluation, "auroc");
        if (bal[0].length > 1) {
            double full = evaluation.path("overall").path("balanced_accuracy").asDouble(Double.NaN);
            String at = evaluation.path("lines_to_95pct").isNumber()
                    ? ", reached at " + evaluation.get("lines_to_95pct").asInt()
                            + (evaluation.get("lines_to_95pct").asInt() == 1 ? " line" : " lines") : "";
            Path curves = dir.resolve("metrics_vs_lines.png");
            List<Level> levels = new ArrayList<>();
            // at chance there is nothing to reach: no target line, as the report gives no lines-needed figure
            if (Double.isFinite(full) && !evaluation.path("chance").path("at_chance").asBoolean(false)) {
                levels.add(new Level("95 % of full-scan bal. acc." + at, Evaluation.TARGET_FRACTION * full, false));
            }
            Level ba = chanceBalancedAccuracy(classes.size());
            levels.add(new Level("bal. acc. " + ba.name(), ba.y(), true, PALETTE[0]));
            levels.add(new Level("AUROC chance 0.5", 0.5, true, PALETTE[1]));
            versusLinesSeen(who + ", " + split + " split: metrics vs lines seen", "metric",
                    List.of(new Curve("balanced accuracy", bal[0], bal[1]), new Curve("macro AUROC", auc[0], auc[1])),
                    levels, curves);
            out.add(curves);
        }
        return out;
    }

    private static double[] yRange(XYChart c) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (XYSeries s : c.getSeriesMap().values()) {
            for (double v : s.getYData()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo <= hi ? new double[] {lo, hi} : null;
    }

    private static void level(XYChart c, Level l, double lo, double hi) {
        if (!l.chance()) {
            reference(c, l.name(), new double[] {lo, hi}, new double[] {l.y(), l.y()});
            return;
        }
        XYSeries s = c.addSeries(l.name(), new double[] {lo, hi}, new double[] {l.y(), l.y()});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(l.color() == null ? Color.GRAY : l.color());
        s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1.5f, 4f}, 0f));
    }

    /** A dashed grey line drawn as a series, so that it has a legend entry (annotations have none). */
    private static void reference(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(Color.DARK_GRAY);
        s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    }

    private static long sum(long[] row) {
        long s = 0;
        for (long v : row) {
            s += v;
        }
        return s;
    }

    private static XYChart xy(String title, String xTitle, String yTitle) {
        return xy(title, xTitle, yTitle, WIDTH, HEIGHT);
    }

    private static XYChart xy(String title, String xTitle, String yTitle, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setChartTitleFont(TITLE);
        c.getStyler().setAxisTitleFont(AXIS);
        c.getStyler().setAxisTickLabelsFont(AXIS);
        c.getStyler().setLegendFont(AXIS);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBorderVisible(true);
        c.getStyler().setSeriesColors(PALETTE);
        c.getStyler().setMarkerSize(5);
        return c;
    }

    private static <T extends Chart<?, ?>> void save(List<T> charts, int rows, int cols, Path png) {
        AtomicOutput.writeFile(png, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                if (charts.size() == 1) {
                    BitmapEncoder.saveBitmap(charts.get(0), out, BitmapEncoder.BitmapFormat.PNG);
                } else {
                    BitmapEncoder.saveBitmap(charts, rows, cols, out, BitmapEncoder.BitmapFormat.PNG);
                }
            }
        });
    }
}
