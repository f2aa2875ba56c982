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
import org.scanline.Sampling;
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
 * {@code scanline classify model.onnx FILE...}: one prediction per scan, as a table or JSON, with the
 * reasons a prediction is not a confident tip state. Real scans are taken as they come: at their
 * physical sampling when the file gives it ({@code .sxm} header, the simulator's {@code .npz}) and the
 * model knows its own ({@link ScanLineClassifier#classifyAcquired(float[][], Sampling)}), else
 * resampled by pixel count ({@link LineResampler}); a partially acquired scan from its acquired lines,
 * dead pixels repaired; a scan longer than the model's maximum followed to its last line.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify every scan of NPZ/NPY/MAT/SXM files, or of the scan files in a folder, with an "
                + "exported model: one prediction per scan.",
            "Scans are brought to the model's physical sampling when the file gives its frame size (.sxm "
                + ":SCAN_RANGE:, the simulator's param_scan_size_nm) and the model knows its own; otherwise lines of "
                + "another width are resampled to the model's (linear interpolation). A partially acquired scan is "
                + "classified from its acquired lines, a longer one followed to its last line. Each of these is noted "
                + "on stderr; the 'why' column gives every reason a prediction is uncertain."})
final class ClassifyCommand implements Callable<Integer> {
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
                System.out.printf("%-40s %5s %9s %-24s %6s %-9s %s%n", "file", "scan", "lines", "predicted", "p", "why",
                        "label");
            }
            int correct = 0;
            int labelled = 0;
            int longer = 0;
            int partial = 0;
            int empty = 0;
            for (Path f : ScanFiles.expand(files)) {
                ScanArrays a = Datasets.load(f, flags.trace.readOptions());
                Sampling[] samplings = ScanFiles.samplings(f, a);
                boolean unknown = java.util.Arrays.stream(samplings).anyMatch(java.util.Objects::isNull);
                if (unknown && c.info().sampling().isPresent()) {
                    notes.add(ScanFiles.unknownSamplingNote(f));
                }
                if ((unknown || c.info().sampling().isEmpty()) && a.pixels() != c.pixels()) {
                    notes.add(ScanFiles.resampledNote(f, a.pixels(), c.pixels()));
                }
                for (int i = 0; i < a.count(); i++) {
                    float[][] scan = ScanFiles.lines(a, i);
                    int n = ScanLineClassifier.acquiredLines(scan);
                    Prediction p = null;
                    if (n == 0) {
                        empty++;
                    } else {
                        partial += n < a.lines() ? 1 : 0;
                        float[][] use = java.util.Arrays.copyOf(scan, Math.min(n, limit));
                        try {
                            p = samplings[i] == null ? c.classifyAcquired(use) : c.classifyAcquired(use, samplings[i]);
                        } catch (BadDataException e) {
                            throw new BadDataException(f + ", scan " + i + ": " + e.getMessage(), e);
                        }
                        longer += use.length > max && (samplings[i] == null || c.info().sampling().isEmpty()) ? 1 : 0;
                    }
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
                        if (samplings[i] != null) {
                            o.put("pixel_nm", samplings[i].pixelNm());
                            o.put("line_nm", samplings[i].lineNm());
                        }
                        if (p == null) {
                            o.putNull("predicted");
                        } else {
                            o.put("predicted", p.className());
                            o.put("class_index", p.classIndex());
                            o.put("confidence", p.confidence());
                            o.put("uncertain", p.uncertain());
                            ArrayNode why = o.putArray("reasons");
                            p.reasons().forEach(r -> why.add(r.name().toLowerCase(Locale.ROOT)));
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
                                p.linesSeen() + "/" + a.lines(), p.className(), p.confidence(), reasons(p), label);
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
            if (longer > 0) {
                notes.add(longer + " scan(s) have more lines than the model reads (" + max + "): followed to their last "
                        + "line by overlapping restarts, each prediction from the latest " + (max / 2) + " to " + max
                        + " lines");
            }
        }
        notes.forEach(n -> err.println("note: " + n));
        err.flush();
        return 0;
    }

    /** @return why a prediction is not a confident tip state, in a word each ({@code uncertain} column) */
    static String reasons(Prediction p) {
        return p.reasons().stream().map(r -> switch (r) {
            case LOW_CONFIDENCE -> "low-p";
            case SAMPLING -> "sampling";
            case UNKNOWN_SURFACE -> "surface";
            case NON_FINITE_OUTPUT -> "non-finite";
        }).collect(java.util.stream.Collectors.joining(","));
    }

    private static String name(ScanArrays a, int label) {
        return label < a.classNames().size() ? a.classNames().get(label) : Integer.toString(label);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : "…" + s.substring(s.length() - 39);
    }
}
