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
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.tpm.verify.HashAlgorithm;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;

/**
 * docs/independent-station.md as executable documentation: the project's script, with tpm2-tools and openssl only,
 * on a real swtpm, against a real server: enroll (EK certificate read from NV with its padding, TPM2_Certify sent
 * by hand), activate, the enrollment polled, approval through the operator API, attest, a capture packet verified;
 * a signed enrollment retried after its answer was lost; signed requests never accepted twice; key rotation, a
 * packet of the retired key, and a rotation whose answer was lost recovered to the key the server holds.
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

    /** Runs one command of the script on the shared swtpm and returns the JSON it printed last. */
    private static JsonNode station(String... args) throws IOException, InterruptedException {
        List<JsonNode> printed = station(tpm, dir.resolve("station"), args);
        return printed.get(printed.size() - 1);
    }

    /** Runs one command of the script, which must succeed, and returns every JSON line it printed, in order. */
    private static List<JsonNode> station(SoftwareTpm on, Path state, String... args)
            throws IOException, InterruptedException {
        Run run = run(on, state, args);
        assertEquals(0, run.exitCode(), String.join(" ", args) + " failed:\n" + run.output());
        List<JsonNode> printed = new ArrayList<>();
        for (String line : run.output().strip().split("\n")) {
            if (line.startsWith("{")) printed.add(TestServer.JSON.readTree(line));
        }
        assertTrue(!printed.isEmpty(), String.join(" ", args) + " printed no JSON:\n" + run.output());
        return printed;
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(SoftwareTpm on, Path state, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--state", state.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TPM2TOOLS_TCTI", on.tcti());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script did not finish: " + out);
        return new Run(p.exitValue(), out);
    }

    @Test
    void aStationWrittenWithTpm2ToolsEnrollsPollsUntilApprovedAttestsSignedAndUnsignedAndHasItsPacketVerified()
            throws Exception {
        assertTrue(Files.isRegularFile(SCRIPT), SCRIPT + " is missing");

        JsonNode enrolled = station("enroll", "--server", server.url(""), "--name", "independent-1");
        String machineId = enrolled.path("machineId").asText();
        assertEquals("PENDING_APPROVAL", enrolled.path("state").asText(), enrolled.toString());
        assertTrue(enrolled.path("ekVerified").asBoolean(), "the EK certificate from NV 0x01C00002 verified: " + enrolled);

        JsonNode waiting = station("status");
        assertEquals(machineId, waiting.path("machineId").asText(), waiting.toString());
        assertEquals("PENDING_APPROVAL", waiting.path("state").asText(), waiting.toString());

        HttpResponse<String> approved = server.as(Role.APPROVER, "POST", "/api/v1/admin/machines/" + machineId + "/approve",
                "{\"reason\":\"independent station reviewed\"}");
        assertEquals(200, approved.statusCode(), approved.body());
        JsonNode active = station("status");
        assertEquals("ACTIVE", active.path("state").asText(), active.toString());
        assertTrue(active.path("ekVerified").asBoolean(), active.toString());

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

    /**
     * docs/server-api.md, "Signed station requests": the request nonce is checked last, so the very bytes and headers
     * of a signed request the server accepted, sent again, pass every other check and are refused as replayed.
     */
    @Test
    void aSignedRequestTheServerAcceptedIsRefusedWhenItsExactBytesAreSentAgain() throws Exception {
        Path state = dir.resolve("replaying-station");
        try (SoftwareTpm own = SoftwareTpm.start(dir.resolve("tpm-replay"));
             TestServer replayed = TestServer.start(dir.resolve("db-replay"), b -> b.ekTrustStore(own.caDirectory()))) {
            String machineId = enrolledAndApproved(own, state, replayed, "independent-5");
            assertEquals("PASSED", last(station(own, state, "attest")).path("result").asText());

            List<JsonNode> printed = station(own, state, "packet", "--replay-last");
            assertTrue(printed.get(0).path("valid").asBoolean(), "the first sending is verified: " + printed);
            JsonNode again = last(printed).path("replayed");
            assertEquals(401, again.path("httpStatus").asInt(), again.toString());
            assertEquals("request_replayed", again.path("error").path("code").asText(), again.toString());
            assertEquals(EnrollmentState.ACTIVE, replayed.state(machineId));
        }
    }

    /**
     * docs/independent-station.md, section 7: the new machine key is made next to the old one, certified by the AK over
     * a key-rotation nonce and sent signed by the old key; from then on the new key signs and the old key is refused,
     * while a packet the old key signed before still verifies, as retired. A rotation whose answer is lost is
     * recovered by asking {@code GET /api/v1/stations/me} with each key (server-api.md, "Which key the server
     * accepts"): to the new key when the server took it, to the old one when the request never reached it; the key
     * the server does not hold is evicted. A second rotation goes back to the first handle.
     */
    @Test
    void aStationRotatesItsMachineKeyAfterWhichOnlyTheNewKeyIsAcceptedAndRecoversARotationWhoseAnswerWasLost()
            throws Exception {
        Path state = dir.resolve("rotating-station");
        try (SoftwareTpm own = SoftwareTpm.start(dir.resolve("tpm-rotate"));
             TestServer rotating = TestServer.start(dir.resolve("db-rotate"), b -> b.ekTrustStore(own.caDirectory()))) {
            String machineId = enrolledAndApproved(own, state, rotating, "independent-6");
            assertEquals("PASSED", last(station(own, state, "attest")).path("result").asText());
            String firstKeyId = last(station(own, state, "packet")).path("keyId").asText();
            Path signedBefore = dir.resolve("signed-before-rotation.jws");
            assertEquals("0x81010021", last(station(own, state, "packet", "--save-to", signedBefore.toString()))
                    .path("machineKeyHandle").asText());

            JsonNode rotated = last(station(own, state, "rotate", "--keep-old-key"));
            assertEquals(machineId, rotated.path("machineId").asText(), rotated.toString());
            String newKeyId = rotated.path("keyId").asText();
            assertTrue(!newKeyId.isEmpty() && !newKeyId.equals(firstKeyId), "a new key id: " + rotated);
            assertEquals("0x81010021", rotated.path("previousMachineKeyHandle").asText(), rotated.toString());
            assertEquals("0x81010022", rotated.path("machineKeyHandle").asText(), rotated.toString());

            JsonNode byNewKey = last(station(own, state, "packet"));
            assertTrue(byNewKey.path("valid").asBoolean(), byNewKey.toString());
            assertEquals(newKeyId, byNewKey.path("keyId").asText(), byNewKey.toString());
            assertEquals("current", byNewKey.path("keyStatus").asText(), byNewKey.toString());

            Run byOldKey = run(own, state, "packet", "--machine-key", "0x81010021");
            assertTrue(byOldKey.exitCode() != 0, "a request signed by the old key must be refused:\n" + byOldKey.output());
            assertTrue(byOldKey.output().contains("HTTP 401") && byOldKey.output().contains("signature_invalid"),
                    byOldKey.output());

            JsonNode retired = last(station(own, state, "packet", "--verify-saved", signedBefore.toString()));
            assertTrue(retired.path("valid").asBoolean(), "signed by the old key before the rotation: " + retired);
            assertEquals(firstKeyId, retired.path("keyId").asText(), retired.toString());
            assertEquals("retired", retired.path("keyStatus").asText(), retired.toString());

            JsonNode lost = last(station(own, state, "rotate", "--lose-answer"));
            assertEquals(200, lost.path("httpStatus").asInt(), "the server took the rotation: " + lost);
            String lostKeyId = lost.path("lostAnswer").path("keyId").asText();
            Run unsure = run(own, state, "packet");
            assertTrue(unsure.exitCode() != 0 && unsure.output().contains("run recover-rotation"),
                    "no request is signed while the server may hold either key:\n" + unsure.output());
            JsonNode recovered = last(station(own, state, "recover-rotation"));
            assertEquals("0x81010021", recovered.path("machineKeyHandle").asText(), recovered.toString());
            assertTrue(recovered.path("rotated").asBoolean(), recovered.toString());
            assertEquals(lostKeyId, recovered.path("keyId").asText(), recovered.toString());
            JsonNode afterRecovery = last(station(own, state, "packet"));
            assertEquals(lostKeyId, afterRecovery.path("keyId").asText(), afterRecovery.toString());
            assertEquals("current", afterRecovery.path("keyStatus").asText(), afterRecovery.toString());
            assertTrue(tpm2(own, "readpublic", "-c", "0x81010022").exitCode() != 0, "the replaced key is evicted");

            Path held = dir.resolve("held-rotation-request.json");
            JsonNode unsent = last(station(own, state, "rotate", "--lose-request", "--save-to", held.toString()));
            assertEquals("0x81010022", unsent.path("pendingMachineKeyHandle").asText(), unsent.toString());
            JsonNode kept = last(station(own, state, "recover-rotation"));
            assertEquals("0x81010021", kept.path("machineKeyHandle").asText(), kept.toString());
            assertTrue(!kept.path("rotated").asBoolean(), "the server never saw the rotation: " + kept);
            assertEquals("withdrawn", kept.path("withdrawal").asText(), "withdrawn before the new key went: " + kept);
            assertEquals(lostKeyId, kept.path("keyId").asText(), kept.toString());
            assertEquals(lostKeyId, last(station(own, state, "packet")).path("keyId").asText());
            assertTrue(tpm2(own, "readpublic", "-c", "0x81010022").exitCode() != 0,
                    "the key the server never received is evicted");
            // The request was only delayed and arrives now, in its timestamp window: the withdrawal refuses it.
            JsonNode request = TestServer.json(java.nio.file.Files.readString(held));
            HttpResponse<String> late = rotating.stations.sendRaw("POST", request.path("path").asText(),
                    request.path("body").asText(), request.path("signature").asText());
            assertEquals("nonce_invalid", TestServer.errorCode(late), late.body());
            assertEquals(lostKeyId, last(station(own, state, "packet")).path("keyId").asText(),
                    "the kept key still signs");
            assertTrue(rotating.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=500", null).body()
                    .contains("machine.rotation_withdrawn"), "the withdrawal is audited");
        }
    }

    /** Enrolls the script's station on its own swtpm and has an approver approve it; returns its machine id. */
    private static String enrolledAndApproved(SoftwareTpm on, Path state, TestServer at, String name)
            throws IOException, InterruptedException {
        String machineId = last(station(on, state, "enroll", "--server", at.url(""), "--name", name)).path("machineId")
                .asText();
        HttpResponse<String> approved = at.as(Role.APPROVER, "POST", "/api/v1/admin/machines/" + machineId + "/approve",
                "{\"reason\":\"independent station reviewed\"}");
        assertEquals(200, approved.statusCode(), approved.body());
        return machineId;
    }

    private static JsonNode last(List<JsonNode> printed) {
        return printed.get(printed.size() - 1);
    }

    /**
     * docs/independent-station.md, "Signing the enrollment": the first answer is lost after the server spent the token;
     * the same request sent again with the same signature is refused as replayed, and unsigned as a spent token; signed
     * afresh by the machine key it gets the same enrollment back (200), activates with it, and once activated even a
     * signed resend is refused. Its own swtpm and server: the script's persistent handles would otherwise replace the
     * other test's keys.
     */
    @Test
    void aStationWhoseEnrollmentAnswerWasLostGetsTheSameEnrollmentBackOnlyBySigningItsResend() throws Exception {
        Path state = dir.resolve("retrying-station");
        try (SoftwareTpm own = SoftwareTpm.start(dir.resolve("tpm-retry"));
             TestServer enroller = TestServer.start(dir.resolve("db-retry"), b -> b.ekTrustStore(own.caDirectory()))) {
            HttpResponse<String> issued = enroller.as(Role.ADMIN, "POST", "/api/v1/admin/enrollment-tokens",
                    "{\"note\":\"independent station retry\"}");
            assertEquals(201, issued.statusCode(), issued.body());
            String token = TestServer.json(issued).path("token").asText();
            String[] enroll = {"enroll", "--server", enroller.url(""), "--name", "independent retry-2"};

            List<JsonNode> first = station(own, state, concat(enroll, "--token", token, "--lose-answer", "--replay-last"));
            JsonNode lost = first.get(0).path("lostAnswer");
            assertEquals(201, first.get(0).path("httpStatus").asInt(), first.toString());
            JsonNode sameSignature = last(first).path("replayed");
            assertEquals(401, sameSignature.path("httpStatus").asInt(), "the same signature again: " + sameSignature);
            assertEquals("request_replayed", sameSignature.path("error").path("code").asText(), sameSignature.toString());
            String machineId = lost.path("machineId").asText();
            assertEquals(EnrollmentState.PENDING_ACTIVATION, enroller.state(machineId));

            String saved = Files.readString(state.resolve("enrollment-request.json"));
            HttpResponse<String> unsigned = enroller.request("POST", "/api/v1/enrollments", saved, null);
            assertEquals(403, unsigned.statusCode(), unsigned.body());
            assertEquals("enrollment_token_invalid", TestServer.errorCode(unsigned));

            List<JsonNode> resent = station(own, state, concat(enroll, "--resend"));
            JsonNode again = resent.get(0).path("enrollmentAnswer");
            assertEquals(200, resent.get(0).path("httpStatus").asInt(), resent.toString());
            for (String field : List.of("machineId", "credentialBlob", "encryptedSecret", "quoteNonce")) {
                assertEquals(lost.path(field).asText(), again.path(field).asText(), field + " of the retry's answer");
            }
            JsonNode activated = resent.get(resent.size() - 1);
            assertEquals(machineId, activated.path("machineId").asText());
            assertEquals("PENDING_APPROVAL", activated.path("state").asText(), activated.toString());

            Run late = run(own, state, concat(enroll, "--resend"));
            assertTrue(late.exitCode() != 0, "a resend after activation must be refused:\n" + late.output());
            assertTrue(late.output().contains("HTTP 403") && late.output().contains("enrollment_token_invalid"),
                    late.output());
            assertEquals(EnrollmentState.PENDING_APPROVAL, enroller.state(machineId));
        }
    }

    /**
     * docs/independent-station.md, section 5, "Boot event log": under a boot policy the quote needs the log; the
     * script sends it whole in the signed exchange the first time (even when asked for the unsigned one) and then only
     * its digest, unsigned. The boot is synthetic: its events are extended into swtpm's PCRs with tpm2_pcrextend.
     */
    @Test
    void aStationSendsItsBootEventLogWholeOnceSignedThenOnlyItsDigestUnsigned() throws Exception {
        Path state = dir.resolve("booted-station");
        try (SoftwareTpm own = SoftwareTpm.start(dir.resolve("tpm-boot"));
             TestServer judged = TestServer.start(dir.resolve("db-boot"), b -> b.ekTrustStore(own.caDirectory()))) {
            judged.fleetBootPolicy();
            List<JsonNode> enrolled = station(own, state, "enroll", "--server", judged.url(""), "--name", "independent-3");
            String machineId = enrolled.get(enrolled.size() - 1).path("machineId").asText();
            HttpResponse<String> approved = judged.as(Role.APPROVER, "POST", "/api/v1/admin/machines/" + machineId
                    + "/approve", "{\"reason\":\"independent station reviewed\"}");
            assertEquals(200, approved.statusCode(), approved.body());

            SyntheticEventLog boot = SyntheticBoot.typical().log(HashAlgorithm.SHA256);
            for (SyntheticEventLog.Extend e : boot.events()) {
                pcrExtend(own, e.pcr() + ":sha256=" + HexFormat.of().formatHex(e.digests().get(HashAlgorithm.SHA256)));
            }
            Path log = Files.write(dir.resolve("binary_bios_measurements"), boot.bytes());

            Run withoutLog = run(own, state, "attest");
            assertTrue(withoutLog.exitCode() != 0 && withoutLog.output().contains("no_event_log"), withoutLog.output());

            Run first = run(own, state, "attest", "--unsigned", "--event-log", log.toString());
            assertEquals(0, first.exitCode(), first.output());
            assertTrue(first.output().contains("boot event log: sent whole, signed"), first.output());
            JsonNode whole = lastJson(first);
            assertEquals("PASSED", whole.path("result").asText(), whole.toString());
            String digest = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(boot.bytes()));
            assertEquals(digest, whole.path("eventLogSha256").asText(), whole.toString());

            Run next = run(own, state, "attest", "--unsigned", "--event-log", log.toString());
            assertEquals(0, next.exitCode(), next.output());
            assertTrue(next.output().contains("boot event log: sent its SHA-256 only, unsigned"), next.output());
            assertEquals("PASSED", lastJson(next).path("result").asText(), next.output());
        }
    }

    private static JsonNode lastJson(Run run) throws IOException {
        String[] lines = run.output().strip().split("\n");
        return TestServer.JSON.readTree(lines[lines.length - 1]);
    }

    /** TPM2_PCR_Extend through tpm2-tools: the "firmware" of the synthetic boot. */
    private static void pcrExtend(SoftwareTpm on, String digest) throws IOException, InterruptedException {
        Run extended = tpm2(on, "pcrextend", digest);
        assertEquals(0, extended.exitCode(), "tpm2_pcrextend " + digest + ": " + extended.output());
    }

    /** One tpm2-tools command on the given swtpm. */
    private static Run tpm2(SoftwareTpm on, String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tpm2_" + tool));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TPM2TOOLS_TCTI", on.tcti());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tpm2_" + tool + " did not finish: " + out);
        return new Run(p.exitValue(), out);
    }

    /**
     * docs/independent-station.md, section 1: a server whose EK trust store holds only swtpm's root CA refuses the EK
     * certificate alone, and verifies it when the station sends the intermediate CA in {@code ekCertificateChain}.
     */
    @Test
    void aStationSendsTheIntermediateCaThatTheServersEkTrustStoreLacks() throws Exception {
        Path state = dir.resolve("chained-station");
        try (SoftwareTpm own = SoftwareTpm.start(dir.resolve("tpm-chain"))) {
            Path rootOnly = Files.createDirectories(dir.resolve("root-only"));
            Files.copy(own.caDirectory().resolve("swtpm-localca-root.pem"), rootOnly.resolve("root.pem"));
            Path intermediate = Files.write(dir.resolve("intermediate.der"), own.caCertificates().get(1).getEncoded());
            try (TestServer rooted = TestServer.start(dir.resolve("db-chain"), b -> b.ekTrustStore(rootOnly))) {
                String[] enroll = {"enroll", "--server", rooted.url(""), "--name", "independent-4"};
                Run alone = run(own, state, enroll);
                assertTrue(alone.exitCode() != 0 && alone.output().contains("ek_certificate_untrusted"), alone.output());

                List<JsonNode> chained = station(own, state, concat(enroll, "--ek-chain", intermediate.toString()));
                JsonNode answer = chained.get(0).path("enrollmentAnswer");
                assertTrue(answer.path("ekVerified").asBoolean(), answer.toString());
                assertEquals("PENDING_APPROVAL", chained.get(chained.size() - 1).path("state").asText(), chained.toString());
            }
        }
    }

    /** docs/independent-station.md, section 2: the name is certified, so the station checks it before certifying. */
    @Test
    void aStationChecksTheMachineNameBeforeItCertifiesIt() throws Exception {
        for (String name : List.of("ends with a space ", "two  spaces", "-starts-with-a-dash", "x".repeat(129), "")) {
            Run refused = run(tpm, dir.resolve("misnamed"), "enroll", "--server", server.url(""), "--name=" + name);
            assertTrue(refused.exitCode() != 0, "'" + name + "' must be refused:\n" + refused.output());
            assertTrue(refused.output().contains("machine name"), refused.output());
            assertTrue(!Files.exists(dir.resolve("misnamed").resolve("ek.pub")), "the TPM was used for '" + name + "'");
        }
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
