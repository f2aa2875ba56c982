package org.scanline.dataset;

import org.scanline.sxm.SxmScan;
import org.scanline.sxm.SxmChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns one {@link SxmScan} trace into {@link ScanArrays}, with the header facts {@code inspect} shows. */
final class Sxm {
    private Sxm() {
    }

    static ScanArrays toArrays(SxmScan scan, ReadOptions options) {
        float[] trace = scan.traceFlat(options.channel(), options.direction()).clone();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("format", "Nanonis .sxm");
        info.put("pixels", scan.pixels() + " × " + scan.lines() + " (pixels per line × lines)");
        double[] range = scan.rangeMeters();
        info.put("range_m", range[0] + " × " + range[1]);
        info.put("scan_dir", scan.scanDirection());
        info.put("bias_V", Double.toString(scan.biasVolts()));
        StringBuilder ch = new StringBuilder();
        for (SxmChannel c : scan.channels()) {
            ch.append(ch.length() > 0 ? ", " : "").append(c.name()).append(" [").append(c.unit()).append("] ")
                    .append(c.direction());
        }
        info.put("channels", ch.toString());
        info.put("selected", options.channel() + " " + options.direction().name().toLowerCase(Locale.ROOT));
        info.put("acquired_lines", scan.acquiredLines(options.channel(), options.direction()) + " of " + scan.lines());
        String type = scan.header().getOrDefault("SCANIT_TYPE", "").strip().replaceAll("\\s+", " ");
        return new ScanArrays(scan.file().toString(), trace, 1, scan.lines(), scan.pixels(), null, List.of(),
                type, info);
    }
}
