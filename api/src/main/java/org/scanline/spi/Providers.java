package org.scanline.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apiguardian.api.API;
import org.scanline.BackendMissingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses one provider of a service interface, the same way for training backends and classifier
 * runtimes: the one a system property names, else the only one, else the first with a warning.
 * Internal to scanline-api.
 */
@API(status = API.Status.INTERNAL, consumers = "org.scanline.*")
public final class Providers {
    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    private Providers() {
    }

    /**
     * @param candidates what {@link java.util.ServiceLoader} found
     * @param name a provider's name
     * @param kind what a provider is, for messages ("training backend")
     * @param property the system property that picks one by name
     * @param wanted that property's value, or null
     * @param missing the message when there is none: which artifact to add
     * @param <T> the service interface
     * @return the chosen provider
     * @throws BackendMissingException if there is none, or none of the wanted name
     */
    public static <T> T choose(Iterable<T> candidates, Function<T, String> name, String kind, String property,
                               String wanted, String missing) {
        List<T> found = new ArrayList<>();
        candidates.forEach(found::add);
        if (found.isEmpty()) {
            throw new BackendMissingException(missing);
        }
        List<String> names = found.stream().map(name).toList();
        if (wanted != null && !wanted.isBlank()) {
            return found.stream().filter(p -> name.apply(p).equals(wanted.trim())).findFirst()
                    .orElseThrow(() -> new BackendMissingException(kind + " '" + wanted + "' (system property "
                            + property + ") is not on the classpath; found " + names));
        }
        if (found.size() > 1) {
            LOG.warn("several {}s found {}; using '{}'. Set -D{}=NAME to choose.", kind, names, names.get(0), property);
        }
        return found.get(0);
    }
}
