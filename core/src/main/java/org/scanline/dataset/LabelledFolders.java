package org.scanline.dataset;

import org.scanline.sxm.SxmScan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
import org.scanline.io.InputFiles;

/**
 * A labelled collection: a folder of scan files plus {@code labels.csv} with the header
 * {@code file,label}. A label is a class index or a class name. Names resolve against the
 * reference 4-class names when all of them are reference names (case-insensitive), otherwise the
 * distinct names sorted alphabetically become the classes; integer labels index that list (or, when
 * every label is an integer, the classes are {@code 0..max}).
 */
final class LabelledFolders {
    static final String LABELS_CSV = "labels.csv";
    /** Largest {@code labels.csv} read (about 300,000 rows of typical names). */
    static final long MAX_MANIFEST_BYTES = 16L << 20;

    private LabelledFolders() {
    }

    private record Row(int line, String file, String label) {
    }

    static ScanArrays read(Path dir, ReadOptions options) {
        Path csv = dir.resolve(LABELS_CSV);
        List<Row> rows = parse(csv);
        List<String> classNames = classNames(rows, csv);
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
            Path f;
            try {
                f = dir.resolve(r.file()).normalize();
            } catch (InvalidPathException e) {
                throw new BadDataException(csv + " line " + r.line() + ": '" + r.file() + "' is not a valid path ("
                        + e.getReason() + ")", e);
            }
            if (!Files.exists(f)) {
                throw new BadDataException(csv + " line " + r.line() + ": file '" + r.file() + "' does not exist in "
                        + dir);
            }
            InputFiles.notRegular(f).ifPresent(kind -> {
                throw new BadDataException(csv + " line " + r.line() + ": '" + r.file() + "' is " + kind
                        + ", not a regular file");
            });
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
        InputFiles.requireRegular(csv, "a labels.csv manifest");
        List<String> text;
        try {
            long size = Files.size(csv);
            if (size > MAX_MANIFEST_BYTES) {
                throw new BadDataException(csv + ": " + size + " bytes; a manifest of at most "
                        + (MAX_MANIFEST_BYTES >> 20) + " MiB is accepted");
            }
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(InputFiles.readAtMost(csv, MAX_MANIFEST_BYTES, "a manifest")))
                    .toString().lines().toList();
        } catch (CharacterCodingException e) {
            throw new BadDataException(csv + ": not UTF-8 text (" + e + ")", e);
        } catch (IOException e) {
            throw InputFiles.cannotRead(csv, e);
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

    /** An integer label; numbers beyond int (and so beyond {@link ScanArrays#MAX_CLASSES}) are rejected. */
    private static int intLabel(Row r, Path csv) {
        try {
            return Integer.parseInt(r.label());
        } catch (NumberFormatException e) {
            throw new BadDataException(csv + " line " + r.line() + ": label " + r.label() + " is not a class index "
                    + "(at most " + ScanArrays.MAX_CLASSES + " classes: 0 to " + (ScanArrays.MAX_CLASSES - 1) + ")", e);
        }
    }

    private static List<String> classNames(List<Row> rows, Path csv) {
        Set<String> names = new TreeSet<>();
        int max = -1;
        for (Row r : rows) {
            if (isInteger(r.label())) {
                max = Math.max(max, intLabel(r, csv));
            } else {
                names.add(r.label());
            }
        }
        if (names.isEmpty()) {
            return ScanArrays.defaultClassNames(Math.max(max + 1L, 1), csv.toString());
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
            int v = intLabel(r, csv);
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
