package org.scanline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** scanline-api is what microscope software embeds: it must not reach training or export libraries. */
class ApiDependencyRulesTest {
    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("org.scanline");

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
                        "org.scanline.training..", "org.scanline.simulate..", "org.scanline.export..")
                .because("core depends on api, never the reverse")
                .check(API);
    }
}
