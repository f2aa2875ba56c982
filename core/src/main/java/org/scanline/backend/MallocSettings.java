package org.scanline.backend;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The glibc allocator settings that training on libtorch's CPU engine wants, and the advice to set
 * them when they are missing.
 *
 * <p>libtorch allocates every tensor with {@code malloc}. Under glibc's defaults a block above 32 MB,
 * or any large block from a thread's own arena (DJL's calling thread, the autograd engine's), is
 * {@code mmap}ed and handed back to the kernel when freed, so each large activation of every step is
 * page-faulted and zeroed anew. The LRCN's window convolutions make several of 160–340 MB per step,
 * and with their faults its step took twice as long (docs/benchmarks.md). One arena that never maps
 * nor trims keeps the freed memory for the next step. glibc reads these variables when the process
 * starts, so the {@code scanline} launcher exports them and a program that embeds training sets them
 * in its own launcher.
 *
 * <p>Internal: public for {@code scanline bench-train}; not part of the library's API.
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public final class MallocSettings {
    /** Variable → value, in the order the {@code scanline} launcher exports them. */
    public static final Map<String, String> RECOMMENDED = recommended();

    private static final Logger LOG = LoggerFactory.getLogger(MallocSettings.class);
    private static boolean advised;

    private MallocSettings() {
    }

    private static Map<String, String> recommended() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("MALLOC_ARENA_MAX", "1");
        m.put("MALLOC_MMAP_MAX_", "0");
        m.put("MALLOC_TRIM_THRESHOLD_", "68719476736");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * @param env the process environment
     * @param osName {@code os.name}
     * @return the advice to log, or empty where it does not apply (not Linux) or every variable is set
     *         (to any value: the user's choice stands)
     */
    public static Optional<String> advice(Map<String, String> env, String osName) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.empty();
        }
        if (RECOMMENDED.keySet().stream().allMatch(env::containsKey)) {
            return Optional.empty();
        }
        return Optional.of("glibc hands libtorch's large freed tensors back to the kernel, so every training step "
                + "page-faults them in again (an LRCN step takes twice as long); start the JVM with "
                + exportLine() + " (the scanline launcher does; docs/training.md, \"Memory allocator\")");
    }

    /**
     * @param env the process environment
     * @return how this process's allocator is set, for a benchmark's header
     */
    public static String describe(Map<String, String> env) {
        String set = RECOMMENDED.keySet().stream().filter(env::containsKey).map(k -> k + "=" + env.get(k))
                .collect(Collectors.joining(" "));
        return set.isEmpty() ? "glibc defaults" : set;
    }

    /** @return the shell assignments of {@link #RECOMMENDED} */
    public static String exportLine() {
        return RECOMMENDED.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** Logs {@link #advice} once per process, at INFO. */
    static synchronized void adviseOnce() {
        if (!advised) {
            advised = true;
            advice(System.getenv(), System.getProperty("os.name", "")).ifPresent(LOG::info);
        }
    }
}
