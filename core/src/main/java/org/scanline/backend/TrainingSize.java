package org.scanline.backend;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.ScanDataset;
import org.scanline.train.TrainingConfig;

/**
 * The model sizes, in one place: {@code train --size}, {@code demo --train} (through
 * {@code train --size small}) and a config file's {@code size} key ({@link ConfigResolver}, e.g.
 * {@code docs/configs/small25.yaml}) all read them here. {@link #SMALL} is the Quick start's size and
 * {@code demo --train}'s model, which learns the simulated data well above chance in minutes on two
 * CPU cores; {@link #REFERENCE} is the published
 * recipe ({@link TrainingConfig#defaults()}), hours per epoch on a CPU. A preset sits between the
 * defaults and the config file: a file, the environment or a flag can change any of its values.
 *
 * <pre>{@code
 * Map<String, String> small = TrainingSize.SMALL.preset(64);   // key → value for 64-line scans
 * TrainingConfig c = ConfigResolver.resolve(small, null, Map.of(), Map.of());
 * }</pre>
 *
 * <p>Internal: public for the command line; not part of the library's API.
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public enum TrainingSize {
    /** d_model 64, 2 layers, 4 heads, FFN 128, lr 1e-3 after 1 warm-up epoch, 25 epochs, samples of 8 lines and up. */
    SMALL,
    /** The defaults: d_model 256, 6 layers, 8 heads, FFN 1024, lr 1e-4 after 5 warm-up epochs, 100 epochs. */
    REFERENCE;

    /** @return the name used on the command line and in config files */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text small, reference or auto (case-insensitive)
     * @return the size, or null for auto
     */
    public static TrainingSize parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "small" -> SMALL;
            case "reference" -> REFERENCE;
            case "auto" -> null;
            default -> throw new BadConfigException("--size must be small, reference or auto, found '" + text + "'");
        };
    }

    /**
     * @param data the dataset the run trains on
     * @return config key → value, applied over the defaults
     */
    public Map<String, String> preset(ScanDataset data) {
        return preset(data.lines());
    }

    /**
     * @param lines lines per training scan: the small model reads as many lines as its scans have
     *        (up to the reference 128), so it trains every position it will be asked for
     * @return config key → value, applied over the defaults
     */
    public Map<String, String> preset(int lines) {
        Map<String, String> p = new LinkedHashMap<>();
        if (this == SMALL) {
            p.put("dModel", "64");
            p.put("numHeads", "4");
            p.put("numLayers", "2");
            p.put("ffnDim", "128");
            p.put("lstmHidden", "64");
            p.put("learningRate", "1e-3");
            p.put("warmupEpochs", "1");
            p.put("epochs", "25");
            p.put("earlyStoppingPatience", "0");
            int maxLines = Math.min(lines, TrainingConfig.defaults().maxLines());
            p.put("minLines", Integer.toString(Math.min(8, maxLines)));
            p.put("maxLines", Integer.toString(maxLines));
            p.put("windowLines", Integer.toString(Math.min(TrainingConfig.defaults().windowLines(), maxLines)));
        }
        return p;
    }

    /**
     * @return config key → the preset's value as the help text shows it (data-dependent values
     *     described in words)
     */
    public Map<String, String> hints() {
        Map<String, String> h = new LinkedHashMap<>();
        if (this == SMALL) {
            h.putAll(preset(Integer.MAX_VALUE));
            h.put("maxLines", "the data's lines, up to " + TrainingConfig.defaults().maxLines());
            h.put("minLines", "8");
            h.remove("windowLines");
        }
        return h;
    }

    /** @return how the chosen config reads in one line */
    public static String summary(TrainingConfig c) {
        String model = switch (c.architecture()) {
            case LRCN -> String.format(Locale.ROOT, "LSTM %d, window %d", c.lstmHidden(), c.windowLines());
            default -> String.format(Locale.ROOT, "d_model %d, %d layers, %d heads, FFN %d", c.dModel(), c.numLayers(),
                    c.numHeads(), c.ffnDim());
        };
        return String.format(Locale.ROOT, "%s, %s, %d–%d lines, lr %.0e, batch %d, %d %s", c.architecture().id(),
                model, c.minLines(), c.maxLines(), c.learningRate(), c.batchSize(), c.epochs(),
                c.epochs() == 1 ? "epoch" : "epochs");
    }
}
