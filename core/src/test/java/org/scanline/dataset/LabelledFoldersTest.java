package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;
import org.scanline.sxm.SxmScan;
import org.scanline.sxm.TraceDirection;

class LabelledFoldersTest {
    @TempDir
    Path dir;

    private void sxm(String name, int pixels, int lines) throws IOException {
        SxmFiles.write(dir.resolve(name), pixels, lines, "down", true, 4, lines);
    }

    private void csv(String... rows) throws IOException {
        Files.writeString(dir.resolve("labels.csv"), "file,label\n" + String.join("\n", rows) + "\n");
    }

    @Test
    void classNamesAndChosenChannel() throws IOException {
        sxm("a.sxm", 3, 2);
        sxm("b.sxm", 3, 2);
        csv("a.sxm,rows", "b.sxm,Individual Atoms");
        ScanDataset ds = Datasets.read(dir);
        assertEquals(ScanArrays.REFERENCE_CLASSES, ds.classNames());
        assertArrayEquals(new int[] {2, 0}, ds.labels());
        assertEquals(SxmFiles.stored(0, 1, 2), ds.scan(1)[1][2]);
        ScanDataset current = Datasets.read(dir, ReadOptions.defaults().withChannel("Current")
                .withDirection(TraceDirection.BACKWARD));
        assertEquals(SxmFiles.stored(3, 1, 0), current.scan(0)[1][2]);
    }

    @Test
    void integerAndOtherNames() throws IOException {
        sxm("a.sxm", 3, 2);
        sxm("b.sxm", 3, 2);
        sxm("c.sxm", 3, 2);
        csv("a.sxm,2", "b.sxm,0", "\"c.sxm\",1");
        ScanDataset ds = Datasets.read(dir);
        assertEquals(List.of("class_0", "class_1", "class_2"), ds.classNames());
        assertArrayEquals(new int[] {2, 0, 1}, ds.labels());
        csv("a.sxm,sharp", "b.sxm,blunt", "c.sxm,sharp");
        ScanDataset named = Datasets.read(dir);
        assertEquals(List.of("blunt", "sharp"), named.classNames());
        assertArrayEquals(new int[] {1, 0, 1}, named.labels());
    }

    @Test
    void differentSizesNameTheFile() throws IOException {
        sxm("a.sxm", 3, 2);
        sxm("wide.sxm", 4, 2);
        csv("a.sxm,0", "wide.sxm,1");
        BadDataException e = assertThrows(BadDataException.class, () -> Datasets.read(dir));
        assertTrue(e.getMessage().contains("wide.sxm") && e.getMessage().contains("2 × 4"), e.getMessage());
    }

    @Test
    void badCsvRows() throws IOException {
        sxm("a.sxm", 3, 2);
        csv("missing.sxm,0");
        assertTrue(assertThrows(BadDataException.class, () -> Datasets.read(dir)).getMessage().contains("missing.sxm"));
        csv("a.sxm,-1");
        assertTrue(assertThrows(BadDataException.class, () -> Datasets.read(dir)).getMessage().contains("line 2"));
        csv("a.sxm,0", "a.sxm,1");
        assertTrue(assertThrows(BadDataException.class, () -> Datasets.read(dir)).getMessage().contains("twice"));
        csv();
        assertTrue(assertThrows(BadDataException.class, () -> Datasets.read(dir)).getMessage().contains("empty"));
        Files.writeString(dir.resolve("labels.csv"), "name;class\na.sxm;0\n");
        assertTrue(assertThrows(BadDataException.class, () -> Datasets.read(dir)).getMessage().contains("header"));
    }

    @Test
    void realScansAsACollection() throws IOException {
        var shared = TestFiles.sxmDir();
        Assumptions.assumeTrue(shared.isPresent(), "shared/data/sxm is not beside this checkout");
        Path d = dir.resolve("real");
        Files.createDirectories(d);
        Files.writeString(d.resolve("labels.csv"), "file,label\n"
                + shared.get().resolve("Si_7x7_028.sxm") + ",0\n" + shared.get().resolve("Si_7x7_032.sxm") + ",1\n");
        ScanDataset ds = Datasets.read(d);
        assertEquals(2, ds.count());
        assertEquals(256, ds.lines());
        float[][] z = SxmScan.read(shared.get().resolve("Si_7x7_032.sxm")).trace("Z", TraceDirection.FORWARD);
        assertArrayEquals(z[100], ds.scan(1)[100]);
    }
}
