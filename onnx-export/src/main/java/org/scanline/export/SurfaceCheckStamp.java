package org.scanline.export;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apiguardian.api.API;
import org.scanline.BadConfigException;
import org.scanline.ModelFormat;
import org.scanline.io.AtomicOutput;
import org.scanline.runtime.SurfaceCheck;

/**
 * Writes a copy of an exported model with a surface check ({@value ModelFormat#KEY_SURFACE}) in its
 * metadata, replacing any it had: the check is fitted after export ({@code scanline calibrate-surface})
 * and does not change the graph. Only files of format {@value ModelFormat#SAMPLING_SINCE} or newer may
 * carry it.
 *
 * <pre>{@code
 * SurfaceCheckStamp.write(Path.of("model.onnx"), check, Path.of("model-checked.onnx"));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class SurfaceCheckStamp {
    private SurfaceCheckStamp() {
    }

    /**
     * @param model an exported model
     * @param check the check to store
     * @param out the copy to write (may be {@code model} itself; written atomically)
     * @throws BadConfigException if the model's format is older than {@value ModelFormat#SAMPLING_SINCE}
     */
    public static void write(Path model, SurfaceCheck check, Path out) {
        OnnxMl.ModelProto proto;
        try (InputStream in = Files.newInputStream(model)) {
            proto = OnnxMl.ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + model + ": " + e.getMessage(), e);
        }
        OnnxMl.ModelProto.Builder b = proto.toBuilder().clearMetadataProps();
        int format = -1;
        for (OnnxMl.StringStringEntryProto e : proto.getMetadataPropsList()) {
            if (e.getKey().equals(ModelFormat.KEY_FORMAT)) {
                format = Integer.parseInt(e.getValue().strip());
            }
            if (!e.getKey().equals(ModelFormat.KEY_SURFACE)) {
                b.addMetadataProps(e);
            }
        }
        if (format < ModelFormat.SAMPLING_SINCE) {
            throw new BadConfigException(model + ": model format " + format + " cannot hold " + ModelFormat.KEY_SURFACE
                    + "; export it with --format " + ModelFormat.SAMPLING_SINCE + " or newer first");
        }
        b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(ModelFormat.KEY_SURFACE)
                .setValue(check.toJson()));
        OnnxMl.ModelProto stamped = b.build();
        AtomicOutput.write(out, stamped::writeTo);
    }
}
