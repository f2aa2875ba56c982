package org.scanline.model;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quiets libtorch's own warnings on stderr, which no Java logging configuration reaches: the
 * "AutoNonVariableTypeMode is deprecated" notice (DJL's {@code NDArray.set} uses that guard) and, on
 * CPUs NNPACK does not support, "Could not initialize NNPACK! Reason: Unsupported hardware". Both are
 * about the engine, not about the user's run.
 *
 * <p>libtorch reads {@code TORCH_CPP_LOG_LEVEL} only when PyTorch's Python module initialises it, so
 * the environment variable does nothing under DJL; we set the level it would have set, c10's
 * exported {@code FLAGS_caffe2_log_level}, through JNA (which DJL already ships). The user's
 * {@code TORCH_CPP_LOG_LEVEL} wins when set; otherwise only errors are printed.
 */
final class TorchLogging {
    private static final Logger LOG = LoggerFactory.getLogger(TorchLogging.class);
    private static final int ERROR = 2;
    private static boolean done;

    private TorchLogging() {
    }

    /** Sets the level once, after the engine has loaded libc10; harmless when the library is absent. */
    static synchronized void quiet() {
        if (done) {
            return;
        }
        done = true;
        int level = level(System.getenv("TORCH_CPP_LOG_LEVEL"));
        try {
            ai.djl.engine.Engine.getInstance();
            // libc10 is already loaded by DJL: the dynamic loader hands back that instance by its name.
            Pointer flag = NativeLibrary.getInstance("c10").getGlobalVariableAddress("FLAGS_caffe2_log_level");
            flag.setInt(0, level);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("cannot set libtorch's log level; its warnings stay on stderr", e);
        }
    }

    /** @return c10's level for a TORCH_CPP_LOG_LEVEL value (INFO 0 … FATAL 3), ERROR when unset or unknown */
    static int level(String env) {
        if (env == null) {
            return ERROR;
        }
        return switch (env.trim().toUpperCase(Locale.ROOT)) {
            case "INFO", "0" -> 0;
            case "WARNING", "1" -> 1;
            case "FATAL", "3" -> 3;
            default -> ERROR;
        };
    }
}
