package org.scanline.model;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One DJL {@link NDManager} for all the tests of a class, in every module's tests:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DjlManager MANAGER = new DjlManager();
 * ...
 * model.initialize(MANAGER.get());
 * }</pre>
 *
 * JUnit opens it before the class's {@code @BeforeAll} methods and closes it after its
 * {@code @AfterAll} methods, whether the tests passed, failed or were aborted and whether set-up
 * failed. Register it on a static field: on an instance field JUnit calls neither.
 */
public final class DjlManager implements BeforeAllCallback, AfterAllCallback {
    private NDManager manager;
    /** The class that opened the manager; a nested class's callbacks leave it alone. */
    private String owner;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (manager == null) {
            manager = NDManager.newBaseManager();
            owner = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (manager != null && context.getUniqueId().equals(owner)) {
            try {
                manager.close();
            } finally {
                manager = null;
                owner = null;
            }
        }
    }

    /** @return the manager, open while the test class runs */
    public NDManager get() {
        if (manager == null) {
            throw new IllegalStateException("a DjlManager is open only while its test class runs:"
                    + " register it with @RegisterExtension on a static field");
        }
        return manager;
    }
}
