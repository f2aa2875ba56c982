package org.scanline.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.scanline.BadDataException;

/**
 * A labelled collection: a folder of scan files plus {@code labels.csv} with the header
 * {@code file,label}. A label is a class index or a class name. Names resolve against the
 * reference 4-class names when all of them are reference names (case-insensitive), otherwise the
 * distinct names sorted alphabetically become the classes; integer labels index that list (or, when
 * every label is an integer, the classes are {@code 0..max}).
 */
final class LabelledFolders {
    static final String LABELS_CSV = "labels.csv";

    private LabelledFolders() {
    }

    private record Row(int line, String file, String label) {
    }

    static ScanArrays read(Path dir, ReadOptions options) {
        Path csv = dir.resolve(LABELS_CSV);
        List<Row> rows = parse(csv);
        List<String> classNames = classNames(rows);
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            labels[i] = resolve(rows.get(i), classNames, csv);
        }
        float[] images = null;
        int lines = 0;
        int pixels = 0;
        String dtype = null;
        String first = null;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Path f = dir.resolve(r.file()).normalize();
            if (!Files.isRegularFile(f)) {
                throw new BadDataException(csv + " line " + r.line() + ": file '" + r.file() + "' does not exist in "
                        + dir);
            }
            ScanArrays one = single(f, options);
            if (images == null) {
                lines = one.lines();
                pixels = one.pixels();
                dtype = one.storedDtype();
                first = r.file();
                long total = (long) rows.size() * lines * pixels;
                if (total > NpyHeader.MAX_ELEMENTS || total * Float.BYTES > Runtime.getRuntime().maxMemory()) {
                    throw new BadDataException(csv + ": " + rows.size() + " scans of " + lines + " × " + pixels
                            + " do not fit this JVM's heap");
                }
                images = new float[(int) total];
            } else if (one.lines() != lines || one.pixels() != pixels) {
                throw new BadDataException(f + ": scan is " + one.lines() + " × " + one.pixels() + " but " + first
                        + " is " + lines + " × " + pixels + "; every scan of a collection must have the same size");
            }
            System.arraycopy(one.images(), 0, images, i * lines * pixels, lines * pixels);
        }
        Map<String, String> info = new LinkedHashMap<>();
        info.put("format", "collection (" + LABELS_CSV + ")");
        info.put("channel", options.channel() + " " + options.direction().name().toLowerCase(Locale.ROOT));
        return new ScanArrays(dir.toString(), images, rows.size(), lines, pixels, labels, classNames, dtype, info);
    }

    /** One scan from one file of a collection: an {@code .sxm} trace or a 2-d {@code .npy}. */
    static ScanArrays single(Path f, ReadOptions options) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".sxm")) {
            return Sxm.toArrays(SxmScan.read(f), options);
        }
        if (name.endsWith(".npy")) {
            NpyArray a = Npy.read(f);
            if (a.rank() != 2 || a.dtype().isString()) {
                throw new BadDataException(f + ": a scan in a collection must be a numeric 2-d array (lines, pixels), "
                        + "found " + a.dtype() + " " + NpyHeader.tuple(a.shape()));
            }
            long[] s = a.shape();
            return new ScanArrays(f.toString(), a.toFloatArray(), 1, (int) s[0], (int) s[1], null, List.of(),
                    NpyCodec.descr(a), Map.of());
        }
        throw new BadDataException(f + ": unsupported scan file in a collection (expected .sxm or .npy)");
    }

    private static List<Row> parse(Path csv) {
        List<String> text;
        try {
            text = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (text.isEmpty() || !text.get(0).replace("\uFEFF", "").replace(" ", "").equalsIgnoreCase("file,label")) {
            throw new BadDataException(csv + ": the first line must be the header 'file,label'");
        }
        List<Row> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < text.size(); i++) {
            String line = text.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            if (comma <= 0 || comma == line.length() - 1) {
                throw new BadDataException(csv + " line " + (i + 1) + ": expected 'file,label', found '" + line + "'");
            }
            String file = unquote(line.substring(0, comma));
            String label = unquote(line.substring(comma + 1));
            if (!seen.add(file)) {
                throw new BadDataException(csv + " line " + (i + 1) + ": file '" + file + "' is listed twice");
            }
            rows.add(new Row(i + 1, file, label));
        }
        if (rows.isEmpty()) {
            throw new BadDataException(csv + ": the dataset is empty (no rows after the header)");
        }
        return rows;
    }

    private static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1).replace("\"\"", "\"");
        }
        return t;
    }

    private static boolean isInteger(String s) {
        return s.matches("-?\\d+");
    }

    private static List<String> classNames(List<Row> rows) {
        Set<String> names = new TreeSet<>();
        int max = -1;
        for (Row r : rows) {
            if (isInteger(r.label())) {
                max = Math.max(max, Integer.parseInt(r.label()));
            } else {
                names.add(r.label());
            }
        }
        if (names.isEmpty()) {
            return ScanArrays.defaultClassNames(Math.max(max + 1, 1));
        }
        boolean reference = names.stream().allMatch(n -> indexIgnoreCase(ScanArrays.REFERENCE_CLASSES, n) >= 0);
        return reference ? ScanArrays.REFERENCE_CLASSES : List.copyOf(names);
    }

    private static int indexIgnoreCase(List<String> list, String name) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static int resolve(Row r, List<String> classNames, Path csv) {
        if (isInteger(r.label())) {
            int v = Integer.parseInt(r.label());
            if (v < 0 || v >= classNames.size()) {
                throw new BadDataException(csv + " line " + r.line() + ": label " + v + " is outside [0, "
                        + classNames.size() + ") for classes " + classNames);
            }
            return v;
        }
        int k = indexIgnoreCase(classNames, r.label());
        if (k < 0) {
            throw new BadDataException(csv + " line " + r.line() + ": unknown class '" + r.label() + "'");
        }
        return k;
    }
}
