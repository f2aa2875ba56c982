package org.scanline.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.scanline.BadDataException;

/**
 * Resource limits of the readers: inputs that announce more than they hold (absurd shapes, zip bombs,
 * corrupt HDF5 lengths, huge labels) are refused with a {@link BadDataException} naming the file,
 * and the refusal allocates little — measured with the thread's allocation counter, not assumed.
 * Also the regressions of what the fuzzers found.
 */
class ReaderLimitsTest {
    /** What refusing a corrupt file of a few KiB may allocate at most. */
    private static final long REFUSAL_BYTES = 32L << 20;

    @TempDir
    Path dir;

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Runs a read that must be refused: the message names the file and the read allocates little. */
    private static BadDataException refusedCheaply(Path file, Executable read, String fragment) {
        long before = allocated();
        BadDataException e = assertThrows(BadDataException.class, read);
        long used = allocated() - before;
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        assertTrue(used < REFUSAL_BYTES, "refusing " + file + " allocated " + used + " bytes");
        return e;
    }

    private static byte[] npy(String descr, String shape, int dataBytes) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        StringBuilder h = new StringBuilder(dict);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length()).put(h.toString().getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    @Test
    void npyHeaderClaimingGigabytesIsRefusedBeforeAllocating() throws IOException {
        Path f = Files.write(dir.resolve("big.npy"), npy("<f4", "(100000, 128, 128)", 16));
        refusedCheaply(f, () -> Npy.read(f), "bytes");
    }

    @Test
    void npyNegativeAndAbsurdDimensionsAreRefused() throws IOException {
        Path neg = Files.write(dir.resolve("neg.npy"), npy("<f4", "(-1, 4)", 16));
        refusedCheaply(neg, () -> Npy.read(neg), "");
        Path huge = Files.write(dir.resolve("huge.npy"), npy("<f4", "(9223372036854775807, 9223372036854775807)", 16));
        refusedCheaply(huge, () -> Npy.read(huge), "");
    }

    @Test
    void zipBombDeclaringHugeEntryIsRefusedFromTheDirectory() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buf)) {
            zip.putNextEntry(new ZipEntry("images.npy"));
            zip.write(npy("<f4", "(2, 2, 2)", 32));
            zip.closeEntry();
        }
        byte[] bytes = buf.toByteArray();
        // Patch the central directory's uncompressed size (offset 24 of its record) to 2 GB.
        for (int i = bytes.length - 46; i >= 0; i--) {
            if (bytes[i] == 0x50 && bytes[i + 1] == 0x4b && bytes[i + 2] == 0x01 && bytes[i + 3] == 0x02) {
                ByteBuffer.wrap(bytes, i + 24, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7ffffff0);
                break;
            }
        }
        Path f = Files.write(dir.resolve("bomb.npz"), bytes);
        refusedCheaply(f, () -> NpzReader.readAll(f), "zip bomb");
    }

    /**
     * An npz of {@code scans} × 1024 × 256 float32 images (1 MiB each) and as many labels, whose zip
     * directory declares the full size from a thousandth of it in deflate's stored blocks: within
     * deflate's 1032:1 bound, so only the array's own declared size can refuse it. The bytes after the
     * header are zeros, never inflated.
     */
    private Path declaringImagesOf(long scans) throws IOException {
        long declared = scans << 20;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buf)) {
            zip.setLevel(0);
            zip.putNextEntry(new ZipEntry("images.npy"));
            zip.write(npy("<f4", "(" + scans + ", 1024, 256)", (int) (declared / 1000)));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("labels.npy"));
            zip.write(npy("<i4", "(" + scans + ",)", (int) scans * 4));
            zip.closeEntry();
        }
        byte[] bytes = buf.toByteArray();
        int header = npy("<f4", "(" + scans + ", 1024, 256)", 0).length;
        // The images' central-directory record comes first; its uncompressed size is at offset 24.
        for (int i = 0; i < bytes.length - 46; i++) {
            if (bytes[i] == 0x50 && bytes[i + 1] == 0x4b && bytes[i + 2] == 0x01 && bytes[i + 3] == 0x02) {
                ByteBuffer.wrap(bytes, i + 24, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (declared + header));
                break;
            }
        }
        return Files.write(dir.resolve("declares-" + scans + "-mib.npz"), bytes);
    }

    /**
     * The issue-11 zip bomb: an array that fits under -Xmx but not in the heap still free is refused
     * from its header, in well under a second, instead of being inflated into an OutOfMemoryError.
     */
    @Test
    void anArrayLargerThanTheFreeHeapIsRefusedBeforeInflating() throws IOException {
        long max = Runtime.getRuntime().maxMemory();
        // Just under -Xmx (so a check against -Xmx alone lets it through), within a 32-bit zip size.
        long declared = Math.min(max - (64L << 20), 3584L << 20) >> 20 << 20;
        Path f = declaringImagesOf(declared >> 20);
        // Hold a little more of the heap than -Xmx leaves beside the array, so that it cannot fit.
        java.util.List<byte[]> hog = new java.util.ArrayList<>();
        for (long left = max - declared + (128L << 20); left > 0; left -= 1 << 30) {
            hog.add(new byte[(int) Math.min(left, 1 << 30)]);
        }
        long start = System.nanoTime();
        BadDataException e = refusedCheaply(f, () -> Datasets.read(f), "the heap still free");
        assertTrue(e.getMessage().contains(f + "[images]") && e.getMessage().contains("limit of "), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "refused in " + (System.nanoTime() - start) / 1e9 + " s");
        assertTrue(hog.size() > 0);
    }

    @Test
    void theCallerSetsTheArrayLimit() throws IOException {
        Path f = dir.resolve("small.npz");
        NpzWriter.write(f, Map.of("images", NpyArray.of(new float[4 * 16 * 16], 4, 16, 16),
                "labels", NpyArray.of(new int[] {0, 1, 0, 1}, 4)), true);
        BadDataException e = refusedCheaply(f, () -> Datasets.read(f, ReadOptions.defaults().withMaxArrayBytes(4095)),
                "limit of 4095 bytes");
        assertTrue(e.getMessage().contains(f + "[images]: declares (4, 16, 16) <f4 = 4096 bytes"), e.getMessage());
        assertEquals(4, Datasets.read(f, ReadOptions.defaults().withMaxArrayBytes(4096)).count());
        assertEquals(4, Datasets.read(f).count(), "the default, the free heap, is far above 4 KiB");
        try (NpzReader npz = NpzReader.open(f, 15)) {
            refusedCheaply(f, () -> npz.read("labels"), "limit of 15 bytes");
        }
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.defaults().withMaxArrayBytes(-1));
    }

    @Test
    void hugeLabelsAreRefusedNotTurnedIntoBillionsOfClassNames() throws IOException {
        Path npz = dir.resolve("labels.npz");
        NpzWriter.write(npz, Map.of("images", NpyArray.of(new float[8], 2, 2, 2),
                "labels", NpyArray.of(new int[] {0, Integer.MAX_VALUE}, 2)), false);
        refusedCheaply(npz, () -> Datasets.read(npz), "classes");

        Path folder = Files.createDirectories(dir.resolve("folder"));
        Npy.write(folder.resolve("a.npy"), NpyArray.of(new float[] {1, 2, 3, 4}, 2, 2));
        for (String label : new String[] {"2147483647", "99999999999"}) {
            Files.writeString(folder.resolve("labels.csv"), "file,label\na.npy," + label + "\n");
            refusedCheaply(folder.resolve("labels.csv"), () -> Datasets.read(folder), "65536");
        }
    }

    @Test
    void labelsCsvThatIsNotUtf8OrNamesAnInvalidPathIsRefused() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("folder"));
        Npy.write(folder.resolve("a.npy"), NpyArray.of(new float[] {1, 2, 3, 4}, 2, 2));
        Path csv = folder.resolve("labels.csv");
        // The fuzzer's first finding: a Latin-1 byte in a name was an UncheckedIOException.
        Files.write(csv, "file,label\na\u00e9.npy,0\n".getBytes(StandardCharsets.ISO_8859_1));
        refusedCheaply(csv, () -> Datasets.read(folder), "UTF-8");
        Files.writeString(csv, "file,label\na\u0000.npy,0\n");
        refusedCheaply(csv, () -> Datasets.read(folder), "not a valid path");
    }

    /**
     * jhdf reading through a file channel allocates whatever a corrupt object-header length announces
     * (up to 2 GB) before failing; read through a memory map it cannot. Every seeded corruption of the
     * MATLAB fixtures either reads or is refused, and no read allocates more than the bound.
     */
    @Test
    void corruptHdf5NeverAllocatesFromACorruptLength() throws IOException {
        for (String name : new String[] {"matlab_v73.mat", "plain_hdf5.mat"}) {
            byte[] good = Files.readAllBytes(TestFiles.fixture(name));
            Random random = new Random(name.hashCode() * 31L);
            long worst = 0;
            for (int trial = 0; trial < 150; trial++) {
                byte[] bad = good.clone();
                if (trial % 5 == 0) {
                    bad = Arrays.copyOf(good, random.nextInt(good.length));
                } else {
                    for (int k = 1 + random.nextInt(4); k > 0; k--) {
                        bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                    }
                }
                Path f = Files.write(dir.resolve("c" + trial + ".mat"), bad);
                long before = allocated();
                try {
                    Datasets.load(f);
                } catch (BadDataException expected) {
                    for (Throwable c = expected; c != null; c = c.getCause()) {
                        if (c instanceof OutOfMemoryError) {
                            fail("trial " + trial + " of " + name + " ran out of memory: " + expected.getMessage());
                        }
                    }
                }
                worst = Math.max(worst, allocated() - before);
            }
            assertTrue(worst < REFUSAL_BYTES, name + ": a corrupt read allocated " + worst + " bytes");
        }
    }
}
