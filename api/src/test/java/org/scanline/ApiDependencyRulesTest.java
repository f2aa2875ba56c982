package org.scanline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * scanline-api is what microscope software embeds: it must not reach training or export libraries,
 * and its public types must not reach their implementation.
 */
class ApiDependencyRulesTest {
    /** The api module's own classes (its output folder), not the whole classpath. */
    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importUrl(ScanDataset.class.getProtectionDomain().getCodeSource().getLocation());

    @Test
    void importedTheApiClasses() {
        // Guards the rules below against passing on an empty import.
        org.junit.jupiter.api.Assertions.assertTrue(API.contain(ScanDataset.class) && API.contain(Normalizer.class));
    }

    @Test
    void apiNeverDependsOnDjlProtobufOrTribuo() {
        noClasses().that().resideInAPackage("org.scanline..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "com.google.protobuf..", "org.tribuo..")
                .because("scanline-api runs inference on ONNX Runtime alone")
                .check(API);
    }

    @Test
    void apiNeverDependsOnCorePackages() {
        noClasses().that().resideInAPackage("org.scanline..")
                .should().dependOnClassesThat().resideInAnyPackage("org.scanline.dataset..", "org.scanline.model..",
                        "org.scanline.backend..", "org.scanline.simulate..", "org.scanline.export..")
                .because("core depends on api, never the reverse")
                .check(API);
    }

    @Test
    void onlyTheRuntimePackageKnowsItsImplementation() {
        // ScanLineClassifier finds the runtime through the ClassifierRuntime SPI, so the public types
        // and the implementation form no cycle (issue 14).
        noClasses().that().resideOutsideOfPackage("org.scanline.runtime..")
                .should().dependOnClassesThat().resideInAPackage("org.scanline.runtime..")
                .because("the ONNX Runtime implementation is reached only through META-INF/services")
                .check(API);
    }
}
