package org.scanline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scanline.BadDataException;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;
import org.scanline.dataset.Datasets;
import org.scanline.dataset.ScanArrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code scanline classify model.onnx FILE...}: one prediction per scan, as a table or JSON. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify every scan of NPZ/NPY/MAT/SXM files with an exported model.")
final class ClassifyCommand implements Callable<Integer> {
    private static final int BATCH = 64;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx model.")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Scan files or folders.")
    List<Path> files;

    @Option(names = "--lines", description = "Classify only the first N lines of each scan (default: all, up to the model's maximum).")
    int lines;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--threshold", description = "Confidence below which a prediction is uncertain (default: ${DEFAULT-VALUE}).")
    double threshold = 0.6;

    @Override
    public Integer call() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode all = mapper.createArrayNode();
        try (ScanLineClassifier c = ScanLineClassifier.open(model,
                ScanLineClassifier.Options.builder().confidenceThreshold(threshold).build())) {
            if (!json) {
                System.out.printf("%-40s %5s %-24s %6s %-9s %s%n", "file", "scan", "predicted", "p", "", "label");
            }
            int correct = 0;
            int labelled = 0;
            for (Path f : files) {
                ScanArrays a = Datasets.load(f);
                int use = Math.min(a.lines(), lines > 0 ? lines : c.info().maxLines());
                for (int start = 0; start < a.count(); start += BATCH) {
                    List<float[][]> batch = new ArrayList<>();
                    for (int i = start; i < Math.min(a.count(), start + BATCH); i++) {
                        batch.add(scan(a, i, use));
                    }
                    List<Prediction> ps;
                    try {
                        ps = c.classifyBatch(batch);
                    } catch (BadDataException e) {
                        throw new BadDataException(f + ": " + e.getMessage(), e);
                    }
                    for (int j = 0; j < ps.size(); j++) {
                        int i = start + j;
                        Prediction p = ps.get(j);
                        String label = a.labels() == null ? "" : name(a, a.labels()[i]);
                        if (a.labels() != null) {
                            labelled++;
                            correct += label.equals(p.className()) ? 1 : 0;
                        }
                        if (json) {
                            ObjectNode o = all.addObject();
                            o.put("file", f.toString());
                            o.put("scan", i);
                            o.put("lines", p.linesSeen());
                            o.put("predicted", p.className());
                            o.put("class_index", p.classIndex());
                            o.put("confidence", p.confidence());
                            o.put("uncertain", p.uncertain());
                            ObjectNode probs = o.putObject("probabilities");
                            for (int k = 0; k < c.classNames().size(); k++) {
                                probs.put(c.classNames().get(k), p.probability(k));
                            }
                            if (a.labels() != null) {
                                o.put("label", label);
                            }
                        } else {
                            System.out.printf(Locale.ROOT, "%-40s %5d %-24s %6.3f %-9s %s%n", shorten(f.toString()), i,
                                    p.className(), p.confidence(), p.uncertain() ? "uncertain" : "", label);
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
        }
        return 0;
    }

    static float[][] scan(ScanArrays a, int i, int lines) {
        float[][] s = new float[lines][];
        int base = i * a.lines() * a.pixels();
        for (int l = 0; l < lines; l++) {
            s[l] = java.util.Arrays.copyOfRange(a.images(), base + l * a.pixels(), base + (l + 1) * a.pixels());
        }
        return s;
    }

    private static String name(ScanArrays a, int label) {
        return label < a.classNames().size() ? a.classNames().get(label) : Integer.toString(label);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : "…" + s.substring(s.length() - 39);
    }
}
