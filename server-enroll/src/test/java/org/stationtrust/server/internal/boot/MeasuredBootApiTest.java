package org.stationtrust.server.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;
import org.stationtrust.tpm.verify.PcrValues;
import org.stationtrust.tpm.verify.QuotedPcrs;

/**
 * Measured boot through the real server over HTTP: policies edited by admins only and audited, the
 * quote carrying the log or only its digest, each verdict, the machine's boot in the admin API.
 */
class MeasuredBootApiTest {
    private static final HashAlgorithm SHA256 = HashAlgorithm.SHA256;
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
        server.fleetBootPolicy();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode put(String name, String document) {
        HttpResponse<String> r = server.as(Role.ADMIN, "PUT", "/api/v1/admin/boot-policies/" + name, document);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    /** A station whose quoted PCRs are what this boot's log replays to. */
    private static final class Station {
        final SoftwareStation soft = new SoftwareStation();
        final String id;

        Station(SyntheticEventLog boot) {
            booted(boot);
            id = server.seedMachine(soft, EnrollmentState.ACTIVE, true);
        }

        void booted(SyntheticEventLog boot) {
            soft.pcrs().clear();
            boot.pcrs(SHA256).forEach((pcr, v) -> soft.pcrs().put(pcr, v));
            for (int i = 0; i < 8; i++) {
                soft.pcrs().putIfAbsent(i, new byte[32]);
            }
        }

        JsonNode nonce() {
            return TestServer.json(server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id,
                    StationClient.jcaSigner(soft.machineKey())));
        }

        HttpResponse<String> quote(byte[] log, String digestOnly) {
            String nonce = nonce().path("nonce").asText();
            byte[][] q = soft.quote(Base64.getDecoder().decode(nonce));
            ObjectNode body = TestServer.JSON.createObjectNode();
            body.put("nonce", nonce);
            body.put("attest", Base64.getEncoder().encodeToString(q[0]));
            body.put("signature", Base64.getEncoder().encodeToString(q[1]));
            soft.pcrsWire().forEach(body.putObject("pcrs")::put);
            if (log != null) body.put("eventLog", Base64.getEncoder().encodeToString(log));
            if (digestOnly != null) body.put("eventLogSha256", digestOnly);
            return server.stations.send("POST", "/api/v1/attestation/quotes", body.toString(), id,
                    StationClient.jcaSigner(soft.machineKey()));
        }

        JsonNode boot(Role role) {
            HttpResponse<String> r = server.as(role, "GET", "/api/v1/admin/machines/" + id + "/boot", null);
            assertEquals(200, r.statusCode(), r.body());
            return TestServer.json(r);
        }
    }

    private static String sha256(byte[] b) {
        return HexFormat.of().formatHex(SHA256.digest(b));
    }

    @Test
    void aBootPassesThenTravelsAsItsDigestThenAFirmwareUpdatePassesAsChanged() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        SyntheticEventLog log = boot.log(SHA256);
        Station s = new Station(log);
        assertTrue(s.nonce().path("eventLogSha256").isMissingNode(), "nothing held yet");
        HttpResponse<String> first = s.quote(log.bytes(), null);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("PASSED", TestServer.json(first).path("boot").path("result").asText());
        assertEquals(sha256(log.bytes()), TestServer.json(first).path("eventLogSha256").asText());

        assertEquals(sha256(log.bytes()), s.nonce().path("eventLogSha256").asText());
        HttpResponse<String> digestOnly = s.quote(null, sha256(log.bytes()));
        assertEquals(200, digestOnly.statusCode(), digestOnly.body());
        assertEquals("PASSED", TestServer.json(digestOnly).path("boot").path("result").asText());

