package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The test output stays readable: jhdf's own {@code simplelogger.properties} would log every HDF5
 * structure it reads at INFO (about 8,300 lines a build); the tests' file keeps it to warnings.
 */
class TestLoggingTest {
    @Test
    void jhdfLogsOnlyWarningsInTheTests() {
        assertFalse(LoggerFactory.getLogger("io.jhdf.HdfFile").isInfoEnabled(), "jhdf INFO lines reach the test output");
        assertTrue(LoggerFactory.getLogger("io.jhdf.HdfFile").isWarnEnabled(), "jhdf's warnings must still show");
    }
}
