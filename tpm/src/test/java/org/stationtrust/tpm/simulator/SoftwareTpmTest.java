package org.stationtrust.tpm.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SoftwareTpmExtension.class)
class SoftwareTpmTest {

    @Test
    void listensOnAFreeLoopbackPortWithTheControlChannelNextToIt(SoftwareTpm tpm) {
        assertEquals("swtpm:127.0.0.1:" + tpm.port(), tpm.uri());
        assertEquals("swtpm:host=127.0.0.1,port=" + tpm.port(), tpm.tcti());
        assertTrue(tpm.isRunning());
    }

    @Test
    void publishesItsOwnCaAsATrustStoreWithoutPrivateKeys(SoftwareTpm tpm) throws IOException {
        List<X509Certificate> ca = tpm.caCertificates();
        assertEquals(2, ca.size());
        X509Certificate root = ca.get(0);
        X509Certificate intermediate = ca.get(1);
        assertEquals(root.getSubjectX500Principal(), root.getIssuerX500Principal(), "root is self-issued");
        assertEquals(root.getSubjectX500Principal(), intermediate.getIssuerX500Principal());
        try (Stream<Path> files = Files.list(tpm.caDirectory())) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("swtpm-localca-intermediate.pem", "swtpm-localca-root.pem"), names);
        }
    }

    @Test
    void twoInstancesRunSideBySideWithDifferentCas(SoftwareTpm tpm, @TempDir Path other) {
        try (SoftwareTpm second = SoftwareTpm.start(other)) {
            assertNotEquals(tpm.port(), second.port());
            assertNotEquals(tpm.caCertificates().get(0).getPublicKey(), second.caCertificates().get(0).getPublicKey());
        }
    }

    @Test
    void restartKeepsTheStateDirectoryAndComesBackUp(@TempDir Path dir) {
        try (SoftwareTpm tpm = SoftwareTpm.start(dir)) {
            tpm.restart();
            assertTrue(tpm.isRunning());
            assertTrue(Files.exists(tpm.stateDirectory().resolve("tpm2-00.permall")));
            tpm.close();
            assertFalse(tpm.isRunning());
            assertThrows(SoftwareTpmException.class, tpm::uri);
        }
    }

    @Test
    void aMissingProgramIsReportedWithTheCommandThatInstallsIt() {
        SoftwareTpmException e = assertThrows(SoftwareTpmException.class,
                () -> Programs.require("swtpm-that-is-not-installed"));
        assertTrue(e.getMessage().contains("apt-get install -y swtpm swtpm-tools"), e.getMessage());
        assertTrue(SoftwareTpm.isInstalled());
    }

    @Test
    void refusesAWorkDirectoryThatSwtpmOptionsCannotCarry(@TempDir Path dir) {
        SoftwareTpmException e = assertThrows(SoftwareTpmException.class,
                () -> SoftwareTpm.start(dir.resolve("a,b")));
        assertTrue(e.getMessage().contains("must not contain"), e.getMessage());
    }
}
