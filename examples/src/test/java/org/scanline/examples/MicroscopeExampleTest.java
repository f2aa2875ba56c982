package org.scanline.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The embedding example must compile against {@code scanline-api} alone, as microscope software would. */
class MicroscopeExampleTest {

    @Test
    void theExampleUsesOnlyTheApiArtifact() {
        JavaClasses imported = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests()).importPackages("org.scanline.examples");
        classes().that().resideInAPackage("org.scanline.examples..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.scanline",
                        "org.scanline.examples..")
                .because("microscope software has only scanline-api (org.scanline) on its classpath")
                .check(imported);
    }
}
