package org.stationtrust.tpm.verify;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verify package judges TPM evidence with java.security and BouncyCastle only: TSS.Java's
 * verification accepts any ECC signature, and the server must not need the device side.
 */
class VerifyPackageBoundariesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.stationtrust.tpm");
    }

    @Test
    void verifyUsesNeitherTssJavaNorTheDeviceSide() {
        noClasses().that().resideInAPackage("org.stationtrust.tpm.verify..")
                .should().dependOnClassesThat().resideInAnyPackage("tss..", "com.sun.jna..")
                .orShould().dependOnClassesThat().resideInAnyPackage("org.stationtrust.tpm",
                        "org.stationtrust.tpm.internal..", "org.stationtrust.tpm.simulator..")
                .check(classes);
    }

    @Test
    void onlyTheVerifyPackageUsesItsInternals() {
        noClasses().that().resideOutsideOfPackage("org.stationtrust.tpm.verify..")
                .should().dependOnClassesThat().resideInAPackage("org.stationtrust.tpm.verify.internal..")
                .check(classes);
    }
}
