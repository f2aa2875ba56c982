package org.scanline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** bench-runtime refuses combinations that would silently ignore an option. */
class BenchRuntimeCommandTest {

    @Test
    void theFloorIsItsOwnBenchmark() {
        CliRunner both = CliRunner.run("bench-runtime", "--floor", "--jmh");
        assertEquals(1, both.code(), both.err());
        assertTrue(both.err().contains("--jmh and --floor"), both.err());
        CliRunner files = CliRunner.run("bench-runtime", "--floor", "--files", "a.onnx,b.onnx");
        assertEquals(1, files.code(), files.err());
        assertTrue(files.err().contains("--files and --settings belong to the comparison"), files.err());
    }
}
