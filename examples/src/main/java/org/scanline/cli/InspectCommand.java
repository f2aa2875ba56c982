package org.scanline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.scanline.dataset.Datasets;
import org.scanline.dataset.ScanArrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code scanline inspect FILE}: what a dataset or scan file holds — count, shape, stored dtype,
 * class distribution and weights, NaN pixels (counted, not rejected) and, for {@code .sxm} files,
 * the header.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Describe a dataset (.npz, .npy, .mat, folder with labels.csv) or a Nanonis .sxm scan.")
public final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "Dataset file or folder, or an .sxm scan.")
    Path file;

    @Option(names = "--json", description = "Print JSON for machine reading (default: ${DEFAULT-VALUE}).")
    boolean json;

    @picocli.CommandLine.Mixin
    TraceOptions trace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ScanArrays a = Datasets.load(file, trace.readOptions());
        Map<String, Object> report = report(a);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            printText(out, a, report);
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> report(ScanArrays a) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("file", a.source());
        r.put("count", a.count());
        r.put("lines", a.lines());
        r.put("pixels", a.pixels());
        r.put("dtype", a.storedDtype());
        r.put("non_finite_pixels", a.nonFiniteCount());
        r.put("labelled", a.labelled());
        if (a.labelled()) {
            int[] counts = a.classCounts();
            List<Map<String, Object>> classes = new ArrayList<>();
            boolean allPresent = true;
            for (int c : counts) {
                allPresent &= c > 0;
            }
            for (int k = 0; k < counts.length; k++) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("index", k);
                c.put("name", a.classNames().get(k));
                c.put("count", counts[k]);
                c.put("percent", 100.0 * counts[k] / a.count());
                // N / (K n_c); undefined for an absent class, reported as null rather than infinity.
                c.put("weight", counts[k] > 0 ? (double) a.count() / ((double) counts.length * counts[k]) : null);
                classes.add(c);
            }
            r.put("classes", classes);
            r.put("all_classes_present", allPresent);
        }
        r.put("info", a.info());
        return r;
    }

    @SuppressWarnings("unchecked")
    private static void printText(PrintWriter out, ScanArrays a, Map<String, Object> r) {
        out.printf(Locale.ROOT, "file:        %s%n", a.source());
        out.printf(Locale.ROOT, "scans:       %d%n", a.count());
        out.printf(Locale.ROOT, "shape:       %d × %d × %d (scans × lines × pixels)%n", a.count(), a.lines(), a.pixels());
        out.printf(Locale.ROOT, "dtype:       %s%n", a.storedDtype());
        out.printf(Locale.ROOT, "non-finite:  %d pixel(s)%s%n", a.nonFiniteCount(),
                a.nonFiniteCount() > 0 ? " (training rejects these; crop or repair the scans)" : "");
        if (a.labelled()) {
            out.printf(Locale.ROOT, "classes:     %d%n", a.classNames().size());
            for (Map<String, Object> c : (List<Map<String, Object>>) r.get("classes")) {
                Object w = c.get("weight");
                out.printf(Locale.ROOT, "  %d %-22s %8d  %6.2f %%  weight %s%n", (Integer) c.get("index"),
                        c.get("name"), (Integer) c.get("count"), (Double) c.get("percent"),
                        w == null ? "n/a (no scans)" : String.format(Locale.ROOT, "%.3f", (Double) w));
            }
        } else {
            out.println("labels:      none (a single scan)");
        }
        for (Map.Entry<String, String> e : a.info().entrySet()) {
            out.printf(Locale.ROOT, "%-12s %s%n", e.getKey() + ":", e.getValue());
        }
    }
}
