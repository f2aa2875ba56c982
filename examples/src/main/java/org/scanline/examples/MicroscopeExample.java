package org.scanline.examples;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import org.scanline.LineStream;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;

/**
 * How acquisition software embeds scanline: open the model once, push each line as it arrives,
 * and act on the first confident prediction. The classification path uses {@code scanline-api}
 * alone; the fake microscope below stands in for the instrument's line callback.
 *
 * <pre>
 * java -cp ... org.scanline.examples.MicroscopeExample model.onnx
 * </pre>
 */
public final class MicroscopeExample {
    private MicroscopeExample() {
    }

    /**
     * @param args the path of an exported {@code .onnx} model
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: MicroscopeExample model.onnx");
            System.exit(2);
        }
        // Threads and spinning are left to the options' per-workload defaults (one thread for streams).
        ScanLineClassifier.Options options = ScanLineClassifier.Options.builder()
                .confidenceThreshold(0.8)
                .build();
        try (ScanLineClassifier classifier = ScanLineClassifier.open(Path.of(args[0]), options)) {
            FakeMicroscope microscope = new FakeMicroscope(classifier.pixels(), classifier.info().maxLines());
            try (LineStream stream = classifier.newStream()) {
                Iterator<float[]> lines = microscope.startScan();
                while (lines.hasNext()) {
                    Prediction p = stream.push(lines.next());
                    if (!p.uncertain()) {
                        System.out.printf("after %d lines: %s (p = %.2f)%n", p.linesSeen(), p.className(), p.confidence());
                        if (p.classIndex() != 0) {
                            microscope.abortAndConditionTip();
                        }
                        break;
                    }
                }
                if (stream.linesSeen() == microscope.lines) {
                    System.out.println("scan finished without a confident prediction");
                }
            }
        }
    }

    /** Stands in for the instrument: lines of a tilted, noisy surface, one per call. */
    static final class FakeMicroscope {
        private final int pixels;
        private final int lines;
        private final Random random = new Random(7);

        FakeMicroscope(int pixels, int lines) {
            this.pixels = pixels;
            this.lines = lines;
        }

        Iterator<float[]> startScan() {
            return new Iterator<>() {
                private int line;

                @Override
                public boolean hasNext() {
                    return line < lines;
                }

                @Override
                public float[] next() {
                    float[] z = new float[pixels];
                    for (int p = 0; p < pixels; p++) {
                        z[p] = (float) (1e-10 * (p + 0.5 * line) + 2e-11 * random.nextGaussian()
                                + 3e-11 * Math.sin(p / 3.0));
                    }
                    line++;
                    return z;
                }
            };
        }

        void abortAndConditionTip() {
            System.out.println("tip needs conditioning: aborting the scan and pulsing the tip");
        }
    }
}
