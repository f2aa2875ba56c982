package org.scanline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.scanline.BadDataException;
import org.scanline.LineResampler;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;
import org.scanline.dataset.Datasets;
import org.scanline.dataset.ScanArrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code scanline classify model.onnx FILE...}: one prediction per scan, as a table or JSON. Real
 * scans are taken as they come: lines of another width are resampled to the model's
 * ({@link LineResampler}), a partially acquired scan is classified from its complete lines, and a
 * scan longer than the model's maximum from its first lines, with a note saying so.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify every scan of NPZ/NPY/MAT/SXM files, or of the scan files in a folder, with an "
                + "exported model: one prediction per scan.",
            "Lines of another width are resampled to the model's (linear interpolation); a partially acquired "
                + "scan is classified from its complete lines; a scan longer than the model's maximum from its first "
                + "lines. Each of these is noted on stderr."})
final class ClassifyCommand implements Callable<Integer> {
    private static final int BATCH = 64;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx model.")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE",
            description = "Scan or dataset files, or folders: a folder with labels.csv or images.npy is one dataset, "
                    + "any other folder stands for the scan files in it.")
    List<Path> files;

    @Mixin
    ClassifierFlags flags;

    @Option(names = "--json", description = "Print JSON instead of a table (default: ${DEFAULT-VALUE}).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int limit = flags.lineLimit();
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode all = mapper.createArrayNode();
        PrintWriter err = spec.commandLine().getErr();
        Set<String> notes = new LinkedHashSet<>();
        try (ScanLineClassifier c = ScanLineClassifier.open(model, flags.options())) {
            int max = c.info().maxLines();
            if (!json) {
                System.out.printf("%-40s %5s %9s %-24s %6s %-9s %s%n", "file", "scan", "lines", "predicted", "p", "",
                        "label");
            }
            int correct = 0;
            int labelled = 0;
            int cut = 0;
            int partial = 0;
            int empty = 0;
            for (Path f : ScanFiles.expand(files)) {
                ScanArrays a = Datasets.load(f, flags.trace.readOptions());
                LineResampler resampler = ScanFiles.resamplerFor(a.pixels(), c);
                if (resampler != null) {
                    notes.add(ScanFiles.resampledNote(f, a.pixels(), c.pixels()));
                }
                for (int start = 0; start < a.count(); start += BATCH) {
                    int end = Math.min(a.count(), start + BATCH);
                    List<float[][]> batch = new ArrayList<>();
                    int[] acquired = new int[end - start];
                    for (int i = start; i < end; i++) {
                        float[][] scan = ScanFiles.lines(a, i);
                        int n = ScanLineClassifier.acquiredLines(scan);
                        acquired[i - start] = n;
                        int use = Math.min(Math.min(n, max), limit);
                        if (n == 0) {
                            empty++;
                            continue;
                        }
                        partial += n < a.lines() ? 1 : 0;
                        cut += use < n && limit > max ? 1 : 0;
                        batch.add(ScanFiles.modelInput(scan, use, resampler));
                    }
                    List<Prediction> ps;
                    try {
                        ps = c.classifyBatch(batch);
                    } catch (BadDataException e) {
                        throw new BadDataException(f + ": " + e.getMessage(), e);
                    }
                    int next = 0;
                    for (int i = start; i < end; i++) {
                        int n = acquired[i - start];
                        Prediction p = n == 0 ? null : ps.get(next++);
                        String label = a.labels() == null ? "" : name(a, a.labels()[i]);
                        if (a.labels() != null && p != null) {
                            labelled++;
                            correct += label.equals(p.className()) ? 1 : 0;
                        }
                        if (json) {
                            ObjectNode o = all.addObject();
                            o.put("file", f.toString());
                            o.put("scan", i);
                            o.put("lines", p == null ? 0 : p.linesSeen());
                            o.put("acquired_lines", n);
                            o.put("lines_in_file", a.lines());
                            o.put("pixels_in_file", a.pixels());
                            if (p == null) {
                                o.putNull("predicted");
                            } else {
                                o.put("predicted", p.className());
                                o.put("class_index", p.classIndex());
                                o.put("confidence", p.confidence());
                                o.put("uncertain", p.uncertain());
                                ObjectNode probs = o.putObject("probabilities");
                                for (int k = 0; k < c.classNames().size(); k++) {
                                    probs.put(c.classNames().get(k), p.probability(k));
                                }
                            }
                            if (a.labels() != null) {
                                o.put("label", label);
                            }
                        } else if (p == null) {
                            System.out.printf(Locale.ROOT, "%-40s %5d %9s %-24s %6s %-9s %s%n", shorten(f.toString()), i,
                                    "0/" + a.lines(), "(no complete line)", "-", "", label);
                        } else {
                            System.out.printf(Locale.ROOT, "%-40s %5d %9s %-24s %6.3f %-9s %s%n", shorten(f.toString()), i,
                                    p.linesSeen() + "/" + a.lines(), p.className(), p.confidence(),
                                    p.uncertain() ? "uncertain" : "", label);
                        }
                    }
                }
            }
            if (json) {
                System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(all));
            } else if (labelled > 0) {
                System.out.printf(Locale.ROOT, "accuracy %.4f (%d of %d labelled scans)%n",
                        correct / (double) labelled, correct, labelled);
            }
            if (partial > 0) {
                notes.add(partial + " scan(s) partially acquired (NaN lines): classified from their complete lines");
            }
            if (empty > 0) {
                notes.add(empty + " scan(s) have no complete line yet: not classified");
            }
            if (cut > 0) {
                notes.add(cut + " scan(s) have more lines than the model reads (" + max + "): classified from their "
                        + "first " + max + " lines only");
            }
        }
        notes.forEach(n -> err.println("note: " + n));
        err.flush();
        return 0;
    }

    private static String name(ScanArrays a, int label) {
        return label < a.classNames().size() ? a.classNames().get(label) : Integer.toString(label);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : "…" + s.substring(s.length() - 39);
    }
}
