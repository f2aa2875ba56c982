package org.scanline.export;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.scanline.run.Checkpoint;

/**
 * What {@link ModelExport#export(Path, ExportRequest)} makes of a run folder: the file to write,
 * which checkpoint, where the run's dataset is when not at the recorded path, whether to calibrate,
 * and the {@link ExportSettings}.
 *
 * <pre>{@code
 * ExportRequest r = ExportRequest.builder(Path.of("model.onnx"))
 *         .settings(ExportSettings.defaults().withInt8(true))
 *         .notes(System.err::println)
 *         .build();
 * ExportSummary s = ModelExport.export(Path.of("runs/20261125_051500"), r);
 * }</pre>
 *
 * @param out the {@code .onnx} file to write
 * @param checkpoint the run's checkpoint to export
 * @param data the run's dataset, or null for the path its {@code config.json} records
 * @param calibrate fit the temperature on the validation split (when its data is found)
 * @param settings weight type, graph style and int8 policy
 * @param notes receives one sentence for each choice the export made on its own (no data found:
 *        uncalibrated), as the CLI prints them
 */
@API(status = API.Status.EXPERIMENTAL)
public record ExportRequest(Path out, Checkpoint checkpoint, Path data, boolean calibrate, ExportSettings settings,
        Consumer<String> notes) {

    /** Checks the values. */
    public ExportRequest {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(notes, "notes");
    }

    /**
     * @param out the {@code .onnx} file to write
     * @return a builder with the defaults: best checkpoint, recorded dataset, calibrated, {@link ExportSettings#defaults()}
     */
    public static Builder builder(Path out) {
        return new Builder(out);
    }

    /** @return a builder holding this request's values */
    public Builder toBuilder() {
        return new Builder(out).checkpoint(checkpoint).data(data).calibrate(calibrate).settings(settings).notes(notes);
    }

    /** Builds an {@link ExportRequest}. */
    public static final class Builder {
        private final Path out;
        private Checkpoint checkpoint = Checkpoint.BEST;
        private Path data;
        private boolean calibrate = true;
        private ExportSettings settings = ExportSettings.defaults();
        private Consumer<String> notes = note -> { };

        private Builder(Path out) {
            this.out = out;
        }

        /** @param v best or last @return this */
        public Builder checkpoint(Checkpoint v) {
            checkpoint = v;
            return this;
        }

        /** @param v the run's dataset, or null for the recorded path @return this */
        public Builder data(Path v) {
            data = v;
            return this;
        }

        /** @param v fit the temperature on the validation split @return this */
        public Builder calibrate(boolean v) {
            calibrate = v;
            return this;
        }

        /** @param v weight type, graph style and int8 policy @return this */
        public Builder settings(ExportSettings v) {
            settings = v;
            return this;
        }

        /** @param v receives the export's notes (default: dropped) @return this */
        public Builder notes(Consumer<String> v) {
            notes = v;
            return this;
        }

        /** @return the request */
        public ExportRequest build() {
            return new ExportRequest(out, checkpoint, data, calibrate, settings, notes);
        }
    }
}
