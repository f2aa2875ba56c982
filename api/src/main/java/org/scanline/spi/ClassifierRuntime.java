package org.scanline.spi;

import java.io.InputStream;
import java.nio.file.Path;
import org.apiguardian.api.API;
import org.scanline.ScanLineClassifier;

/**
 * An inference runtime that opens model files, found by {@link ScanLineClassifier#open} through
 * {@link java.util.ServiceLoader}: the public interface never names its implementation, so callers
 * depend on {@code ScanLineClassifier} alone and the implementation on the interface, never the
 * reverse. {@code scanline-api} ships the ONNX Runtime one and lists it in
 * {@code META-INF/services/org.scanline.spi.ClassifierRuntime} (a shaded jar must merge service
 * files). With several on the classpath, the system property {@value #RUNTIME_PROPERTY} picks one by
 * {@link #name()}.
 */
@API(status = API.Status.EXPERIMENTAL)
public interface ClassifierRuntime {

    /** System property naming the runtime to use when several are present. */
    String RUNTIME_PROPERTY = "scanline.runtime";

    /** @return short unique name, e.g. {@code onnxruntime} */
    String name();

    /**
     * Opens a model file; the contract of {@link ScanLineClassifier#open(Path, ScanLineClassifier.Options)}.
     *
     * @param model the file
     * @param options settings
     * @return the classifier; the caller closes it
     */
    ScanLineClassifier open(Path model, ScanLineClassifier.Options options);

    /**
     * Reads a model from a stream to its end without closing it; the contract of
     * {@link ScanLineClassifier#open(InputStream, ScanLineClassifier.Options)}.
     *
     * @param model the bytes of a model file
     * @param options settings
     * @return the classifier; the caller closes it
     */
    ScanLineClassifier open(InputStream model, ScanLineClassifier.Options options);
}
