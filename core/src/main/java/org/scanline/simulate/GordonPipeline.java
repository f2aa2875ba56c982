package org.scanline.simulate;

/**
 * The preprocessing of the published Gordon et al. set: each line flattened (its least-squares
 * straight line removed), then the whole image min–max scaled to 8-bit grey levels 0–255, kept as
 * float values.
 */
final class GordonPipeline {
    private GordonPipeline() {
    }

    static void apply(float[] image, int lines, int pixels) {
        double xm = (pixels - 1) / 2.0;
        double sxx = 0;
        for (int j = 0; j < pixels; j++) {
            sxx += (j - xm) * (j - xm);
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int l = 0; l < lines; l++) {
            int b = l * pixels;
            double mean = 0;
            for (int j = 0; j < pixels; j++) {
                mean += image[b + j];
            }
            mean /= pixels;
            double sxy = 0;
            for (int j = 0; j < pixels; j++) {
                sxy += (j - xm) * (image[b + j] - mean);
            }
            double slope = sxy / sxx;
            for (int j = 0; j < pixels; j++) {
                float v = (float) (image[b + j] - mean - slope * (j - xm));
                image[b + j] = v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double range = max - min;
        double scale = range > 0 ? 255 / range : 0;
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) Math.rint((image[i] - min) * scale);
        }
    }
}
