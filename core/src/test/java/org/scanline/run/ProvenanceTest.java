package org.scanline.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProvenanceTest {
    @Test
    void theVersionIsTheBuildsEvenWhenRunFromClasses() {
        // Tests run from target/classes, where neither pom.properties nor a manifest exists.
        String v = Provenance.libraryVersion();
        assertTrue(v.matches("\\d+\\.\\d+\\.\\d+.*"), v);
    }
}
