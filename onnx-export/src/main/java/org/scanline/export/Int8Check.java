package org.scanline.export;

import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;
import org.scanline.metrics.ClassificationMetrics;

/**
 * int8 against float32 weights on the validation split, both run by ONNX Runtime on the same rows:
 * after every line from {@code minLines} on (the predictions a stream makes; four prefix lengths for
 * {@code vit}) and after the last line of each scan.
 *
 * @param predictions rows compared
 * @param fp32Accuracy float32 accuracy over those rows
 * @param int8Accuracy int8 accuracy over those rows
 * @param scans scans compared at their last line
 * @param fp32LastLineAccuracy float32 accuracy after the last line
 * @param int8LastLineAccuracy int8 accuracy after the last line
 * @param agreement fraction of rows where both predict the same class
 */
@API(status = API.Status.EXPERIMENTAL)
public record Int8Check(int predictions, double fp32Accuracy, double int8Accuracy, int scans, double fp32LastLineAccuracy,
        double int8LastLineAccuracy, double agreement) {

    /** @return the larger of the two accuracy drops (negative when int8 is better on both) */
    public double drop() {
        return Math.max(fp32Accuracy - int8Accuracy, fp32LastLineAccuracy - int8LastLineAccuracy);
    }

    /** @return one line, as the export prints it */
    public String describe() {
        return String.format(Locale.ROOT, "int8 vs float32 on the validation split: accuracy %.4f -> %.4f over %d "
                + "predictions, %.4f -> %.4f after the last line of %d scans; same class %.2f %%; drop %.2f points",
                fp32Accuracy, int8Accuracy, predictions, fp32LastLineAccuracy, int8LastLineAccuracy, scans,
                100 * agreement, 100 * drop());
    }

    /**
     * @param fp32 float32 logits per row
     * @param int8 int8 logits of the same rows
     * @param labels label per row
     * @param last whether each row is a scan's last line
     * @return the comparison
     */
    static Int8Check of(List<float[]> fp32, List<float[]> int8, List<Integer> labels, List<Boolean> last) {
        int n = labels.size();
        int ok32 = 0;
        int ok8 = 0;
        int same = 0;
        int scans = 0;
        int last32 = 0;
        int last8 = 0;
        for (int i = 0; i < n; i++) {
            int a = ClassificationMetrics.argmax(fp32.get(i), 0, fp32.get(i).length);
            int b = ClassificationMetrics.argmax(int8.get(i), 0, int8.get(i).length);
            int y = labels.get(i);
            ok32 += a == y ? 1 : 0;
            ok8 += b == y ? 1 : 0;
            same += a == b ? 1 : 0;
            if (last.get(i)) {
                scans++;
                last32 += a == y ? 1 : 0;
                last8 += b == y ? 1 : 0;
            }
        }
        return new Int8Check(n, ok32 / (double) n, ok8 / (double) n, scans, last32 / (double) Math.max(1, scans),
                last8 / (double) Math.max(1, scans), same / (double) n);
    }
}
