package org.scanline.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.Architecture;
import org.scanline.BadDataException;
import org.scanline.LineResampler;
import org.scanline.LineStream;
import org.scanline.Prediction;
import org.scanline.ScanLineClassifier;

/** Scans as instruments write them (another width, unacquired NaN lines) through a real exported model. */
class RealScanInputTest {
    @TempDir
    Path dir;

    @Test
    void aPartialScanOfAnotherWidthIsClassifiedFromItsAcquiredLinesResampled() {
        int wide = TinyModels.P * 4;
        float[][] scan = TinyModels.scan(TinyModels.MAX, wide, 3);
        for (int l = 7; l < scan.length; l++) {
            Arrays.fill(scan[l], Float.NaN);          // stopped after 7 lines
        }
        scan[7][0] = 1f;                               // line 7 partly acquired: still not complete
        try (NDManager m = NDManager.newBaseManager()) {
            Path f = TinyModelFiles.export(m, Architecture.CAUSAL, dir.resolve("causal.onnx"));
            try (ScanLineClassifier c = ScanLineClassifier.open(f)) {
                Prediction p = c.classifyAcquired(scan);
                assertEquals(7, p.linesSeen());
                LineResampler r = LineResampler.of(wide, c.pixels());
                Prediction expected = c.classify(r.resample(Arrays.copyOf(scan, 7)));
                assertEquals(expected, p);
                try (LineStream s = r.wrap(c.newStream())) {
                    Prediction last = null;
                    for (int l = 0; l < 7; l++) {
                        last = s.push(scan[l]);
                    }
                    assertEquals(expected.classIndex(), last.classIndex());
                    assertTrue(TinyModels.maxAbsDiff(expected.probabilities(), last.probabilities()) < 1e-5);
                    BadDataException e = assertThrows(BadDataException.class, () -> s.push(new float[TinyModels.P]));
                    assertTrue(e.getMessage().contains("line 7 has 16 pixels; this resampler takes 64"), e.getMessage());
                    assertEquals(7, s.linesSeen(), "a refused line leaves the stream as it was");
                }
                float[][] none = TinyModels.scan(3, wide, 4);
                Arrays.fill(none[0], 0, wide / 2 + 1, Float.NaN);     // mostly NaN: not acquired
                assertTrue(assertThrows(BadDataException.class, () -> c.classifyAcquired(none)).getMessage()
                        .contains("no complete line"));
                // a longer scan is followed to its last line (issue 23), no longer refused
                float[][] tooLong = TinyModels.scan(TinyModels.MAX + 1, wide, 5);
                assertTrue(c.classifyAcquired(tooLong).linesSeen() <= TinyModels.MAX);
            }
        }
    }
}