        SyntheticEventLog updated = boot.firmware("StationBIOS 1.01", "image 1.01".getBytes(StandardCharsets.US_ASCII))
                .log(SHA256);
        s.booted(updated);
        HttpResponse<String> stale = s.quote(null, sha256(updated.bytes()));
        assertEquals("event_log_required", TestServer.errorCode(stale), stale.body());
        HttpResponse<String> changed = s.quote(updated.bytes(), null);
        assertEquals(200, changed.statusCode(), changed.body());
        JsonNode answer = TestServer.json(changed).path("boot");
        assertEquals("PASSED_CHANGED", answer.path("result").asText());
        assertTrue(answer.path("changes").toString().contains("firmware version: + StationBIOS 1.01"), answer.toString());
        JsonNode view = s.boot(Role.AUDITOR);
        assertEquals("fleet", view.path("effectivePolicy").asText());
        assertEquals("PASSED_CHANGED", view.path("last").path("result").asText());
        assertEquals("ON", view.path("last").path("bootState").path("secureBoot").asText());
        assertEquals(sha256(updated.bytes()), view.path("acceptedEventLogSha256").asText());
        assertTrue(auditHas("boot.changed", s.id));
    }

    /**
     * A station whose log has no SHA-256 digests quotes SHA-1 beside SHA-256 (SoftwareStation quotes SHA-256 only, so
     * the verdict is reached and recorded by the server's MeasuredBoot on the server's database, as an attestation
     * does); the admin API then shows both banks' values and the boot state names the bank the log replayed in.
     */
    @Test
    void theSha1ValuesOfAQuoteAreStoredAndShownBesideTheSha256OnesWithTheirBank() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        SyntheticEventLog sha256Log = boot.log(SHA256);
        SyntheticEventLog sha1Log = boot.sha1FormatLog();
        Station s = new Station(sha256Log);
        MeasuredBoot measured = new MeasuredBoot(server.db, new AuditLog(server.db), (c, event) -> { });
        SortedMap<Integer, byte[]> sha256 = new TreeMap<>(sha256Log.pcrs(SHA256));
        QuotedPcrs quoted = QuotedPcrs.of(PcrValues.sha256(sha256), PcrValues.sha1(sha1Log.pcrs(HashAlgorithm.SHA1)));
        MeasuredBoot.Judgement j = measured.judge(s.id, Base64.getEncoder().encodeToString(sha1Log.bytes()), null,
                quoted, new TreeMap<>()).orElseThrow();
        assertEquals("PASSED", j.verdict().result().wire(), j.verdict().message());
        server.db.inTransaction(c -> {
            measured.record(c, s.id, j, sha256);
            return null;
        });
        JsonNode last = s.boot(Role.AUDITOR).path("last");
        assertEquals("SHA1", last.path("bootState").path("bank").asText());
        assertEquals(8, last.path("pcrs").path("sha1").size(), last.toString());
        sha1Log.pcrs(HashAlgorithm.SHA1).forEach((pcr, v) -> assertEquals(HexFormat.of().formatHex(v),
                last.path("pcrs").path("sha1").path(String.valueOf(pcr)).asText(), "sha1 PCR " + pcr));
        sha256.forEach((pcr, v) -> assertEquals(HexFormat.of().formatHex(v),
                last.path("pcrs").path("sha256").path(String.valueOf(pcr)).asText(), "sha256 PCR " + pcr));

        // the same boot quoted in SHA-256 alone with its SHA-256 log: no SHA-1 values are left over
        HttpResponse<String> again = s.quote(sha256Log.bytes(), null);
        assertEquals(200, again.statusCode(), again.body());
        JsonNode now = s.boot(Role.AUDITOR).path("last");
        assertEquals("SHA256", now.path("bootState").path("bank").asText());
        assertTrue(now.path("pcrs").path("sha1").isMissingNode(), now.toString());
        assertEquals(HexFormat.of().formatHex(sha256.get(7)), now.path("pcrs").path("sha256").path("7").asText());
    }

    @Test
    void anUnchangedBootIsJudgedAgainInFullOnceItsPolicyChanges() throws Exception {
        SyntheticEventLog log = SyntheticBoot.typical().log(SHA256);
        Station s = new Station(log);
        assertEquals(200, s.quote(log.bytes(), null).statusCode());
        HttpResponse<String> again = s.quote(null, sha256(log.bytes()));
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("PASSED", TestServer.json(again).path("boot").path("result").asText());
        assertTrue(TestServer.json(again).path("boot").path("changes").isEmpty(), again.body());
        put("strict-dbx", "{\"name\": \"strict-dbx\", \"requiredDbx\": [\"sha256:" + "ab".repeat(32) + "\"]}");
        HttpResponse<String> assigned = server.as(Role.ADMIN, "PUT", "/api/v1/admin/machines/" + s.id + "/boot-policy",
                "{\"policy\": \"strict-dbx\", \"reason\": \"a revocation every laptop must carry\"}");
        assertEquals(200, assigned.statusCode(), assigned.body());
        HttpResponse<String> judged = s.quote(null, sha256(log.bytes()));
        assertEquals("pcr_policy_violation", TestServer.errorCode(judged), judged.body());
        assertTrue(judged.body().contains("requiredDbx"), judged.body());
    }

    @Test
    void secureBootOffIsRefusedWithTheRuleAndRecorded() throws Exception {
        SyntheticEventLog log = SyntheticBoot.typical().secureBoot(false).log(SHA256);
        Station s = new Station(log);
        HttpResponse<String> r = s.quote(log.bytes(), null);
        assertEquals(403, r.statusCode());
        assertEquals("pcr_policy_violation", TestServer.errorCode(r));
        assertTrue(r.body().contains("requireSecureBoot"), r.body());
        JsonNode view = s.boot(Role.AUDITOR);
        assertEquals("pcr_policy_violation", view.path("last").path("result").asText());
        assertEquals("requireSecureBoot", view.path("last").path("rule").asText());
        JsonNode row = auditRow("boot.refused", s.id);
        assertEquals("REFUSED", row.path("outcome").asText(), row.toString());
        assertTrue(row.path("detail").asText().startsWith("pcr_policy_violation: rule requireSecureBoot"),
                "the verdict whole, not cut to the outcome column: " + row);
    }

    @Test
    void aLogThatDoesNotReplayIsInvalidAndKeptForTheAdminOnly() throws Exception {
        SyntheticEventLog log = SyntheticBoot.typical().log(SHA256);
        Station s = new Station(log);
        s.soft.pcrs().put(4, SHA256.digest(new byte[] {4})); // extended behind the log's back
        HttpResponse<String> r = s.quote(log.bytes(), null);
        assertEquals("event_log_invalid", TestServer.errorCode(r), r.body());
        assertTrue(r.body().contains("PCR 4"), r.body());
        assertEquals(Base64.getEncoder().encodeToString(log.bytes()), s.boot(Role.ADMIN).path("flaggedEventLog").asText());
        assertTrue(s.boot(Role.AUDITOR).path("flaggedEventLog").isMissingNode());
        assertFalse(s.boot(Role.AUDITOR).path("flaggedAt").isNull());
    }

    @Test
    void noLogFailsUnderAPolicyThatRequiresOne() throws Exception {
        Station s = new Station(SyntheticBoot.typical().log(SHA256));
        assertEquals("no_event_log", TestServer.errorCode(s.quote(null, null)));
    }

    @Test
    void onlyAdminsChangePoliciesAndAnUnknownRuleIsRefused() throws Exception {
        HttpResponse<String> approver = server.as(Role.APPROVER, "PUT", "/api/v1/admin/boot-policies/other",
                "{\"name\": \"other\"}");
        assertEquals(403, approver.statusCode());
        HttpResponse<String> typo = server.as(Role.ADMIN, "PUT", "/api/v1/admin/boot-policies/other",
                "{\"name\": \"other\", \"requireSecureboot\": false}");
        assertEquals("invalid_field", TestServer.errorCode(typo));
        assertTrue(typo.body().contains("unknown rule"), typo.body());
        HttpResponse<String> mismatch = server.as(Role.ADMIN, "PUT", "/api/v1/admin/boot-policies/other",
                "{\"name\": \"another\"}");
        assertEquals("invalid_field", TestServer.errorCode(mismatch));
        Station s = new Station(SyntheticBoot.typical().log(SHA256));
        HttpResponse<String> unknown = server.as(Role.ADMIN, "PUT", "/api/v1/admin/machines/" + s.id + "/boot-policy",
                "{\"policy\": \"nope\", \"reason\": \"test\"}");
        assertEquals(404, unknown.statusCode());
        assertEquals(200, server.as(Role.AUDITOR, "GET", "/api/v1/admin/boot-policies", null).statusCode());
    }

    @Test
    void oneAdminDecisionAcceptsAPinnedFirmwareUpdateForEveryMachineOfThatModel() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        SyntheticEventLog v100 = boot.log(SHA256);
        String pcr0 = HexFormat.of().formatHex(v100.pcrs(SHA256).get(0));
        put("pinned", "{\"name\": \"pinned\", \"pins\": [{\"firmwareVersion\": \"StationBIOS 1.00\", \"pcrs\": {\"0\": \""
                + pcr0 + "\"}}]}");
        SyntheticEventLog v101 = boot.firmware("StationBIOS 1.01", "image 1.01".getBytes(StandardCharsets.US_ASCII))
                .log(SHA256);
        Station a = new Station(v101);
        Station b = new Station(v101);
        for (Station s : new Station[] {a, b}) {
            assertEquals(200, server.as(Role.ADMIN, "PUT", "/api/v1/admin/machines/" + s.id + "/boot-policy",
                    "{\"policy\": \"pinned\", \"reason\": \"model T14\"}").statusCode());
        }
        HttpResponse<String> refused = a.quote(v101.bytes(), null);
        assertEquals("pcr_policy_violation", TestServer.errorCode(refused));
        assertTrue(refused.body().contains("pins"), refused.body());
        HttpResponse<String> accept = server.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + a.id
                + "/boot/accept-model", "{\"reason\": \"vendor update 1.01 for the T14 fleet\"}");
        assertEquals(200, accept.statusCode(), accept.body());
        assertTrue(auditHas("boot_policy.accept_model", "pinned"));
        assertEquals(200, b.quote(v101.bytes(), null).statusCode(), "the other machine of the model passes too");
    }

    private static boolean auditHas(String action, String subject) {
        return !auditRow(action, subject).isMissingNode();
    }

    /** The audit row of {@code action} on {@code subject}, or a missing node. */
    private static JsonNode auditRow(String action, String subject) {
        JsonNode events = TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=1000", null));
        for (JsonNode e : events.path("events")) {
            if (action.equals(e.path("action").asText()) && subject.equals(e.path("subject").asText())) {
                return e;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
