package org.stationtrust.tpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class IdentityReportTest {

    @Test
    void provisionsAFreshSimulatorAndPrintsAVerifiedIdentity() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = IdentityReport.run(new String[0], new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, report);
        assertTrue(report.contains("certificate issuer:  CN=swtpm-localca"), report);
        assertTrue(report.contains("chains to the simulator's local CA: yes"), report);
        assertTrue(report.contains("verified by JCA: yes"), report);
        assertTrue(report.matches("(?s).*machine key at 0x81000003.*public key SHA-256:  ([0-9a-f]{2}:){31}[0-9a-f]{2}.*"), report);
        assertTrue(report.endsWith("software TPM stopped" + System.lineSeparator()), report);
    }

    @Test
    void refusesUnknownArguments() throws Exception {
        assertEquals(2, IdentityReport.run(new String[] {"--frobnicate"}, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)));
    }
}
