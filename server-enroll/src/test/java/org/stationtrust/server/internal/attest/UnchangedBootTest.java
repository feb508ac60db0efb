package org.stationtrust.server.internal.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;

/**
 * An unchanged boot decided from the server's memory (docs/design.md, "An unchanged boot"), over real HTTP on a real
 * database: it records what the full path records, and every change the memory cannot know of (another verdict, a
 * revocation, a new policy, a flagged status, an altered AK) is found in the attestation's own transaction and
 * decided on the full path instead, as the {@code stationtrust.attestation.unchanged.boot} counters show.
 */
class UnchangedBootTest {
    private static final String SCRAPE = "unchanged-boot-scrape-token-0123456789";
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, b -> b.metricsToken(SCRAPE.toCharArray()));
        server.fleetBootPolicy();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static double counter(String outcome) {
        String text = server.request("GET", "/metrics", null, SCRAPE).body();
        String prefix = "stationtrust_attestation_unchanged_boot_total{outcome=\"" + outcome + "\"} ";
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) return Double.parseDouble(line.substring(prefix.length()));
        }
        throw new AssertionError("no " + prefix + " in the metrics");
    }

    private static boolean auditHas(String action, String subject, String detailPart) {
        JsonNode events = TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=1000", null));
        for (JsonNode e : events.path("events")) {
            if (action.equals(e.path("action").asText()) && subject.equals(e.path("subject").asText())
                    && e.path("detail").asText().contains(detailPart)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anUnchangedBootIsDecidedFromMemoryAndRecordedAsTheFullPathRecordsIt() {
        DigestStation s = new DigestStation(server);
        // the first unsigned quote of this machine on this instance reads the machine: the full path
        assertEquals(200, s.quote().statusCode());
        JsonNode before = s.boot();
        passesFromMemory(s, s::quote);
        JsonNode after = s.boot();
        assertEquals("PASSED", after.path("last").path("result").asText());
        assertEquals(before.path("last").path("bootState"), after.path("last").path("bootState"));
        assertEquals(before.path("last").path("pcrs"), after.path("last").path("pcrs"));
        assertEquals(before.path("acceptedEventLogSha256"), after.path("acceptedEventLogSha256"));
        assertTrue(!java.time.Instant.parse(after.path("last").path("at").asText())
                .isBefore(java.time.Instant.parse(before.path("last").path("at").asText())), after.toString());
        JsonNode machine = TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + s.id, null));
        assertEquals("OK", machine.path("attestationStatus").asText(), machine.toString());
    }

    @Test
    void aReplayedNonceIsRefusedAndRecordsNothing() {
        DigestStation s = new DigestStation(server);
        assertEquals(200, s.quote().statusCode());
        String nonce = s.nonce();
        assertEquals(200, s.quote(nonce).statusCode());
        int history = s.history();
        HttpResponse<String> replay = s.quote(nonce);
        assertEquals("nonce_invalid", TestServer.errorCode(replay), replay.body());
        assertEquals(history, s.history());
    }

    @Test
    void anotherVerdictSinceSendsTheBootDownTheFullPathWhichJudgesItAgain() {
        DigestStation s = new DigestStation(server);
        assertEquals(200, s.quote().statusCode());
        passesOnTheFullPathAfterAnotherVerdict(s, s::quote);
    }

    /** As another instance would have recorded it, this boot refused since: the next attestation is judged again. */
    private static void passesOnTheFullPathAfterAnotherVerdict(DigestStation s,
            java.util.function.Supplier<HttpResponse<String>> attest) {
        s.sql("UPDATE machine_boot SET last_result = 'pcr_policy_violation' WHERE machine_id = ?");
        double stale = counter("stale");
        HttpResponse<String> r = attest.get();
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(stale + 1, counter("stale"), "the transaction found the memory stale");
        assertEquals("PASSED", s.boot().path("last").path("result").asText());
    }

    @Test
    void aMachineRevokedSinceIsRefusedAndNothingIsRecorded() {
        DigestStation s = new DigestStation(server);
        assertEquals(200, s.quote().statusCode());
        s.sql("UPDATE machines SET state = 'REVOKED' WHERE id = ?");
        int history = s.history();
        HttpResponse<String> r = s.quote();
        assertEquals("machine_not_active", TestServer.errorCode(r), r.body());
        assertEquals(history, s.history());
    }

    @Test
    void aPolicyAssignedSinceJudgesTheSameBootAgainAndRefusesIt() {
        DigestStation s = new DigestStation(server);
        assertEquals(200, s.quote().statusCode());
        assertEquals(200, server.as(Role.ADMIN, "PUT", "/api/v1/admin/boot-policies/needs-dbx", "{\"name\": \"needs-dbx\","
                + " \"requiredDbx\": [\"sha256:" + "cd".repeat(32) + "\"]}").statusCode());
        assertEquals(200, server.as(Role.ADMIN, "PUT", "/api/v1/admin/machines/" + s.id + "/boot-policy",
                "{\"policy\": \"needs-dbx\", \"reason\": \"a revocation every laptop must carry\"}").statusCode());
        HttpResponse<String> r = s.quote();
        assertEquals("pcr_policy_violation", TestServer.errorCode(r), r.body());
        assertTrue(r.body().contains("requiredDbx"), r.body());
    }

    @Test
    void aFlaggedMachinePassingFromMemoryIsAuditedAsRecovered() {
        DigestStation s = new DigestStation(server);
        assertEquals(200, s.quote().statusCode());
        s.sql("UPDATE machines SET attestation_status = 'OVERDUE' WHERE id = ?");
        double held = counter("held");
        assertEquals(200, s.quote().statusCode());
        assertEquals(held + 1, counter("held"));
        assertTrue(auditHas("attestation.pass", s.id, "OVERDUE -> OK"), "recovery audited");
        assertEquals("OK", TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + s.id, null))
                .path("attestationStatus").asText(), "the status is written when it changes");
    }

    @Test
    void aFirmwareColumnAlteredSinceIsWrittenAgainByThePassFromMemory() {
        DigestStation s = new DigestStation(server);
        assertEquals(200, s.quote().statusCode());
        String firmware = s.firmware();
        assertTrue(firmware != null && !firmware.isBlank(), "the judged boot named its firmware: " + firmware);
        s.sql("UPDATE machines SET firmware = 'altered' WHERE id = ?");
        double held = counter("held");
        assertEquals(200, s.quote().statusCode());
        assertEquals(held + 1, counter("held"));
        assertEquals(firmware, s.firmware(), "the pass wrote the firmware of the boot it judged");
    }

    @Test
    void anAkAlteredInTheDatabaseIsFoundInTheTransactionAndTheQuoteIsThenRefused() {
        DigestStation s = new DigestStation(server);
        assertEquals(200, s.quote().statusCode());
        String other = java.util.Base64.getEncoder().encodeToString(new SoftwareStation().akPublic());
        server.db.write(c -> {
            try (var ps = c.prepareStatement("UPDATE machines SET ak_public = ? WHERE id = ?")) {
                ps.setString(1, other);
                ps.setString(2, s.id);
                return ps.executeUpdate();
            }
        });
        HttpResponse<String> r = s.quote();
        assertEquals("quote_invalid", TestServer.errorCode(r), r.body());
    }

    /** {@code attest} passes, is decided from memory (not judged again from a log) and records one history row. */
    private static void passesFromMemory(DigestStation s,
            java.util.function.Supplier<HttpResponse<String>> attest) {
        double held = counter("held");
        int history = s.history();
        HttpResponse<String> r = attest.get();
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(held + 1, counter("held"), "decided from memory, not judged again from a log");
        assertEquals("PASSED", TestServer.json(r).path("boot").path("result").asText());
        assertEquals(DigestStation.DIGEST, TestServer.json(r).path("eventLogSha256").asText());
        assertEquals(history + 1, s.history(), "one history row, as on the full path");
    }

    @Test
    void aSignedQuoteOfTheSameBootIsDecidedFromMemoryAsAnUnsignedOneIs() {
        DigestStation s = new DigestStation(server);
        passesFromMemory(s, s::signedQuote);
        assertEquals("PASSED", s.boot().path("last").path("result").asText());
    }

    @Test
    void aSignedQuoteRequestSentAgainIsRefusedAsReplayedAndRecordsNothing() {
        DigestStation s = new DigestStation(server);
        String body = s.quoteBody(s.signedNonce());
        String signature = s.signature(body);
        assertEquals(200, s.sendSigned(body, signature).statusCode());
        int history = s.history();
        double held = counter("held");
        HttpResponse<String> replay = s.sendSigned(body, signature);
        assertEquals("request_replayed", TestServer.errorCode(replay), replay.body());
        assertEquals(history, s.history());
        assertEquals(held, counter("held"));
    }

    @Test
    void aSignedQuoteOverASpentNonceIsRefusedAsTheFullPathRefusesIt() {
        DigestStation s = new DigestStation(server);
        String nonce = s.signedNonce();
        assertEquals(200, s.quote(nonce).statusCode());
        String body = s.quoteBody(nonce);
        HttpResponse<String> r = s.sendSigned(body, s.signature(body));
        assertEquals("nonce_invalid", TestServer.errorCode(r), r.body());
    }

    @Test
    void aSignedQuoteAfterAnotherVerdictGoesDownTheFullPathAndPasses() {
        DigestStation s = new DigestStation(server);
        passesOnTheFullPathAfterAnotherVerdict(s, s::signedQuote);
    }

    @Test
    void aSignedQuoteSendingTheSameWholeLogAgainIsDecidedFromMemory() {
        DigestStation s = new DigestStation(server);
        passesFromMemory(s, s::signedWholeLogQuote);
    }

    @Test
    void aWholeLogSentWithAnotherLogsDigestIsStillRefused() {
        DigestStation s = new DigestStation(server);
        String q = s.soft.quoteBody(s.signedNonce(), DigestStation.LOG.bytes());
        String body = q.substring(0, q.length() - 1) + ",\"eventLogSha256\":\"" + "ab".repeat(32) + "\"}";
        HttpResponse<String> r = s.sendSigned(body, s.signature(body));
        assertEquals("invalid_field", TestServer.errorCode(r), r.body());
        assertTrue(r.body().contains("eventLogSha256"), r.body());
    }

    @Test
    void anUnsignedQuoteSendingTheSameWholeLogIsDecidedFromMemory() {
        DigestStation s = new DigestStation(server);
        assertEquals(200, s.quote().statusCode());
        String q = s.soft.quoteBody(s.nonce(), DigestStation.LOG.bytes());
        passesFromMemory(s, () -> DigestStation.send(server, q.substring(0, q.length() - 1) + ",\"machineId\":\""
                + s.id + "\"}"));
    }
}
