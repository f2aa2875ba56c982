package org.scanline.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Pins the simulator's output bit for bit: a refactoring of {@link ScanGenerator} must not change one
 * pixel, label or parameter. The checksums were computed before ScanGenerator was split by concern;
 * change them only with a deliberate change of the simulation (and its {@code version}). Computed on
 * x86-64 with JDK 17; a platform whose {@code Math} functions round differently may need its own.
 */
class SimulatorChecksumTest {
    @Test
    void defaultConfigScansAreBitIdentical() throws Exception {
        SimulatorConfig cfg = SimulatorConfig.builder().lines(48).pixels(64).build();
        assertEquals("0a8122ef443b294c783139c72dae8a78665606feaa0400a9528e05e29882f87e",
                checksum(new Simulator(cfg).generate(11, 0, 60, 2, null)));
    }

    @Test
    void hardGordonScansAreBitIdentical() throws Exception {
        SimulatorConfig cfg = SimulatorConfig.builder().lines(40).pixels(48).difficulty(2).labelNoise(0.1)
                .asGordon(true).build();
        assertEquals("9c1fdc7e6f53aa65e02dfcce26d89d82cf4b8ceebf5d9c52e9140a0cccc90dce",
                checksum(new Simulator(cfg).generate(5, 1000, 40, 1, null)));
    }

    static String checksum(SimulatedDataset d) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ByteBuffer b = ByteBuffer.allocate(8);
        for (float v : d.dataset().images()) {
            md.update(b.clear().putInt(Float.floatToRawIntBits(v)).array(), 0, 4);
        }
        for (int v : d.labels()) {
            md.update(b.clear().putInt(v).array(), 0, 4);
        }
        for (int v : d.labelsTrue()) {
            md.update(b.clear().putInt(v).array(), 0, 4);
        }
        for (int v : d.changeLines()) {
            md.update(b.clear().putInt(v).array(), 0, 4);
        }
        md.update(d.lineStates());
        for (Parameter p : Parameter.values()) {
            for (double v : d.parameter(p)) {
                md.update(b.clear().putLong(Double.doubleToRawLongBits(v)).array(), 0, 8);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
