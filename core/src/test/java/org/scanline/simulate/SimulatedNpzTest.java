package org.scanline.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.ScanDataset;
import org.scanline.dataset.Datasets;
import org.scanline.dataset.NpyArray;
import org.scanline.dataset.NpzReader;

class SimulatedNpzTest {
    @TempDir
    Path dir;

    @Test
    void npzHoldsImagesTruthParametersAndVersion() throws Exception {
        SimulatorConfig cfg = SimulatorConfig.builder().lines(32).pixels(40).build();
        SimulatedDataset d = new Simulator(cfg).generate(9, 0, 50, 2, null);
        Path file = dir.resolve("sim.npz");
        d.writeNpz(file, false);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
        Map<String, NpyArray> a = NpzReader.readAll(file);
        assertArrayEquals(new long[] {50, 32, 40}, a.get("images").shape());
        assertArrayEquals(d.dataset().images(), a.get("images").floats());
        assertArrayEquals(d.labels(), a.get("labels").ints());
        assertArrayEquals(d.labelsTrue(), a.get("labels_true").ints());
        assertArrayEquals(new long[] {50, 32}, a.get("line_states").shape());
        assertArrayEquals(d.lineStates(), a.get("line_states").bytes());
        assertArrayEquals(d.changeLines(), a.get("change_line").ints());
        assertArrayEquals(SimulatorConfig.CLASS_NAMES.toArray(new String[0]), a.get("class_names").strings());
        for (Parameter p : Parameter.values()) {
            assertArrayEquals(d.parameter(p), a.get("param_" + p.key()).doubles(), p.key());
        }
        assertEquals("hsi100-v1", a.get("dataset_version").strings()[0]);
        assertEquals(9L, a.get("seed").getLong(0));
        // The generic dataset reader sees images, labels and class names.
        ScanDataset back = Datasets.read(file);
        assertEquals(50, back.count());
        assertArrayEquals(d.labels(), back.labels());
        assertTrue(back.classNames().contains("rows"));
    }
}
