package org.stationtrust.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.tpm.simulator.SoftwareTpm;

/**
 * docs/independent-station.md as executable documentation: the project's script, with tpm2-tools and openssl only,
 * on a real swtpm, against a real server: enroll (EK certificate read from NV with its padding, TPM2_Certify sent
 * by hand), activate, approval through the operator API, attest, a capture packet verified.
 */
class IndependentStationTest {
    private static final Path SCRIPT = Path.of("..", "scripts", "independent-station.py").toAbsolutePath().normalize();
    @TempDir
    static Path dir;
    static SoftwareTpm tpm;
    static TestServer server;

    @BeforeAll
    static void start() {
        tpm = SoftwareTpm.start(dir.resolve("tpm"));
        server = TestServer.start(dir.resolve("db"), b -> b.ekTrustStore(tpm.caDirectory()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (tpm != null) tpm.close();
    }

    /** Runs one command of the script and returns the JSON it printed last. */
    private static JsonNode station(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--state", dir.resolve("station").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TPM2TOOLS_TCTI", tpm.tcti());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script did not finish: " + out);
        assertEquals(0, p.exitValue(), String.join(" ", args) + " failed:\n" + out);
        String[] lines = out.strip().split("\n");
        return TestServer.JSON.readTree(lines[lines.length - 1]);
    }

    @Test
    void aStationWrittenWithTpm2ToolsEnrollsIsApprovedAttestsSignedAndUnsignedAndHasItsPacketVerified() throws Exception {
        assertTrue(Files.isRegularFile(SCRIPT), SCRIPT + " is missing");

        JsonNode enrolled = station("enroll", "--server", server.url(""), "--name", "independent-1");
        String machineId = enrolled.path("machineId").asText();
        assertEquals("PENDING_APPROVAL", enrolled.path("state").asText(), enrolled.toString());
        assertTrue(enrolled.path("ekVerified").asBoolean(), "the EK certificate from NV 0x01C00002 verified: " + enrolled);

        HttpResponse<String> approved = server.as(Role.APPROVER, "POST", "/api/v1/admin/machines/" + machineId + "/approve",
                "{\"reason\":\"independent station reviewed\"}");
        assertEquals(200, approved.statusCode(), approved.body());
        assertEquals(EnrollmentState.ACTIVE, server.state(machineId));

        JsonNode attested = station("attest");
        assertEquals("PASSED", attested.path("result").asText(), attested.toString());
        assertEquals(machineId, attested.path("machineId").asText());

        JsonNode unsigned = station("attest", "--unsigned");
        assertEquals("PASSED", unsigned.path("result").asText(), unsigned.toString());
        assertEquals(machineId, unsigned.path("machineId").asText());

        JsonNode verdict = station("packet");
        assertTrue(verdict.path("valid").asBoolean(), verdict.toString());
        assertEquals(machineId, verdict.path("machineId").asText());
        assertEquals("current", verdict.path("keyStatus").asText());
        assertEquals("OK", verdict.path("attestationStatus").asText());
    }
}
