package org.scanline.surface;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.stream.LongStream;
import org.apiguardian.api.API;
import org.scanline.runtime.SurfaceCheck;
import org.scanline.simulate.OtherSurfaces;
import org.scanline.simulate.SimulatedScan;
import org.scanline.simulate.Simulator;
import org.scanline.simulate.SimulatorConfig;
import org.scanline.simulate.SurfaceKind;

/**
 * How often a {@link SurfaceCheck} flags simulated scans: H:Si(100) by true class, and each other
 * surface kind, after a given number of lines (a scan is flagged when its scorer says unknown after
 * that many lines).
 *
 * <pre>{@code
 * SurfaceCheckReport.Row r = SurfaceCheckReport.hsi(check, config, 23101, 300, 20);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class SurfaceCheckReport {
    private SurfaceCheckReport() {
    }

    /**
     * @param set what was scored
     * @param scans how many
     * @param flagged how many were flagged
     * @param meanScore their mean score
     */
    public record Row(String set, int scans, int flagged, double meanScore) {
        /** @return the share flagged */
        public double rate() {
            return scans == 0 ? Double.NaN : (double) flagged / scans;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-28s %5d scans  flagged %5.1f %%  mean score %.2f", set, scans,
                    100 * rate(), meanScore);
        }
    }

    /**
     * @param check the check
     * @param config the simulator settings (square frames at the model's pixel count)
     * @param seed the seed
     * @param count scans
     * @param lines lines seen
     * @return one row per true class, then one for all
     */
    public static List<Row> hsi(SurfaceCheck check, SimulatorConfig config, long seed, int count, int lines) {
        Simulator sim = new Simulator(config);
        double[][] res = score(check, i -> sim.scan(seed, i), count, lines);
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c <= SimulatorConfig.CLASS_NAMES.size(); c++) {
            int n = 0;
            int flagged = 0;
            double sum = 0;
            for (double[] r : res) {
                if (c == SimulatorConfig.CLASS_NAMES.size() || r[2] == c) {
                    n++;
                    flagged += r[1] > 0 ? 1 : 0;
                    sum += r[0];
                }
            }
            String name = c < SimulatorConfig.CLASS_NAMES.size() ? SimulatorConfig.CLASS_NAMES.get(c) : "all H:Si(100)";
            rows.add(new Row(name, n, flagged, n == 0 ? Double.NaN : sum / n));
        }
        return rows;
    }

    /**
     * @param check the check
     * @param config the simulator settings
     * @param kind the other surface
     * @param seed the seed
     * @param count scans
     * @param lines lines seen
     * @return its row
     */
    public static Row other(SurfaceCheck check, SimulatorConfig config, SurfaceKind kind, long seed, int count, int lines) {
        OtherSurfaces others = new OtherSurfaces(config);
        double[][] res = score(check, i -> others.scan(kind, seed, i), count, lines);
        int flagged = 0;
        double sum = 0;
        for (double[] r : res) {
            flagged += r[1] > 0 ? 1 : 0;
            sum += r[0];
        }
        return new Row(kind.key() + " (" + kind.group().name().toLowerCase(Locale.ROOT).replace('_', '-') + ")", count,
                flagged, sum / count);
    }

    /** @return per scan: score, 1 if flagged, true label */
    private static double[][] score(SurfaceCheck check, LongFunction<SimulatedScan> scans, int count, int lines) {
        return LongStream.range(0, count).parallel().mapToObj(i -> {
            SimulatedScan s = scans.apply(i);
            int n = Math.min(lines, s.lines());
            double score = SurfaceCheckFit.scores(check, s, new int[] {n})[0];
            return new double[] {score, score > check.threshold(n) ? 1 : 0, s.labelTrue()};
        }).toArray(double[][]::new);
    }
}
