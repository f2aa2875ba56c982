package org.scanline.dataset;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Locates the committed fixtures and the real scans in {@code shared/data/sxm} (never copied into the repo). */
public final class TestFiles {
    private TestFiles() {
    }

    /**
     * @param name a file under {@code core/src/test/resources/fixtures}
     * @return its path
     */
    public static Path fixture(String name) {
        URL url = TestFiles.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Walks up from the working directory until a {@code shared/data/sxm} folder sits beside it.
     *
     * @return the folder of real Nanonis scans, if this checkout has one
     */
    public static Optional<Path> sxmDir() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data/sxm");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * @param name a file in {@code shared/data/sxm}
     * @return its path, if present
     */
    public static Optional<Path> sxm(String name) {
        return sxmDir().map(d -> d.resolve(name)).filter(Files::isRegularFile);
    }
}
