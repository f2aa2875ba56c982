package org.scanline.run;

import org.scanline.io.AtomicOutput;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.apiguardian.api.API;
import org.scanline.BadModelException;
import org.scanline.model.Weight;

/**
 * One checkpoint file: a JSON header (training state) and named float32 tensors, closed by a CRC-32
 * so that a damaged file is refused rather than half loaded. Written atomically.
 *
 * <pre>
 * "SCANLINE-CKPT" (UTF) · version (int) · header length (int) · header (UTF-8 JSON)
 * tensor count (int) · per tensor: name (UTF) · rank (int) · dims (long…) · values (float32, big-endian)
 * CRC-32 of everything before (long)
 * </pre>
 *
 * <p>Internal: public for the training loop and its resume; not part of the library's API.
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public final class CheckpointFile {
    /** The first string of every checkpoint file. */
    public static final String MAGIC = "SCANLINE-CKPT";
    /** The layout version this build writes and reads. */
    public static final int VERSION = 1;

    /** @param header JSON text @param tensors named tensors */
    public record Content(String header, Map<String, Weight> tensors) {
    }

    private CheckpointFile() {
    }

    /**
     * @param file where to write, atomically
     * @param header the training state as JSON text
     * @param tensors named tensors, written in their map order
     */
    public static void write(Path file, String header, Map<String, Weight> tensors) {
        AtomicOutput.write(file, raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
            DataOutputStream out = new DataOutputStream(checked);
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            byte[] h = header.getBytes(StandardCharsets.UTF_8);
            out.writeInt(h.length);
            out.write(h);
            out.writeInt(tensors.size());
            for (Map.Entry<String, Weight> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                long[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                float[] data = e.getValue().data();
                ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.BIG_ENDIAN);
                buf.asFloatBuffer().put(data);
                out.write(buf.array());
            }
            out.flush();
            new DataOutputStream(raw).writeLong(checked.getChecksum().getValue());
        });
    }

    /**
     * @param file a checkpoint file
     * @return its header and tensors
     * @throws BadModelException if it is missing, of another layout, truncated or fails its CRC
     */
    public static Content read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadModelException(file + ": checkpoint not found");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
            DataInputStream in = new DataInputStream(checked);
            String magic = in.readUTF();
            if (!MAGIC.equals(magic)) {
                throw new BadModelException(file + ": not a scanline checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new BadModelException(file + ": checkpoint version " + version + " is not supported (this build reads "
                        + VERSION + ")");
            }
            int hl = in.readInt();
            if (hl < 0 || hl > (1 << 28)) {
                throw new BadModelException(file + ": corrupt checkpoint header length " + hl);
            }
            String header = new String(in.readNBytes(hl), StandardCharsets.UTF_8);
            int count = in.readInt();
            Map<String, Weight> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 8) {
                    throw new BadModelException(file + ": corrupt rank " + rank + " of tensor '" + name + "'");
                }
                long[] shape = new long[rank];
                long n = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readLong();
                    n *= shape[d];
                }
                if (n < 0 || n > Integer.MAX_VALUE / 4) {
                    throw new BadModelException(file + ": corrupt shape of tensor '" + name + "'");
                }
                byte[] bytes = in.readNBytes((int) n * 4);
                if (bytes.length != n * 4) {
                    throw new EOFException();
                }
                float[] data = new float[(int) n];
                ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(data);
                tensors.put(name, new Weight(data, shape));
            }
            long expected = checked.getChecksum().getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected) {
                throw new BadModelException(file + ": checkpoint is damaged (checksum mismatch)");
            }
            return new Content(header, tensors);
        } catch (EOFException e) {
            throw new BadModelException(file + ": checkpoint is truncated", e);
        } catch (IOException e) {
            throw new BadModelException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
    }
}
