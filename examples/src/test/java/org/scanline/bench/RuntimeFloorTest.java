package org.scanline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The floor table reads the medians and the products' share of each line and scan correctly. */
class RuntimeFloorTest {

    @Test
    void reportsMediansAndTheProductsShare() {
        long ms = 1_000_000;
        RuntimeFloor.Row fp32 = new RuntimeFloor.Row(false, new long[] {ms, ms, 9 * ms}, new long[] {ms / 2, ms / 2, ms},
                new long[] {20 * ms}, new long[] {5 * ms}, 1.0e9);
        assertEquals(1.0, fp32.lineMs(), 1e-9);
        assertEquals(0.5, fp32.lineProductsMs(), 1e-9);
        String table = RuntimeFloor.table(List.of(fp32));
        assertTrue(table.contains("| fp32 | 1.000 | 0.500 | 50 % | 20.00 | 5.00 | 25 % | 50.0 |"), table);
    }
}
