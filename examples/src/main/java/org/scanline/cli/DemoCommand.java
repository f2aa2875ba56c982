package org.scanline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scanline.simulate.SimulatorConfig;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.Parameter;
import org.scanline.simulate.SimulatedDataset;
import org.scanline.models.PretrainedModels;
import org.scanline.ScanDataset;
import org.scanline.Prediction;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanlineException;
import org.scanline.dataset.Datasets;
import org.scanline.dataset.NpyArray;
import org.scanline.dataset.ScanArrays;
import org.scanline.backend.TrainingSize;
import org.scanline.view.ScanView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scanline demo}: the shipped classifier at work. It streams held-out simulated scans of every
 * class line by line through the shipped model (scanline-models' {@code hsi100-causal-v4}), printing
 * the prediction, the tip state and any tip change, draws each scan beside its per-line predictions,
 * and does the same for the real Nanonis scans of {@code --sxm}. With {@code --train} it first runs
 * the whole chain (simulate, train a small causal model, evaluate, export) and streams through that
 * model instead. {@link #trainModel()} is the chain; everything goes into {@code --out}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Stream held-out simulated scans of every class, and real .sxm scans, line by line through the "
                + "shipped model: prediction, tip state and tip changes after every line, and a PNG of each scan beside "
                + "its per-line predictions. Seconds once built.",
            "--train first simulates test scans, trains a small causal model on fresh simulated scans, evaluates and "
                + "exports it (about 4 minutes on 2 idle cores) and streams through that model. Everything goes into --out."})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--train", description = "Run the whole chain first (simulate, train, evaluate, export) and stream "
            + "through the model it makes instead of the shipped one (default: off).")
    boolean train;

    @Option(names = "--per-class", defaultValue = "2", paramLabel = "N",
            description = "Held-out simulated scans streamed per class (default: ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--epochs", defaultValue = "16", paramLabel = "N",
            description = "With --train: training epochs of --steps optimiser steps on fresh simulated scans "
                    + "(default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--steps", defaultValue = "150", paramLabel = "N",
            description = "With --train: optimiser steps per epoch, 16 scans each (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--count", defaultValue = "1000", paramLabel = "N",
            description = "With --train: simulated test scans the model is evaluated on (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--size", defaultValue = "64", paramLabel = "PX",
            description = "With --train: lines and pixels of the simulated scans (default: ${DEFAULT-VALUE}; 128 is the "
                    + "reference, about 4× slower).")
    int size;

    @Option(names = "--sxm", paramLabel = "DIR",
            description = "Folder of Nanonis .sxm scans to stream at the end (default: shared/data/sxm in a folder "
                    + "beside this checkout, when there is one).")
    Path sxm;

    @CommandLine.Mixin
    ViewOptions viewOptions = new ViewOptions();

    @Option(names = "--view-line-ms", defaultValue = "30", paramLabel = "MS",
            description = "With --view: pause after each line so that the scan is seen growing (default: ${DEFAULT-VALUE}).")
    long viewLineMs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        PrintWriter o = spec.commandLine().getOut();
        List<Path> pictures = new java.util.ArrayList<>();
        Path model = train ? trainModel() : null;
        int lines = train ? size : 128;
        try (ScanLineClassifier c = model == null ? PretrainedModels.open() : ScanLineClassifier.open(model);
             ScanView view = viewOptions.start(o)) {
            DemoView shown = new DemoView(view, viewLineMs);
            String n = train ? "5/7" : "1/4";
            o.printf("%n== %s stream held-out simulated scans (seed %d, never trained on), %d per class, through %s%n", n,
                    HELD_OUT_SEED, perClass, model == null ? "the shipped model " + PretrainedModels.DEFAULT
                            + " (docs/models/" + PretrainedModels.DEFAULT + ".md)" : model);
            o.println(LEGEND);
            HeldOut held = heldOut(lines);
            Path data = held.file();
            ScanArrays a = Datasets.load(data);
            for (int i = 0; i < a.count(); i++) {
                String label = a.classNames().get(a.labels()[i]);
                TrueChange change = held.changes().get(i);
                o.printf("%n-- scan %d of %s: true class '%s', %s%n", i, data.getFileName(), label, change);
                String title = "held-out scan " + i + ", true class: " + label;
                StreamCommand.LineHook hook = shown.scan(title, ScanFiles.lines(a, i), c.classNames());
                List<Prediction> ps = StreamCommand.streamAll(c, data, a, i, Integer.MAX_VALUE,
                        ScanLineClassifier.Options.defaults().confidenceThreshold(), StreamCommand.Rows.COMPACT, o, hook);
                o.println(reportedChanges(ps));
                shown.end(ps, title);
                String remark = ScanReading.tipChange(ps, change.line(), change.from(), change.to());
                if (!remark.isEmpty()) {
                    o.println(remark);
                }
                Path png = out.resolve(String.format(java.util.Locale.ROOT, "scan-%d-%s.png", i, slug(label)));
                PredictionStrip.write(ScanFiles.lines(a, i), "m", ps, c.classNames(), title, png);
                pictures.add(png);
            }
            o.printf("%n== %s as a microscope writes them: one frame at 128 and at 512 px, and another surface%n",
                    train ? "6/7" : "2/4");
            pictures.addAll(streamScans(c, MicroscopeScans.write(HELD_OUT_SEED, out.resolve("microscope")), o, out,
                    shown, "Simulated .sxm files with the frame in :SCAN_RANGE:. The 512 px file is the 128 px frame "
                            + "drawn finer: the runtime takes its lines at the model's sampling and should say the same."
                            + " The last is an amorphous film, a surface the model never saw: it should be flagged"
                            + " (the check flags 87 % of such films, 31 % of the held-out kinds overall:"
                            + " docs/results.md).", "simulated"));
            o.printf("%n== %s stream real Nanonis .sxm scans%n", train ? "7/7" : "3/4");
            List<Path> scans = realScans();
            if (scans.isEmpty()) {
                o.println(sxm == null ? "skipped: no --sxm DIR given and no shared/data/sxm beside this checkout"
                        : "skipped: no .sxm files in " + sxm);
            } else {
                pictures.addAll(streamRealScans(c, scans, o, out, shown));
            }
            o.printf("%n== %s pictures: each scan beside its per-line class and tip state%n", train ? "" : "4/4");
            pictures.forEach(p -> o.println("wrote " + p.toAbsolutePath()));
            o.printf("%nDone. Everything is in %s.%n", out.toAbsolutePath());
            o.flush();
            viewOptions.linger(view, Double.POSITIVE_INFINITY, o);
        }
        return 0;
    }

    static final long HELD_OUT_SEED = 99;

    static final String LEGEND = "One row per scan line: the class after that line and its probability (? when below "
            + "the confidence threshold), the tip state of that line and its probability, and '<< tip change' on the "
            + "line that confirmed one. Chance is 0.25.";

    /** The held-out scans streamed, and what the simulator says of each one's tip. */
    record HeldOut(Path file, List<TrueChange> changes) {
    }

    /**
     * The simulator's tip change in a scan.
     *
     * @param line the first line of the new tip state, or -1 for a scan without a change
     * @param from the tip state before it
     * @param to the tip state from {@code line} on
     */
    record TrueChange(int line, String from, String to) {
        @Override
        public String toString() {
            return line < 0 ? "no tip change" : "the tip changed at line " + line + ", " + from + " -> " + to
                    + " (simulator truth)";
        }
    }

    /**
     * {@code perClass} scans of each true class among scans of a seed never trained on: the first ones,
     * except that a scan whose tip changes in the middle half of the scan comes first where the class
     * has one, so that the stream has a change to report. Chosen by the simulator's truth alone, never by
     * what the model predicts.
     */
    HeldOut heldOut(int lines) {
        SimulatorConfig cfg = SimulatorConfig.builder().lines(lines).pixels(lines).labelNoise(0).build();
        SimulatedDataset d = new Simulator(cfg).generate(HELD_OUT_SEED, 0, 64 * Math.max(1, perClass), 1, null);
        int[] changes = d.changeLines();
        int[] middle = changes.clone();
        for (int i = 0; i < middle.length; i++) {
            middle[i] = middle[i] >= lines / 4 && middle[i] < lines * 3 / 4 ? middle[i] : -1;
        }
        List<Integer> pick = pick(d.labelsTrue(), middle, SimulatorConfig.CLASS_NAMES.size(), perClass);
        ScanDataset chosen = d.dataset().subset(pick.stream().mapToInt(Integer::intValue).toArray(), "held-out");
        Path file = out.resolve("held-out.npz");
        // The frames' physical size goes with them, as an instrument's file would carry it: the runtime
        // brings the lines to the model's sampling and the surface check can judge them.
        double[] sizes = d.parameter(Parameter.SCAN_SIZE_NM);
        double[] chosenSizes = pick.stream().mapToDouble(i -> sizes[i]).toArray();
        Datasets.writeNpz(chosen, java.util.Map.of(ScanFiles.SCAN_SIZE_KEY,
                NpyArray.of(chosenSizes, chosenSizes.length)), file, true);
        List<TrueChange> truth = new java.util.ArrayList<>();
        for (int i : pick) {
            int c = changes[i];
            byte[] states = d.lineStates(i);
            truth.add(c < 0 ? new TrueChange(-1, "", "") : new TrueChange(c,
                    SimulatorConfig.CLASS_NAMES.get(states[c - 1]), SimulatorConfig.CLASS_NAMES.get(states[c])));
        }
        return new HeldOut(file, truth);
    }

    /**
     * Up to {@code perClass} scan indices of each class, in class order; within a class the first scan
     * with a tip change ({@code changes[i] >= 0}) first, then the others in order.
     */
    static List<Integer> pick(int[] labels, int[] changes, int classes, int perClass) {
        List<Integer> pick = new java.util.ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Integer> mine = new java.util.ArrayList<>();
            int changed = -1;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    mine.add(i);
                    if (changed < 0 && changes[i] >= 0) {
                        changed = i;
                    }
                }
            }
            if (changed >= 0) {
                mine.remove(Integer.valueOf(changed));
                mine.add(0, changed);
            }
            pick.addAll(mine.subList(0, Math.min(perClass, mine.size())));
        }
        return pick;
    }

    /** One line naming the tip changes the stream reported, or saying there were none. */
    static String reportedChanges(List<Prediction> ps) {
        List<String> seen = ps.stream().distinct().flatMap(p -> p.tipChange().stream())
                .map(e -> String.format(java.util.Locale.ROOT, "%s -> %s from line %d (after line %d)", e.from(), e.to(),
                        e.line(), e.detectedAt()))
                .toList();
        return seen.isEmpty() ? "tip changes reported: none" : "tip changes reported: " + String.join("; ", seen);
    }

    private static String slug(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    /** Seed of the test scans {@code --train} evaluates on: not the training (1000), validation (2000) or demo (99) seed. */
    static final long TEST_SEED = 2;

    /**
     * The --train chain, steps 1–4: simulate a test set, train on fresh simulated scans, evaluate on the
     * test set, export; returns the model file. Sized to finish in about 4 minutes on 2 idle cores
     * (docs/benchmarks.md): the small causal model with the shipped model's recipe (fresh scans at every
     * step, true labels, every line of every scan in the loss, spectrum tokens, a tip-state head) on
     * 64 × 64 scans.
     */
    private Path trainModel() throws IOException {
        Path test = out.resolve("test.npz");
        Path runs = out.resolve("runs");
        Path model = out.resolve("model.onnx");
        String px = Integer.toString(size);
        step("1/7 simulate " + count + " test scans of H:Si(100) (" + size + " × " + size + ", seed " + TEST_SEED
                + ", never trained on)", "simulate", "--count", Integer.toString(count), "--seed",
                Long.toString(TEST_SEED), "--lines", px, "--pixels", px, "--out", test.toString());
        step("2/7 train a small causal model on the CPU, on " + epochs * steps * 16 + " fresh simulated scans",
                "train", "--simulate", "--sim-lines", px, "--sim-pixels", px, "--arch", "causal", "--size", TrainingSize.SMALL.id(),
                "--min-lines", px, "--max-lines", px, "--line-state-weight", "0.5", "--spectrum-tokens", "true",
                "--batch-size", "16", "--steps-per-epoch", Integer.toString(steps), "--epochs", Integer.toString(epochs),
                "--valid-scans", "300", "--lr", "2e-3", "--warmup-epochs", "0", "--schedule", "cosine",
                "--dropout", "0", "--set", "noiseStd=0", "--set", "lineDropout=0", "--runs-dir", runs.toString());
        Path run = newestRun(runs);
        step("3/7 evaluate on the test scans against their true classes (chance: balanced accuracy 0.25, AUROC 0.5)",
                "evaluate", run.toString(), "--data", test.toString(), "--split", "all", "--label-key", "labels_true",
                "--plots", out.resolve("plots").toString());
        step("4/7 export to ONNX (temperature fitted on the validation scans)", "export", run.toString(), "--out",
                model.toString());
        return model;
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

    /**
     * Streams each scan's Z forward trace, resampled to the model's width, printing one row per line,
     * and draws it beside its per-line predictions.
     *
     * @return the pictures written
     */
    static List<Path> streamRealScans(ScanLineClassifier c, List<Path> scans, PrintWriter o, Path out) {
        return streamRealScans(c, scans, o, out, new DemoView(null, 0));
    }

    /** {@link #streamRealScans(ScanLineClassifier, List, PrintWriter, Path)}, each scan also shown on a view. */
    static List<Path> streamRealScans(ScanLineClassifier c, List<Path> scans, PrintWriter o, Path out, DemoView shown) {
        return streamScans(c, scans, o, out, shown, "The shipped model knows simulated H:Si(100); a scan of another "
                + "surface shows the path from the instrument's file to a prediction, not a meaningful class.", "real scan");
    }

    /** Streams {@code .sxm} files as {@link #streamRealScans}, after {@code intro}; titles say {@code kind}. */
    static List<Path> streamScans(ScanLineClassifier c, List<Path> scans, PrintWriter o, Path out, DemoView shown,
            String intro, String kind) {
        o.println(intro);
        List<Path> pictures = new java.util.ArrayList<>();
        List<String> skipped = new java.util.ArrayList<>();
        for (Path f : scans) {
            // One unreadable file (truncated, another channel set, a partial scan with no line yet) is
            // skipped with its reason: the demo used to stop at it and show none of the others.
            String title = f.getFileName() + " (" + kind + ")";
            try {
                ScanArrays a = Datasets.load(f);
                o.printf("%n%s: %d × %d px, %s%n", f.getFileName(), a.lines(), a.pixels(),
                        a.info().getOrDefault("selected", "Z forward"));
                StreamCommand.LineHook hook = shown.scan(title, ScanFiles.lines(a, 0), c.classNames());
                List<Prediction> ps = StreamCommand.streamAll(c, f, a, 0, Integer.MAX_VALUE,
                        ScanLineClassifier.Options.defaults().confidenceThreshold(), StreamCommand.Rows.COMPACT, o, hook);
                o.println(reportedChanges(ps));
                shown.end(ps, title);
                Path png = out.resolve(f.getFileName().toString().replaceAll("\\.sxm$", "") + ".png");
                PredictionStrip.write(ScanFiles.lines(a, 0), "m", ps, c.classNames(), title, png);
                pictures.add(png);
            } catch (ScanlineException | UncheckedIOException e) {
                String why = String.valueOf(e.getMessage());
                o.printf("%nskipped %s%n", why.startsWith(f.toString()) ? why : f + ": " + why);
                skipped.add(f.getFileName().toString());
                shown.end(List.of(), title + ": skipped, " + why);
            }
        }
        if (!skipped.isEmpty()) {
            o.printf("%d of %d .sxm files skipped (%s); the others are shown%n", skipped.size(), scans.size(),
                    String.join(", ", skipped));
        }
        return pictures;
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
