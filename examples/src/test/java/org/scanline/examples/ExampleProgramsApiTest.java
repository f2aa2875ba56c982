package org.scanline.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;
import org.scanline.dataset.Datasets;
import org.scanline.run.Provenance;

/** The example programs show users how to use the library, so they call nothing marked internal. */
class ExampleProgramsApiTest {
    /** The examples module's own classes (its output folder), not the whole classpath. */
    private static final JavaClasses EXAMPLES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importUrl(MicroscopeExample.class.getProtectionDomain().getCodeSource().getLocation());

    /** A class whose top-level class is {@code @API(status = INTERNAL)}: nested types are not annotated. */
    private static final DescribedPredicate<JavaClass> INTERNAL =
            DescribedPredicate.describe("are annotated @API(status = INTERNAL)", c -> {
                JavaClass top = c;
                while (top.getEnclosingClass().isPresent()) {
                    top = top.getEnclosingClass().get();
                }
                return top.tryGetAnnotationOfType(API.class)
                        .map(a -> a.status() == API.Status.INTERNAL).orElse(false);
            });

    @Test
    void importedTheExamplesAndRecogniseInternalClasses() {
        // Guards the rule below against passing on an empty import or an annotation it cannot read.
        assertTrue(EXAMPLES.contain(MicroscopeExample.class));
        JavaClasses core = new ClassFileImporter().importClasses(Provenance.class, Datasets.class);
        assertTrue(INTERNAL.test(core.get(Provenance.class)));
        assertFalse(INTERNAL.test(core.get(Datasets.class)));
    }

    @Test
    void exampleProgramsUseNoInternalClass() {
        noClasses().that().resideInAPackage("org.scanline.examples..")
                .should().dependOnClassesThat(INTERNAL)
                .because("internal classes are public only for scanline's own modules and may change without"
                        + " notice")
                .check(EXAMPLES);
    }
}
