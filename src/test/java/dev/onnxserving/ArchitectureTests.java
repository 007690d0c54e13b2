package dev.onnxserving;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The package rules of the production code, checked on its compiled classes. */
class ArchitectureTests {

    private static final String ROOT = "dev.onnxserving";
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages(ROOT);

    /** What the core types and the built-in processors must never reach: adapters, model handling, natives. */
    private static final String[] OUTSIDE_THE_CORE = {
        ROOT + ".web..",
        ROOT + ".management..",
        ROOT + ".repository..",
        ROOT + ".registry..",
        ROOT + ".deployment..",
        ROOT + ".loading..",
        ROOT + ".watching..",
        ROOT + ".inference..",
        ROOT + ".batching..",
        ROOT + ".runtime..",
        ROOT + ".observability..",
        ROOT + ".kafka..",
        ROOT + ".protocol..",
        "org.springframework.web..",
        "org.springframework.http..",
        "jakarta.servlet..",
        "ai.onnxruntime.."
    };

    @Test
    void onnxRuntimeIsUsedOnlyInRuntime() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".runtime..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("ai.onnxruntime..")
                .because("ONNX Runtime types stay behind pipeline.InferenceSession")
                .check(PRODUCTION);
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(PRODUCTION);
    }

    @Test
    void processorsDependOnlyOnTheCore() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".processors..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(OUTSIDE_THE_CORE)
                .because("processors are testable without a web server, a model repository or native code")
                .check(PRODUCTION);
    }

    @Test
    void pipelineDependsOnNoOtherPackageOfTheService() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".pipeline..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(OUTSIDE_THE_CORE)
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".processors..")
                .because("pipeline holds the core types every other package builds on")
                .check(PRODUCTION);
    }

    @Test
    void webNeverReachesIntoRuntime() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".web..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".runtime..")
                .because("the HTTP adapters see sessions only through pipeline.InferenceSession")
                .check(PRODUCTION);
    }

    @Test
    void kafkaNeverReachesIntoRuntimeOrTheHttpAdapters() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".kafka..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".runtime..", ROOT + ".web..", "jakarta.servlet..")
                .because("the Kafka adapter, like web, sees sessions only through inference.InferenceService")
                .check(PRODUCTION);
    }

    @Test
    void theSharedProtocolBodiesBelongToNoAdapter() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".protocol..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        ROOT + ".web..",
                        ROOT + ".kafka..",
                        ROOT + ".runtime..",
                        "jakarta.servlet..",
                        "ai.onnxruntime..")
                .because("protocol/ holds what the HTTP and Kafka adapters both read and write")
                .check(PRODUCTION);
    }

    @Test
    void modelSourcesKnowNothingOfServing() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".repository..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        ROOT + ".web..",
                        ROOT + ".kafka..",
                        ROOT + ".inference..",
                        ROOT + ".batching..",
                        ROOT + ".runtime..",
                        ROOT + ".registry..",
                        ROOT + ".deployment..")
                .because(
                        "the repository and its sources say what exists; what is loaded and served is decided elsewhere")
                .check(PRODUCTION);
    }

    @Test
    void everyPackageSaysWhatItOwns() {
        // javac writes no package-info.class for a package-info.java without annotations: look for the source
        assertThat(PRODUCTION.stream()
                        .map(JavaClass::getPackageName)
                        .distinct()
                        .filter(name -> !name.equals(ROOT))
                        .filter(name -> !Files.isRegularFile(
                                Path.of("src/main/java", name.replace('.', '/'), "package-info.java"))))
                .as("packages without a package-info.java")
                .isEmpty();
    }
}
