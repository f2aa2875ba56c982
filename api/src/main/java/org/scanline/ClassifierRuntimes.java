package org.scanline;

import java.util.ServiceLoader;
import org.scanline.spi.ClassifierRuntime;
import org.scanline.spi.Providers;

/** Finds the {@link ClassifierRuntime} once, at the first {@link ScanLineClassifier#open}. */
final class ClassifierRuntimes {
    /** Null until found; a failed lookup is not kept, so a fixed classpath is seen on the next call. */
    private static volatile ClassifierRuntime runtime;

    private ClassifierRuntimes() {
    }

    static ClassifierRuntime get() {
        ClassifierRuntime r = runtime;
        if (r == null) {
            // Threads racing here find the same runtime; keeping either is right.
            r = find();
            runtime = r;
        }
        return r;
    }

    private static ClassifierRuntime find() {
        // The context class loader sees runtimes an application adds; scanline-api's own loader is the
        // fallback for hosts (plug-in frameworks) whose context loader does not see scanline-api's jar.
        ServiceLoader<ClassifierRuntime> found = ServiceLoader.load(ClassifierRuntime.class);
        if (found.findFirst().isEmpty()) {
            found = ServiceLoader.load(ClassifierRuntime.class, ClassifierRuntime.class.getClassLoader());
        }
        return Providers.choose(found, ClassifierRuntime::name, "classifier runtime", ClassifierRuntime.RUNTIME_PROPERTY,
                System.getProperty(ClassifierRuntime.RUNTIME_PROPERTY),
                "no classifier runtime on the classpath: scanline-api lists its ONNX Runtime one in "
                        + "META-INF/services/" + ClassifierRuntime.class.getName()
                        + "; a shaded jar must merge service files");
    }
}
