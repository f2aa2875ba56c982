package org.scanline.export;

import java.nio.file.Path;
import java.util.Locale;
import org.apiguardian.api.API;
import org.scanline.Architecture;
import org.scanline.ModelFormat;

/**
 * What an export did: where the file went, how big it is, the temperature written, the
 * calibration before and after (absent without validation data), and how far ONNX Runtime's
 * logits are from DJL's on the check inputs.
 *
 * @param output the written file
 * @param architecture the model's architecture
 * @param bytes file size
 * @param int8 whether the transformer's matrices are int8
 * @param temperature the temperature in the metadata
 * @param calibration the fit, or null when no validation data was given
 * @param maxAbsLogitDiff max |DJL − ONNX Runtime| over the check inputs
 * @param checkInputs how many inputs the check compared
 * @param int8Check int8 against float32 on the validation split, or null (float32, or no validation data)
 * @param maxInt8Drop the accuracy drop accepted before warning, as a fraction
 */
@API(status = API.Status.EXPERIMENTAL)
public record ExportSummary(Path output, Architecture architecture, long bytes, boolean int8, double temperature,
        Calibration.Result calibration, double maxAbsLogitDiff, int checkInputs, Int8Check int8Check,
        double maxInt8Drop) {

    /**
     * A summary without an int8 comparison (float32 weights, or no validation data).
     *
     * @param output the written file
     * @param architecture the model's architecture
     * @param bytes file size
     * @param int8 whether the transformer's matrices are int8
     * @param temperature the temperature in the metadata
     * @param calibration the fit, or null when no validation data was given
     * @param maxAbsLogitDiff max |DJL − ONNX Runtime| over the check inputs
     * @param checkInputs how many inputs the check compared
     */
    public ExportSummary(Path output, Architecture architecture, long bytes, boolean int8, double temperature,
            Calibration.Result calibration, double maxAbsLogitDiff, int checkInputs) {
        this(output, architecture, bytes, int8, temperature, calibration, maxAbsLogitDiff, checkInputs, null,
                ExportSettings.DEFAULT_MAX_INT8_DROP);
    }

    /** @return whether int8 weights were written although they lose more accuracy than accepted */
    public boolean int8DropTooLarge() {
        return int8Check != null && int8Check.drop() > maxInt8Drop;
    }

    /** @return a few human-readable lines, as the CLI prints them */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "wrote %s (%s, %.1f MB, %s weights)%n", output, architecture,
                bytes / 1e6, int8 ? ModelFormat.WEIGHTS_INT8 : ModelFormat.WEIGHTS_FLOAT32));
        s.append(String.format(Locale.ROOT, "ONNX Runtime vs DJL: max |logit diff| %.2e over %d inputs%n",
                maxAbsLogitDiff, checkInputs));
        if (calibration == null) {
            s.append("temperature 1 (no validation data: not calibrated)");
        } else {
            s.append(String.format(Locale.ROOT,
                    "temperature %.4f fitted on %d validation predictions: NLL %.4f -> %.4f, ECE(15 bins) %.4f -> %.4f",
                    temperature, calibration.samples(), calibration.nllBefore(), calibration.nllAfter(),
                    calibration.eceBefore(), calibration.eceAfter()));
            if (calibrationWorsenedEce()) {
                s.append(String.format(Locale.ROOT, "%nwarning: the temperature lowers the NLL it was fitted on but "
                        + "raises the expected calibration error (%.4f -> %.4f): its confidences are less reliable, not "
                        + "more. Export with --no-calibrate to keep temperature 1.",
                        calibration.eceBefore(), calibration.eceAfter()));
            }
        }
        if (int8) {
            s.append(System.lineSeparator());
            if (int8Check == null) {
                s.append("warning: int8 accuracy not checked (no validation data); compare with the float32 file before "
                        + "deploying");
            } else {
                s.append(int8Check.describe());
                if (int8DropTooLarge()) {
                    s.append(String.format(Locale.ROOT, "%nwarning: int8 loses more than the %.2f points accepted; "
                            + "prefer the float32 file", 100 * maxInt8Drop));
                }
            }
        }
        return s.toString();
    }

    /** @return true when a temperature was fitted and the ECE after it is higher than before */
    public boolean calibrationWorsenedEce() {
        return calibration != null && calibration.eceAfter() > calibration.eceBefore();
    }
}
