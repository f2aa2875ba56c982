package org.scanline.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.scanline.BadConfigException;
import org.scanline.ModelFormat;
import org.scanline.export.ExportRequest;
import org.scanline.export.ExportSettings;
import org.scanline.export.GraphStyle;
import org.scanline.export.ModelExport;
import org.scanline.run.Checkpoint;
import org.scanline.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scanline export RUN_DIR --out model.onnx}: the run's best checkpoint as one ONNX file,
 * checked against DJL and calibrated on the run's validation split when its dataset is at hand.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a training run's checkpoint as one .onnx file, with a temperature fitted on the "
                + "validation split when the run's data is found.")
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run folder (runs/YYYYMMDD_HHMMSS...).")
    Path runDir;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "The .onnx file to write (required).")
    Path out;

    @Option(names = "--checkpoint", description = "best or last (default: ${DEFAULT-VALUE}).")
    String checkpoint = "best";

    @Option(names = "--data", paramLabel = "PATH",
            description = "The run's dataset, when not at the path its config.json records (default: that path).")
    Path data;

    @Option(names = "--no-calibrate", description = "Keep temperature 1 (default: ${DEFAULT-VALUE}: fit it on the validation split).")
    boolean noCalibrate;

    @Option(names = "--int8", description = "Store the transformer's weight matrices as int8, dynamic quantisation: "
            + "the recommended deployment, ~2× faster streaming; prints int8 against float32 accuracy on the "
            + "validation split (default: ${DEFAULT-VALUE}).")
    boolean int8;

    @Option(names = "--int8-max-drop", paramLabel = "POINTS", description = "With --int8: the largest accuracy drop "
            + "against float32 accepted, in percentage points (default: ${DEFAULT-VALUE}); past it the export refuses.")
    double int8MaxDrop = 100 * ExportSettings.DEFAULT_MAX_INT8_DROP;

    @Option(names = "--int8-warn-only", description = "With --int8: write the file with a warning instead of refusing "
            + "when the drop passes --int8-max-drop (default: ${DEFAULT-VALUE}).")
    boolean int8WarnOnly;

    @Option(names = "--format", description = "Model format: 5, fixed key/value buffers and the sampling the run "
            + "trained on when it knows it (a run on simulated frames; else the file says 4 or 3); 4 or 3 for runtimes "
            + "that read format 4 at most (the file says 4 only when the model has line differences); 2 for runtimes "
            + "that read format 2 at most (default: ${DEFAULT-VALUE}).")
    int format = ModelFormat.VERSION;

    @Override
    public Integer call() {
        Checkpoint which = switch (checkpoint.toLowerCase(java.util.Locale.ROOT)) {
            case "best" -> Checkpoint.BEST;
            case "last" -> Checkpoint.LAST;
            default -> throw new BadConfigException("--checkpoint must be best or last, found '" + checkpoint + "'");
        };
        GraphStyle style;
        try {
            style = GraphStyle.forFormat(format);
        } catch (BadConfigException e) {
            throw new BadConfigException("--format: " + e.getMessage(), e);
        }
        if (!GraphStyle.holdsLineDifference(format) && RunFolder.open(runDir).config().lineDifference()) {
            throw new BadConfigException(runDir + ": the model has line differences, which model format "
                    + ModelFormat.PREVIOUS_LINE_SINCE + " introduced: --format " + format + " cannot hold it");
        }
        ExportSettings settings = ExportSettings.defaults().withInt8(int8).withStyle(style)
                .withSampling(format >= ModelFormat.SAMPLING_SINCE).withInt8Drop(int8MaxDrop / 100, !int8WarnOnly);
        ExportRequest request = ExportRequest.builder(out).checkpoint(which).data(data).calibrate(!noCalibrate)
                .settings(settings).notes(System.err::println).build();
        System.out.println(ModelExport.export(runDir, request).describe());
        return 0;
    }
}
