package org.scanline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanlineException;
import org.scanline.dataset.Datasets;
import org.scanline.dataset.ScanArrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scanline demo}: the whole pipeline on the embedded default data, by running the other
 * commands in order. {@link #model()} is where the demo's model comes from (today: simulate, train
 * a small causal model, evaluate, export); the rest streams a held-out simulated scan and the real
 * Nanonis scans of {@code --sxm} through whatever model it returns.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Simulate, train a small causal model, evaluate, export, and stream a held-out scan and real "
                + ".sxm scans line by line; everything goes into --out.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--count", defaultValue = "4000", paramLabel = "N",
            description = "Simulated scans (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--epochs", defaultValue = "25", paramLabel = "N",
            description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--size", defaultValue = "64", paramLabel = "PX",
            description = "Lines and pixels of the simulated scans (default: ${DEFAULT-VALUE}; 128 is the reference, "
                    + "about 4× slower).")
    int size;

    @Option(names = "--sxm", paramLabel = "DIR",
            description = "Folder of Nanonis .sxm scans to stream at the end (default: shared/data/sxm in a folder "
                    + "beside this checkout, when there is one).")
    Path sxm;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What the demo streams through: the model file and a held-out scan of the data it was trained on. */
    record DemoModel(Path onnx, Path heldOutData, int heldOutScan) {
    }

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        DemoModel m = model();
        step("5/6 stream a held-out simulated scan line by line", "stream", m.onnx().toString(),
                m.heldOutData().toString(), "--scan", Integer.toString(m.heldOutScan()));
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%n== 6/6 stream real Nanonis .sxm scans%n");
        List<Path> scans = realScans();
        if (scans.isEmpty()) {
            o.println(sxm == null ? "skipped: no --sxm DIR given and no shared/data/sxm beside this checkout"
                    : "skipped: no .sxm files in " + sxm);
        } else {
            streamRealScans(m.onnx(), scans, o);
        }
        o.printf("%nDone. Everything is in %s (model %s).%n", out.toAbsolutePath(), m.onnx().getFileName());
        o.flush();
        return 0;
    }

    /** The one place the demo's model comes from: trained here, in steps 1–4. */
    private DemoModel model() throws IOException {
        Path data = out.resolve("sim.npz");
        Path runs = out.resolve("runs");
        Path model = out.resolve("model.onnx");
        step("1/6 simulate " + count + " H:Si(100) scans (" + size + " × " + size + ")",
                "simulate", "--count", Integer.toString(count), "--seed", "1", "--lines", Integer.toString(size),
                "--pixels", Integer.toString(size), "--out", data.toString());
        step("2/6 train a small causal model on the CPU",
                "train", "--data", data.toString(), "--arch", "causal", "--size", "small",
                "--max-lines", Integer.toString(size), "--epochs", Integer.toString(epochs), "--runs-dir", runs.toString());
        Path run = newestRun(runs);
        step("3/6 evaluate on the held-out test split (chance: balanced accuracy 0.25, AUROC 0.5)", "evaluate",
                run.toString(), "--plots", out.resolve("plots").toString());
        step("4/6 export to ONNX (temperature fitted on the validation split)", "export", run.toString(), "--out",
                model.toString());
        return new DemoModel(model, data, firstTestScan(run, data));
    }

    private void step(String title, String... args) {
        var o = spec.commandLine().getOut();
        o.printf("%n== %s%n$ scanline %s%n", title, String.join(" ", args));
        o.flush();
        int code = Main.commandLine().execute(args);
        if (code != 0) {
            throw new ScanlineException("demo step '" + args[0] + "' failed with exit code " + code);
        }
    }

    private static Path newestRun(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new ScanlineException(runs + ": training wrote no run folder"));
        }
    }

    private static int firstTestScan(Path run, Path data) {
        var folder = org.scanline.training.RunFolder.open(run);
        return org.scanline.training.RunSplits.of(folder.config(), Datasets.read(data)).test()[0];
    }

    /**
     * Streams each scan's Z forward trace, resampled to the model's width, printing every 8th line.
     *
     * @param model the model file
     * @param scans Nanonis files
     * @param o where to print
     */
    static void streamRealScans(Path model, List<Path> scans, PrintWriter o) {
        try (ScanLineClassifier c = ScanLineClassifier.open(model)) {
            o.println("The model knows simulated H:Si(100); a scan of another surface shows the path from the "
                    + "instrument's file to a prediction, not a meaningful class.");
            for (Path f : scans) {
                ScanArrays a = Datasets.load(f);
                o.printf("%n%s: %d × %d px, %s%n", f.getFileName(), a.lines(), a.pixels(),
                        a.info().getOrDefault("selected", "Z forward"));
                StreamCommand.stream(c, f, a, 0, Integer.MAX_VALUE, ScanLineClassifier.Options.defaults()
                        .confidenceThreshold(), 8, o);
            }
        }
    }

    private List<Path> realScans() {
        Path dir = sxm != null ? sxm : findSharedSxm();
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".sxm") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A {@code shared/data/sxm} folder beside the checkout or one of its parents, where the project's real scans are kept. */
    private static Path findSharedSxm() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path dir = p.resolveSibling("shared").resolve("data/sxm");
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        return null;
    }
}
