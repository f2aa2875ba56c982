package org.scanline.runtime;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Tag;
import org.scanline.LineStream;
import org.scanline.ScanLineClassifier;
import org.scanline.ScanlineException;

/**
 * Fuzzes opening a model file: ONNX Runtime's parsing of the bytes, then the {@code scanline.*}
 * metadata contract (required keys, format version, architecture, classes JSON, numbers) and the
 * graph's inputs and outputs. Seed: a tiny causal model from the exporter. Every input opens (and
 * then streams a line) or is refused with a {@link ScanlineException}; anything else is a finding.
 */
@Tag("fuzz")
class OnnxModelFuzzTest {
    @FuzzTest(maxDuration = "4s")
    void onnxModel(byte[] data) {
        try (ScanLineClassifier c = ScanLineClassifier.open(new ByteArrayInputStream(data))) {
            try (LineStream s = c.newStream()) {
                s.push(new float[c.pixels()]);
            } catch (ScanlineException refused) {
                // a model that opens but cannot run its graph: refused, named
            }
        } catch (ScanlineException refused) {
            if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                throw new AssertionError("refusal without a message", refused);
            }
        }
    }
}
