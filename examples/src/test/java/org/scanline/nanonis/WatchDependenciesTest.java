package org.scanline.nanonis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The client and the watch loop run inside acquisition software with {@code scanline-api} alone
 * (and its Jackson): only the simulated server may use the simulator in {@code scanline-core}.
 */
class WatchDependenciesTest {

    @Test
    void onlyTheSimulatedServerNeedsScanlineCore() {
        JavaClasses imported = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("org.scanline.nanonis");
        classes().that().resideInAPackage("org.scanline.nanonis").and().haveNameNotMatching("org\\.scanline\\.nanonis\\.Simulated.*")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.scanline", "org.scanline.nanonis",
                        "com.fasterxml.jackson..", "org.apiguardian..")
                .because("acquisition software embeds NanonisClient and ScanWatcher with scanline-api on its classpath")
                .check(imported);
    }
}
