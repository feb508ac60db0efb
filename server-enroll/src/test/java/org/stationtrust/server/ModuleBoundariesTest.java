package org.stationtrust.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** docs/design.md: the server uses only the tpm module's pure-software verify package, never a TPM. */
class ModuleBoundariesTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.stationtrust.server");

    @Test
    void theServerUsesOnlyTheVerifyPackageOfTheTpmModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.stationtrust.tpm",
                "org.stationtrust.tpm.internal..", "org.stationtrust.tpm.simulator..", "org.stationtrust.tpm.verify.internal..",
                "tss..").check(MAIN);
    }

    @Test
    void theStorageLayerKnowsNothingOfHttpOrPages() {
        noClasses().that().resideInAPackage("..server.internal.store..").should().dependOnClassesThat()
                .resideInAnyPackage("io.javalin..", "..server.internal.web..", "..server.internal.api..").check(MAIN);
    }
}
