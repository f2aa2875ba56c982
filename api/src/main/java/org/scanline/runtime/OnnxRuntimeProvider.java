package org.scanline.runtime;

import java.io.InputStream;
import java.nio.file.Path;
import org.apiguardian.api.API;
import org.scanline.ScanLineClassifier;
import org.scanline.spi.ClassifierRuntime;

/**
 * The ONNX Runtime {@link ClassifierRuntime}, registered in scanline-api's
 * {@code META-INF/services}; public only because {@link java.util.ServiceLoader} instantiates it.
 * Use {@link ScanLineClassifier#open}.
 */
@API(status = API.Status.INTERNAL, consumers = "java.util.ServiceLoader")
public final class OnnxRuntimeProvider implements ClassifierRuntime {
    /** The name {@value} selects this runtime through {@link ClassifierRuntime#RUNTIME_PROPERTY}. */
    public static final String NAME = "onnxruntime";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ScanLineClassifier open(Path model, ScanLineClassifier.Options options) {
        return OnnxClassifier.open(model, options);
    }

    @Override
    public ScanLineClassifier open(InputStream model, ScanLineClassifier.Options options) {
        return OnnxClassifier.open(model, options);
    }
}
