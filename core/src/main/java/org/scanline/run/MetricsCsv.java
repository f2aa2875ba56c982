package org.scanline.run;

import org.scanline.io.AtomicOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.train.EpochMetrics;

/**
 * Reads and writes a run's {@code metrics.csv}: the header
 * {@value #HEADER} and one row per epoch and split. The one reader and writer of the file: training
 * writes it through here, and analysis, export and resume read it through here.
 *
 * <pre>{@code
 * List<EpochMetrics> history = MetricsCsv.read(run.resolve("metrics.csv"));
 * }</pre>
 *
 * <p>Internal: public for training, analysis and export, which share the file; not part of the
 * library's API.
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public final class MetricsCsv {
    /** The exact header line of the file. */
    public static final String HEADER = "epoch,split,loss,accuracy,balanced_accuracy,auroc,lr,seconds";
    /** The file's name in a run folder. */
    public static final String FILE_NAME = "metrics.csv";

    private static final List<String> COLUMNS = List.of(HEADER.split(","));

    private MetricsCsv() {
    }

    /**
     * Reads every row. Columns are found by header name, so extra columns are ignored.
     *
     * @param file the {@code metrics.csv}
     * @return the rows in file order
     * @throws BadDataException if the file is missing, lacks a column, or a value is not a number
     */
    public static List<EpochMetrics> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadDataException(file + ": no metrics.csv (is this a run folder?)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new BadDataException(file + ": empty file, expected the header " + HEADER);
        }
        List<String> header = Arrays.stream(lines.get(0).split(",", -1)).map(String::trim).toList();
        int[] at = new int[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++) {
            at[c] = header.indexOf(COLUMNS.get(c));
            if (at[c] < 0) {
                throw new BadDataException(file + ": header lacks column '" + COLUMNS.get(c) + "': expected "
                        + HEADER + ", found " + lines.get(0));
            }
        }
        List<EpochMetrics> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < header.size()) {
                throw new BadDataException(file + " line " + (i + 1) + ": " + f.length + " fields, expected "
                        + header.size());
            }
            try {
                rows.add(new EpochMetrics(Integer.parseInt(f[at[0]].trim()), f[at[1]].trim(),
                        number(f[at[2]]), number(f[at[3]]), number(f[at[4]]), number(f[at[5]]),
                        number(f[at[6]]), number(f[at[7]])));
            } catch (NumberFormatException e) {
                throw new BadDataException(file + " line " + (i + 1) + ": not a number (" + e.getMessage() + ")");
            }
        }
        return List.copyOf(rows);
    }

    private static double number(String s) {
        String t = s.trim();
        return t.isEmpty() || t.equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(t);
    }

    /**
     * Writes rows atomically with the standard header.
     *
     * @param file target file
     * @param rows rows in order
     */
    public static void write(Path file, List<EpochMetrics> rows) {
        AtomicOutput.writeText(file, w -> {
            w.write(HEADER);
            w.write('\n');
            for (EpochMetrics m : rows) {
                w.write(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%s,%s\n", m.epoch(), m.split(),
                        m.loss(), m.accuracy(), m.balancedAccuracy(), m.auroc(), m.lr(), m.seconds()));
            }
        });
    }
}
