package org.scanline.nanonis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The JSON-lines log of a watch session: one object per line, flushed at once, so the log is
 * complete up to the last decision even if the process dies. Every object has {@code type} and
 * {@code time} (ISO-8601, UTC); {@code type} is {@code line} for a classified line and the event's
 * name otherwise ({@code start}, {@code stop-scan}, {@code tip-shaper}, {@code restart-scan},
 * {@code restore}, {@code note}, {@code end}).
 */
final class DecisionLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final BufferedWriter out;

    private DecisionLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /**
     * @param file the log, appended to when it exists; null for no log
     * @return the log
     */
    static DecisionLog open(Path file) {
        if (file == null) {
            return new DecisionLog(null, null);
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new DecisionLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the decision log " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return a new record of this type, stamped with the current time */
    static ObjectNode record(String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("time", Instant.now().toString());
        return n;
    }

    /** @param record appended as one line */
    synchronized void write(ObjectNode record) {
        if (out == null) {
            return;
        }
        try {
            out.write(JSON.writeValueAsString(record));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the decision log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the decision log " + file + ": " + e.getMessage(), e);
        }
    }
}
