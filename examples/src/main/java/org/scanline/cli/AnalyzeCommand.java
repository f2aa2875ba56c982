package org.scanline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.scanline.analysis.RunAnalysis;
import org.scanline.analysis.RunComparison;
import org.scanline.analysis.RunResults;
import org.scanline.evaluation.EvaluationFiles;
import org.scanline.plot.Plots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scanline analyze RUN_DIR…}: one run gives the per-split report and the overfitting
 * diagnosis; several runs give one comparison table, best first.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Summarise a training run, or compare several runs in one table.",
            "One run: best and latest accuracy and loss per split, and an overfitting diagnosis. Several runs: one "
                + "table, best validation balanced accuracy first."})
public final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run folder(s) holding config.json and metrics.csv.")
    List<Path> runs;

    @Option(names = "--json", description = "Print JSON instead of text (default: ${DEFAULT-VALUE}).")
    boolean json;

    @Option(names = "--csv", description = "Print the comparison table as CSV (default: ${DEFAULT-VALUE}).")
    boolean csv;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "Write PNG figures here: training curves per run; with several runs a validation comparison; "
                    + "with evaluated runs metric-vs-lines-seen and the confusion matrix (default: none).")
    Path plots;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<RunResults> read = new ArrayList<>();
        for (Path r : runs) {
            read.add(RunResults.read(r));
        }
        if (read.size() == 1 && !csv) {
            RunAnalysis a = RunAnalysis.of(read.get(0));
            out.print(json ? a.toJson() + "\n" : a.report());
        } else {
            RunComparison c = RunComparison.of(read);
            out.print(json ? c.toJson() + "\n" : csv ? c.toCsv() : c.table());
        }
        if (plots != null) {
            writePlots(read, plots, out);
        }
        out.flush();
        return 0;
    }

    static void writePlots(List<RunResults> read, Path dir, PrintWriter out) {
        List<Path> written = new ArrayList<>();
        for (RunResults r : read) {
            Path p = dir.resolve(read.size() == 1 ? "training_curves.png" : r.name() + "_training_curves.png");
            Plots.trainingCurves(r, p);
            written.add(p);
        }
        if (read.size() > 1) {
            Path p = dir.resolve("validation_comparison.png");
            Plots.validationComparison(read, p);
            written.add(p);
        }
        List<Plots.Curve> curves = new ArrayList<>();
        int classes = 0;
        for (RunResults r : read) {
            if (r.evaluation().isPresent() && r.evaluation().get().has("by_lines_seen")) {
                classes = Math.max(classes, r.evaluation().get().path("classes").size());
                double[][] xy = EvaluationFiles.curve(r.evaluation().get(), "balanced_accuracy");
                Object arch = r.settings().get("architecture");
                curves.add(new Plots.Curve(r.name() + (arch == null ? "" : " (" + arch + ")"), xy[0], xy[1]));
            }
        }
        if (!curves.isEmpty()) {
            Path p = dir.resolve("balanced_accuracy_vs_lines.png");
            Plots.versusLinesSeen("Test balanced accuracy vs lines seen", "balanced accuracy", curves,
                    classes >= 2 ? List.of(Plots.chanceBalancedAccuracy(classes)) : List.of(), p);
            written.add(p);
        }
        if (read.size() == 1 && read.get(0).evaluation().isPresent()) {
            JsonNode e = read.get(0).evaluation().get();
            if (e.has("overall")) {
                written.addAll(Plots.evaluationFigures(e, read.get(0).name(), dir));
            }
        }
        for (Path p : written) {
            out.println("wrote " + p);
        }
    }
}
