package org.stationtrust.server.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.RawHttp;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;

/** Malformed JSON, wrong types, oversized bodies and SQL metacharacters: a clear 4xx, database unchanged. */
class BadInputTest {
    static final String SQL = "x'); DROP TABLE machines; -- \" OR 1=1 --";
    static final List<String> TABLES = List.of("users", "sessions", "api_tokens", "enrollment_tokens", "machines",
            "machine_keys", "attestation_nonces", "attestations", "schema_version");

    @TempDir
    static Path dir;
    static TestServer server;
    static SoftwareStation station = new SoftwareStation();
    static String machineId;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, b -> b.rateLimits(1000, 1000, 1000));
        machineId = server.seedMachine(station, EnrollmentState.ACTIVE, true);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Every row of every table except the audit log (refusals are audited on purpose). */
    static String snapshot() {
        return server.db.withConnection(c -> {
            StringBuilder b = new StringBuilder();
            for (String t : TABLES) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + t)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        b.append(t).append(':');
                        for (int i = 1; i <= md.getColumnCount(); i++) b.append(rs.getString(i)).append('|');
                        b.append('\n');
                    }
                }
            }
            return b.toString();
        });
    }

    static ObjectNode enrollment() {
        ObjectNode b = TestServer.JSON.createObjectNode();
        Base64.Encoder e = Base64.getEncoder();
        b.put("machineName", "pc-1");
        b.put("ekPublic", e.encodeToString(station.akPublic()));
        b.put("akPublic", e.encodeToString(station.akPublic()));
        b.put("machineKeyPublic", e.encodeToString(station.machineKeyPublic()));
        b.put("machineKeyCertifyInfo", e.encodeToString(new byte[40]));
        b.put("machineKeyCertifySignature", e.encodeToString(new byte[40]));
        return b;
    }

    static void assertRefused(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, TestServer.errorCode(r), r.body());
        assertTrue(!TestServer.json(r).path("error").path("message").asText().isBlank(), "a human message");
    }

    @Test
    void refusesMalformedJsonWithoutTouchingTheDatabase() {
        String before = snapshot();
        for (String body : new String[] {"{", "{\"machineName\":", "[]", "null", "\"text\"", "{} {}", "{\"a\":1,}"}) {
            HttpResponse<String> r = server.request("POST", "/api/v1/enrollments", body, null);
            assertEquals(400, r.statusCode(), body + " -> " + r.body());
        }
        assertRefused(server.request("POST", "/api/v1/enrollments", "{", null), 400, "malformed_json");
        assertEquals(before, snapshot());
    }

    @Test
    void refusesWrongTypesAndUnknownFields() {
        String before = snapshot();
        ObjectNode b = enrollment();
        b.put("machineName", 5);
        assertRefused(server.request("POST", "/api/v1/enrollments", b.toString(), null), 400, "invalid_field");
        b = enrollment();
        b.putArray("akPublic");
        assertRefused(server.request("POST", "/api/v1/enrollments", b.toString(), null), 400, "invalid_field");
        b = enrollment();
        b.put("isAdmin", true);
        assertRefused(server.request("POST", "/api/v1/enrollments", b.toString(), null), 400, "invalid_field");
        b = enrollment();
        b.remove("akPublic");
        assertRefused(server.request("POST", "/api/v1/enrollments", b.toString(), null), 400, "invalid_field");
        assertRefused(server.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + machineId + "/revoke",
                "{\"reason\":[1,2]}"), 400, "invalid_field");
        assertEquals(before, snapshot());
    }

    @Test
    void refusesOversizedBodiesAndWrongContentType() throws Exception {
        String before = snapshot();
        String huge = "{\"machineName\":\"" + "a".repeat(70 * 1024) + "\"}";
        HttpResponse<String> tooLarge = server.request("POST", "/api/v1/enrollments", huge, null);
        assertRefused(tooLarge, 413, "body_too_large");
        // refused by the request gate, before any route: still the request id and headers every answer carries
        assertEquals(TestServer.JSON.readTree(tooLarge.body()).path("requestId").asText(),
                tooLarge.headers().firstValue("X-Request-Id").orElse("none"));
        assertEquals("DENY", tooLarge.headers().firstValue("X-Frame-Options").orElse("none"));
        HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(URI.create(server.url("/api/v1/enrollments")))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(r, 415, "unsupported_media_type");
        // a quote may carry a boot event log of up to 1 MiB (base64), so its bound is larger than the others'.
        // A body that large is refused by its declared length and the connection closed without reading it, so the
        // request announces it and sends none (a client still sending can see the close before the answer).
        String bigQuote = "{\"nonce\":\"" + "A".repeat(org.stationtrust.server.internal.boot.MeasuredBoot.MAX_QUOTE_BODY)
                + "\"}";
        String path = "/api/v1/attestation/quotes";
        String signature = StationClient.header(machineId, StationClient.payload("POST", path,
                StationClient.bytes(bigQuote), System.currentTimeMillis() / 1000, StationClient.randomNonce()),
                StationClient.jcaSigner(station.machineKey()));
        try (java.net.Socket s = RawHttp.connect("127.0.0.1", URI.create(server.url("/")).getPort())) {
            RawHttp.write(s, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nX-Station-Signature: " + signature + "\r\nContent-Length: "
                    + StationClient.bytes(bigQuote).length + "\r\n\r\n");
            RawHttp.Answer a = RawHttp.read(s.getInputStream());
            assertEquals(413, a.status(), a.body());
            assertEquals("body_too_large", a.errorCode(), a.body());
        }
        assertEquals(before, snapshot());
    }

    @Test
    void sqlMetacharactersInEveryStringFieldAreRefusedAsData() {
        String before = snapshot();
        int machinesBefore = machineCount();
        for (String field : List.of("machineName", "ekCertificate", "ekPublic", "akPublic", "machineKeyPublic",
                "machineKeyCertifyInfo", "machineKeyCertifySignature", "enrollmentToken")) {
            ObjectNode b = enrollment();
            b.put(field, SQL);
            HttpResponse<String> r = server.request("POST", "/api/v1/enrollments", b.toString(), null);
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, field + " -> " + r.body());
        }
        assertEquals(404, server.request("GET", "/api/v1/enrollments/" + "x'%20OR%20'1'='1", null, null).statusCode());
        assertRefused(server.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + "x'OR'1'='1" + "/revoke",
                "{\"reason\":\"" + SQL.replace("\"", "\\\"") + "\"}"), 404, "not_found");
        assertRefused(server.as(Role.ADMIN, "POST", "/api/v1/admin/users", "{\"username\":\"" + SQL.replace("\"", "")
                + "\",\"password\":\"long enough password\",\"role\":\"admin\"}"), 400, "invalid_field");
        assertRefused(server.as(Role.ADMIN, "POST", "/api/v1/admin/users", "{\"username\":\"bob\",\"password\":\"long "
                + "enough password\",\"role\":\"admin' OR '1'='1\"}"), 400, "invalid_field");
        assertRefused(server.stations.send("POST", "/api/v1/attestation/quotes", "{\"nonce\":\"" + SQL.replace("\"", "")
                + "\",\"attest\":\"AA==\",\"signature\":\"AA==\",\"pcrs\":{\"0\":\"AA==\"}}", machineId,
                StationClient.jcaSigner(station.machineKey())), 403, "nonce_invalid");
        assertRefused(server.stations.send("POST", "/api/v1/attestation/nonces", "{\"purpose\":\"" + SQL.replace("\"", "")
                + "\"}", machineId, StationClient.jcaSigner(station.machineKey())), 400, "invalid_field");
        String after = snapshot();
        // The refused quote is recorded in the machine's attestation history (fail closed); nothing else changed.
        assertEquals(strip(before), strip(after));
        assertEquals(machinesBefore, machineCount(), "the machines table is intact");
    }

    private static int machineCount() {
        return server.db.withConnection(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM machines")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    private static String strip(String snapshot) {
        StringBuilder b = new StringBuilder();
        for (String line : snapshot.split("\n")) {
            if (!line.startsWith("attestations:") && !line.startsWith("machines:") && !line.startsWith("request_nonces:")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void sqlMetacharactersInAValidReasonAreStoredAsPlainText() {
        String pending = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
        String reason = "ok'); DELETE FROM machines; --";
        HttpResponse<String> r = server.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + pending + "/approve",
                "{\"reason\":\"" + reason + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(reason, TestServer.json(r).path("decisionReason").asText());
        assertEquals(EnrollmentState.ACTIVE, server.state(machineId), "the other machine is untouched");
    }

    @Test
    void unknownRoutesAnswerWithAJsonError() {
        assertRefused(server.request("GET", "/api/v1/nothing-here", null, null), 404, "not_found");
    }

    @Test
    void anAuditLimitOutsideOneToAThousandIsRefusedNotQuietlyClamped() {
        for (String limit : List.of("0", "-5", "1001", "5000", "ten")) {
            var r = server.as(org.stationtrust.server.Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=" + limit, null);
            org.junit.jupiter.api.Assertions.assertEquals(400, r.statusCode(), limit + ": " + r.body());
            org.junit.jupiter.api.Assertions.assertTrue(r.body().contains("limit must be a number 1..1000"), r.body());
        }
        var ok = server.as(org.stationtrust.server.Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=3", null);
        org.junit.jupiter.api.Assertions.assertEquals(200, ok.statusCode(), ok.body());
        org.junit.jupiter.api.Assertions.assertTrue(TestServer.json(ok).path("events").size() <= 3, ok.body());
    }
}
