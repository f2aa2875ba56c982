package org.scanline.nanonis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * scanline-nanonis runs inside acquisition software: its classes use scanline-api, Jackson and
 * slf4j-api alone, and its runtime classpath as Maven resolves it holds nothing else — no training
 * stack, no command line, no logging binding.
 */
class NanonisDependenciesTest {
    /** Every jar the module may bring at run time, by file name. */
    private static final Pattern ALLOWED = Pattern.compile(
            "(scanline-api|classes|onnxruntime|jackson-(core|databind|annotations)|slf4j-api|apiguardian-api)[-.0-9A-Za-z]*(\\.jar)?");

    @Test
    void theClassesUseTheApiAlone() {
        JavaClasses imported = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importUrl(NanonisClient.class.getProtectionDomain().getCodeSource().getLocation());
        assertTrue(imported.contain(ScanWatcher.class) && imported.contain(SimulatedNanonis.class));
        classes().that().resideInAPackage("org.scanline.nanonis..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.scanline", "org.scanline.nanonis..",
                        "com.fasterxml.jackson..", "org.slf4j", "org.apiguardian..")
                .because("acquisition software embeds scanline-nanonis with scanline-api on its classpath")
                .check(imported);
    }

    @Test
    void theRuntimeClasspathHoldsNoTrainingStackNoCliNoLoggingBinding() throws IOException {
        Path file = Path.of("target", "runtime-classpath.txt");
        assertTrue(Files.exists(file), "the build writes " + file + " (maven-dependency-plugin, generate-test-resources)");
        List<String> jars = Arrays.stream(Files.readString(file).strip().split(java.io.File.pathSeparator))
                .filter(s -> !s.isBlank()).map(s -> Path.of(s).getFileName().toString()).toList();
        List<String> foreign = jars.stream().filter(j -> !ALLOWED.matcher(j).matches()).toList();
        assertEquals(List.of(), foreign, "jars on scanline-nanonis' runtime classpath beyond scanline-api's: " + jars);
        assertTrue(jars.stream().noneMatch(j -> j.contains("slf4j-simple") || j.contains("logback") || j.contains("picocli")
                || j.contains("djl") || j.contains("pytorch") || j.contains("scanline-core")), String.valueOf(jars));
    }
}
