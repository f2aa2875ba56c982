package org.scanline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;
import org.scanline.dataset.Datasets;
import org.scanline.simulate.Simulator;

/**
 * Every public type of scanline-core says what it is: {@code @API(status = EXPERIMENTAL)} for what a
 * library user may call, {@code @API(status = INTERNAL)} for what is public only for scanline's own
 * modules. What needs neither is package-private.
 */
class CoreApiRulesTest {
    /** The core module's own classes (its output folder), not the whole classpath. */
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importUrl(Datasets.class.getProtectionDomain().getCodeSource().getLocation());

    @Test
    void importedTheCoreClasses() {
        // Guards the rule below against passing on an empty import.
        assertTrue(CORE.contain(Datasets.class) && CORE.contain(Simulator.class));
    }

    @Test
    void everyPublicTopLevelTypeCarriesApi() {
        classes().that().resideInAPackage("org.scanline..").and().arePublic().and().areTopLevelClasses()
                .should().beAnnotatedWith(API.class)
                .because("a public core type is either for library users (EXPERIMENTAL) or for scanline's own"
                        + " modules (INTERNAL); otherwise it should be package-private")
                .check(CORE);
    }
}
