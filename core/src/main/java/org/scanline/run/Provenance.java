package org.scanline.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apiguardian.api.API;

/**
 * Where an artefact came from, as far as the library itself knows: its version. {@code config.json}
 * ({@code libraryVersion}), the ONNX metadata ({@code scanline.library_version}) and
 * {@code scanline --version} all read it here, so they cannot disagree.
 *
 * <pre>{@code
 * String v = Provenance.libraryVersion();   // "0.1.0-SNAPSHOT"
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
