package org.scanline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.JsonNode;
import org.scanline.BadConfigException;
import org.scanline.analysis.RunResults;
import org.scanline.evaluation.Evaluation;
import org.scanline.evaluation.EvaluationFiles;
import org.scanline.evaluation.Evaluator;
import org.scanline.evaluation.RunEvaluator;
import org.scanline.metrics.ClassificationMetrics;
import org.scanline.plot.Plots;
import org.scanline.run.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scanline evaluate RUN_DIR}: metrics of a run's checkpoint on its own test split, overall
 * and as a function of lines seen; writes {@code evaluation.json} and {@code predictions.csv}
 * into the run folder.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a trained run on its own test split, overall and by the number of lines seen.",
            "The split is the seeded stratified split of training. Reports balanced accuracy (chance: 1/classes), "
                + "macro one-vs-rest AUROC (chance: 0.5), per-class precision, recall, F1 and support, and the "
                + "confusion matrix; writes evaluation.json and predictions.csv into RUN_DIR or --out."})
public final class EvaluateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "The run folder.")
    Path run;

    @Option(names = "--data", paramLabel = "FILE", description = "Dataset file (default: the one recorded in config.json).")
    Path data;

    @Option(names = "--label-key", paramLabel = "KEY", defaultValue = RunEvaluator.AUTO_LABELS,
            description = "The .npz label array to score against: labels (what training used), labels_true (the "
                    + "simulator's generated class, without its label noise), or auto: labels_true where present "
                    + "(default: ${DEFAULT-VALUE}).")
    String labelKey;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for evaluation.json and predictions.csv (default: RUN_DIR).")
    Path outDir;

    @Option(names = "--split", defaultValue = "test",
            description = "test, valid, train, or all: every scan, the only choice for another dataset (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--checkpoint", defaultValue = "best", description = "best or last (default: ${DEFAULT-VALUE}).")
    String checkpoint;

    @Option(names = "--batch-size", defaultValue = "64", description = "Scans per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lines", split = ",", paramLabel = "N",
            description = "Lines-seen values to evaluate (default: every length for causal/lrcn, a ladder 1,2,3,4,6,8,…,max for vit).")
    int[] lines;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "Write confusion_matrix.png, metrics_vs_lines.png and training_curves.png here (default: none).")
    Path plots;

    @Option(names = "--tip-change", split = ",", paramLabel = "P,LINES",
            description = "Tip-change detector's state switch: state probability and confirming lines (default: the "
                    + "library's, " + org.scanline.ScanLineClassifier.Options.DEFAULT_TIP_CHANGE_THRESHOLD + ","
                    + org.scanline.ScanLineClassifier.Options.DEFAULT_TIP_CHANGE_LINES + ").")
    double[] tipChange;

    @Option(names = "--no-tip-change-rise",
            description = "Score the tip-change detector without its class-rise trigger (the detector before it; default: with).")
    boolean noTipChangeRise;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Checkpoint which = switch (checkpoint.toLowerCase(Locale.ROOT)) {
            case "best" -> Checkpoint.BEST;
            case "last" -> Checkpoint.LAST;
            default -> throw new BadConfigException("--checkpoint must be best or last, found '" + checkpoint + "'");
        };
        if (lines != null && Arrays.stream(lines).anyMatch(n -> n < 1)) {
            throw new BadConfigException("--lines values must be at least 1, found " + Arrays.toString(lines));
        }
        tipChangeOptions();
        Path dir = outDir == null ? run : outDir;
        RunEvaluator.Result r = RunEvaluator.evaluate(run, data, split, which, labelKey, dir,
                Evaluator.builder().batchSize(batchSize).lengths(lines));
        PrintWriter out = spec.commandLine().getOut();
        out.print(report(r));
        out.println("wrote " + dir.resolve(EvaluationFiles.EVALUATION_JSON) + " and " + dir.resolve(EvaluationFiles.PREDICTIONS_CSV));
        TipChangeReport.write(run, dir, data, split, which, batchSize, tipChangeOptions(), out);
        if (plots != null) {
            RunResults results = RunResults.read(run);
            JsonNode evaluation = dir.equals(run) ? results.evaluation().orElseThrow()
                    : EvaluationFiles.read(dir.resolve(EvaluationFiles.EVALUATION_JSON));
            List<Path> written = new java.util.ArrayList<>(Plots.evaluationFigures(evaluation, results.name(), plots));
            Path curves = plots.resolve("training_curves.png");
            Plots.trainingCurves(results, curves);
            written.add(curves);
            written.forEach(p -> out.println("wrote " + p));
        }
        out.flush();
        return 0;
    }

    static String report(RunEvaluator.Result r) {
        Evaluation e = r.evaluation();
        ClassificationMetrics m = e.overall();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Run %s (%s), %s checkpoint of epoch %d, %s split: %d scans%n",
                r.run().directory(), r.run().config().architecture().id(), r.checkpoint().name().toLowerCase(Locale.ROOT),
                r.epoch(), r.split(), e.scans()));
        if (!r.labelKey().equals(RunEvaluator.TRAINING_LABELS)) {
            sb.append(String.format(Locale.ROOT, "Scored against '%s' (training used 'labels')%n", r.labelKey()));
        }
        sb.append(String.format(Locale.ROOT, "Full scans (%d lines): accuracy %.4f, balanced accuracy %.4f (chance %.2f), "
                + "macro AUROC %.4f (chance 0.50)%n", e.fullLines(), m.accuracy(), m.balancedAccuracy(),
                e.chanceBalancedAccuracy(), m.macroAuroc()));
        int w = Math.max(5, e.classNames().stream().mapToInt(String::length).max().orElse(5));
        sb.append(String.format(Locale.ROOT, "%n%-" + w + "s  precision  recall      f1  support    auroc%n", "class"));
        for (int c = 0; c < e.classNames().size(); c++) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %9.4f  %6.4f  %6.4f  %7d  %7s%n", e.classNames().get(c),
                    m.precision(c), m.recall(c), m.f1(c), m.support(c),
                    Double.isNaN(m.auroc(c)) ? "-" : String.format(Locale.ROOT, "%.4f", m.auroc(c))));
        }
        sb.append(String.format(Locale.ROOT, "%nConfusion matrix (rows: true, columns: predicted)%n%-" + w + "s", ""));
        for (String c : e.classNames()) {
            sb.append(String.format(Locale.ROOT, " %" + Math.max(7, c.length()) + "s", c));
        }
        sb.append('\n');
        long[][] cm = m.confusionMatrix();
        for (int t = 0; t < cm.length; t++) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s", e.classNames().get(t)));
            for (int p = 0; p < cm.length; p++) {
                sb.append(String.format(Locale.ROOT, " %" + Math.max(7, e.classNames().get(p).length()) + "d", cm[t][p]));
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%nBy lines seen:%n%10s  %8s  %9s  %7s%n", "lines", "accuracy", "bal. acc.", "AUROC"));
        int[] ls = e.linesSeen();
        for (int i = 0; i < ls.length; i++) {
            if (ls.length <= 16 || isShown(ls[i], e.fullLines())) {
                ClassificationMetrics k = e.metrics().get(i);
                sb.append(String.format(Locale.ROOT, "%10d  %8.4f  %9.4f  %7.4f%n", ls[i], k.accuracy(), k.balancedAccuracy(),
                        k.macroAuroc()));
            }
        }
        if (e.atChance()) {
            String ba = String.format(Locale.ROOT, "balanced accuracy %.3f is within %.3f of guessing (%.3f for %d "
                    + "classes: two standard errors on these %d scans)", m.balancedAccuracy(), e.chanceMargin(),
                    e.chanceBalancedAccuracy(), e.classNames().size(), e.scans());
            sb.append(e.aurocAtChance()
                    ? String.format(Locale.ROOT, "%nwarning: the model is at chance: %s, and AUROC %.3f within %.3f of "
                            + "0.5. No 'lines needed' figure: there is nothing to reach. Train longer or on more data.%n",
                            ba, m.macroAuroc(), e.chanceAurocMargin())
                    : String.format(Locale.ROOT, "%nwarning: the model's decisions are at chance: %s, although AUROC "
                            + "%.3f shows its scores rank the classes. No 'lines needed' figure; train longer.%n",
                            ba, m.macroAuroc()));
        } else if (e.linesTo95().isPresent()) {
            sb.append(String.format(Locale.ROOT, "%nLines needed for 95%% of the full-scan balanced accuracy: %d of %d%s%n",
                    e.linesTo95().get(), e.fullLines(), e.perLine() ? "" : " (among the evaluated lengths)"));
        }
        for (String n : e.notes()) {
            sb.append("note: ").append(n).append('\n');
        }
        return sb.toString();
    }

    /** Powers of two and the full length keep a long table short; every length is in evaluation.json. */
    private static boolean isShown(int lines, int full) {
        return lines == full || Integer.bitCount(lines) == 1 || Arrays.stream(new int[] {3, 6, 12, 24, 48, 96}).anyMatch(x -> x == lines);
    }

    /** @return the detector settings that {@code --tip-change} and {@code --no-tip-change-rise} ask for */
    org.scanline.ScanLineClassifier.Options tipChangeOptions() {
        org.scanline.ScanLineClassifier.Options.Builder b = org.scanline.ScanLineClassifier.Options.builder();
        if (tipChange != null) {
            if (tipChange.length != 2 || tipChange[1] != Math.rint(tipChange[1])) {
                throw new BadConfigException("--tip-change takes a probability and a whole number of lines, e.g. 0.6,3; found "
                        + Arrays.toString(tipChange));
            }
            b.tipChange(tipChange[0], (int) tipChange[1]);
        }
        if (noTipChangeRise) {
            b.tipChangeClassRise(null, 0, 0, 0);
        }
        return b.build();
    }
}
