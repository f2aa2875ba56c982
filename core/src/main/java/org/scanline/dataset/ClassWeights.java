package org.scanline.dataset;

import java.util.List;
import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;

/**
 * Inverse-frequency class weights {@code N / (K · n_c)}: a class with the average share gets 1, a
 * rare class more, a common class less. With the reference shares 8.79 / 43.90 / 16.91 / 30.39 % they
 * are [2.845, 0.569, 1.478, 0.823].
 *
 * <pre>{@code
 * double[] w = ClassWeights.inverseFrequency(train);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ClassWeights {
    private ClassWeights() {
    }

    /**
     * @param dataset the (training) dataset
     * @return one weight per class
     * @throws BadDataException if a class has no scans (its weight would be infinite)
     */
    public static double[] inverseFrequency(ScanDataset dataset) {
        return inverseFrequency(dataset.classCounts(), dataset.classNames(), dataset.source());
    }

    /**
     * @param counts scans per class
     * @param classNames names for messages (may be empty)
     * @param source dataset name for messages
     * @return one weight per class
     * @throws BadDataException if a class has no scans
     */
    public static double[] inverseFrequency(int[] counts, List<String> classNames, String source) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        double[] w = new double[counts.length];
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] <= 0) {
                String name = k < classNames.size() ? " '" + classNames.get(k) + "'" : "";
                throw new BadDataException(source + ": class " + k + name + " has no scans, so its inverse-frequency "
                        + "weight is undefined; drop the class or provide scans of it");
            }
            w[k] = (double) total / ((double) counts.length * counts[k]);
        }
        return w;
    }
}
