package org.scanline.dataset;

import org.scanline.sxm.SxmScan;
import org.scanline.sxm.SxmChannel;
import org.scanline.sxm.TraceDirection;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzes the Nanonis {@code .sxm} reader (text header, marker, big- and little-endian traces) from a
 * small synthetic scan: header parsing, every channel's traces in both directions and the acquired
 * line count.
 */
@Tag("fuzz")
class SxmFuzzTest {
    @FuzzTest(maxDuration = "4s")
    void sxm(byte[] data) throws Exception {
        Path f = FuzzFiles.write("fuzz.sxm", data);
        FuzzFiles.expectClean(() -> {
            SxmScan scan = SxmScan.read(f);
            for (SxmChannel c : scan.channels()) {
                for (TraceDirection d : TraceDirection.values()) {
                    FuzzFiles.expectClean(() -> scan.acquiredLines(c.name(), d));
                    FuzzFiles.expectClean(() -> scan.topDown(c.name(), d));
                }
            }
        });
        FuzzFiles.expectClean(() -> Datasets.load(f));
    }
}
