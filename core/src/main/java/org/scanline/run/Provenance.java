package org.scanline.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.apiguardian.api.API;
import org.scanline.BadDataException;
import org.scanline.ScanDataset;
import org.scanline.train.TrainingConfig;

/**
 * Where an artefact came from: the library's version, the hashes that identify a dataset, and the
 * {@code config.json} a run folder starts with. {@code config.json} ({@code libraryVersion}), the
 * ONNX metadata ({@code scanline.library_version}) and {@code scanline --version} all read the
 * version here, so they cannot disagree; training records and evaluation and export check the
 * content hash through the same {@link #contentSha256}.
 *
 * <pre>{@code
 * String v = Provenance.libraryVersion();   // "0.1.0-SNAPSHOT"
 * ObjectNode info = Provenance.ofDataset(config, "djl", data, Provenance.contentSha256(data));
 * }</pre>
 *
 * <p>Internal: public for training, the exporter and {@code scanline --version}; not part of the
 * library's API.
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public final class Provenance {
    /** What {@link #libraryVersion()} says when the build recorded no version (classes compiled outside Maven). */
    public static final String UNKNOWN_VERSION = "dev";

    private static final String VERSION = readVersion();

    private Provenance() {
    }

    /** @return the scanline version of this build, or {@value #UNKNOWN_VERSION} if the build recorded none */
    public static String libraryVersion() {
        return VERSION;
    }

    /**
     * The {@code config.json} of a run trained on a dataset file.
     *
     * @param config the resolved config ({@code dataPath} is hashed when it names a file)
     * @param backend the training backend's name
     * @param data the whole dataset
     * @param contentHash {@link #contentSha256} of {@code data}
     * @return format, versions, config, dataset, class names, normaliser and pixels
     */
    public static ObjectNode ofDataset(TrainingConfig config, String backend, ScanDataset data, String contentHash) {
        ObjectNode info = runInfo(config, backend);
        ObjectNode ds = info.putObject("dataset");
        ds.put("path", config.dataPath());
        ds.put("sha256", config.dataPath() == null ? null : fileSha256(Path.of(config.dataPath())));
        ds.put("contentSha256", contentHash);
        ds.put("source", data.source());
        ds.put("scans", data.count());
        ds.put("lines", data.lines());
        ds.put("pixels", data.pixels());
        return withClasses(info, config, data.classNames(), data.pixels());
    }

    /**
     * The {@code config.json} of a run trained on the simulator.
     *
     * @param config the resolved config, with its simulation
     * @param backend the training backend's name
     * @param simulatorVersion the simulator's version, which with the seeds names every scan
     * @param classNames the simulator's classes
     * @return format, versions, config, the simulated dataset, class names, normaliser and pixels
     */
    public static ObjectNode ofSimulation(TrainingConfig config, String backend, String simulatorVersion,
            List<String> classNames) {
        ObjectNode info = runInfo(config, backend);
        ObjectNode ds = info.putObject("dataset");
        ds.put("source", "simulator " + simulatorVersion + " seed=" + config.simulation().seed()
                + ", validation seed=" + config.simulation().validSeed());
        ds.put("lines", config.simulation().lines());
        ds.put("pixels", config.simulation().pixels());
        return withClasses(info, config, classNames, config.simulation().pixels());
    }

    /** What every run's {@code config.json} starts with: format, versions and the resolved config. */
    private static ObjectNode runInfo(TrainingConfig config, String backend) {
        ObjectNode info = JsonNodeFactory.instance.objectNode();
        info.put("format", RunFolder.FORMAT);
        info.put("libraryVersion", libraryVersion());
        info.put("backend", backend);
        try {
            info.set("config", RunFolder.JSON.readTree(config.toJson()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return info;
    }

    private static ObjectNode withClasses(ObjectNode info, TrainingConfig config, List<String> classNames, int pixels) {
        info.putPOJO("classNames", classNames);
        info.put("normalizer", config.normalizer().id());
        info.put("pixels", pixels);
        return info;
    }

    /**
     * @param file a file
     * @return SHA-256 of its bytes, or null if it is not a regular file
     * @throws BadDataException if it cannot be read
     */
    public static String fileSha256(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 20];
            while (in.read(buf) >= 0) {
                // reading feeds the digest
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new BadDataException(file + ": cannot hash: " + e.getMessage(), e);
        }
    }

    /**
     * SHA-256 over shape, class names, labels and pixels: identifies the data whatever file it came from.
     *
     * @param data a dataset
     * @return the hash training records in {@code config.json} ({@code dataset.contentSha256})
     */
    public static String contentSha256(ScanDataset data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((data.count() + "x" + data.lines() + "x" + data.pixels() + ":" + String.join("\u0000", data.classNames()))
                    .getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int l : data.labels()) {
                if (buf.remaining() < 4) {
                    flush(md, buf);
                }
                buf.putInt(l);
            }
            for (float f : data.images()) {
                if (buf.remaining() < 4) {
                    flush(md, buf);
                }
                buf.putFloat(f);
            }
            flush(md, buf);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void flush(MessageDigest md, ByteBuffer buf) {
        buf.flip();
        md.update(buf);
        buf.clear();
    }

    // The build writes the project version into this resource (filtering), so it is right from classes
    // as from a jar; neither pom.properties nor the manifest is there when tests run from target/classes.
    private static String readVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "").trim();
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            return UNKNOWN_VERSION;
        }
        return UNKNOWN_VERSION;
    }
}
