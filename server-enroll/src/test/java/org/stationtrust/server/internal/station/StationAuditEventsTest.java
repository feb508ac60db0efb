package org.stationtrust.server.internal.station;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;

/** Stations deliver their audit events: stored once per (machine, eventId), summarised in the server's chain. */
class StationAuditEventsTest {
    private static final String PATH = "/api/v1/stations/audit-events";
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String event(String id, String name, String fields) {
        return "{\"eventId\":\"" + id + "\",\"time\":\"2026-11-25T09:00:00Z\",\"event\":\"" + name + "\",\"fields\":"
                + fields + "}";
    }

    static HttpResponse<String> send(SoftwareStation s, String id, String... events) {
        return server.stations.send("POST", PATH, "{\"events\":[" + String.join(",", events) + "]}", id,
                StationClient.jcaSigner(s.machineKey()));
    }

    static JsonNode listed(String machineId) {
        HttpResponse<String> r = server.as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + machineId + "/audit-events", null);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    @Test
    void storesEachEventOnceAcknowledgesResendsAndAuditsASummary() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        String a = event("1-aa", "capture.completed", "{\"registrationId\":\"R-1\",\"packetId\":\"p1\"}");
        String b = event("2-bb", "attestation.passed", "{}");
        HttpResponse<String> first = send(s, id, a, b);
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(2, TestServer.json(first).path("received").asInt());
        HttpResponse<String> again = send(s, id, a, b);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(2, TestServer.json(again).path("duplicates").asInt());

        JsonNode stored = listed(id);
        assertEquals(2, stored.path("total").asLong());
        assertEquals("R-1", stored.path("events").findValue("registrationId").asText());
        String audit = server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=20", null).body();
        assertTrue(audit.contains("station_audit.received") && audit.contains("station:" + id), audit);
        assertTrue(TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit/verify", null))
                .path("intact").asBoolean(), "the chain stays intact");
    }

    @Test
    void anIdResentWithOtherContentIsAConflictAndStoresNothingOfItsBatch() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        assertEquals(201, send(s, id, event("1-x", "agent.started", "{}")).statusCode());
        HttpResponse<String> r = send(s, id, event("2-y", "agent.stopped", "{}"), event("1-x", "agent.started",
                "{\"mode\":\"other\"}"));
        assertEquals("conflict", TestServer.errorCode(r));
        assertEquals(1, listed(id).path("total").asLong(), "2-y was not stored either");
    }

    @Test
    void refusesMalformedEventsForeignSignaturesAndUnattestedStations() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        assertEquals("invalid_field", TestServer.errorCode(send(s, id, event("bad id", "x", "{}"))));
        assertEquals("invalid_field", TestServer.errorCode(send(s, id, event("1", "x'; DROP TABLE machines;--", "{}"))));
        assertEquals("invalid_field", TestServer.errorCode(send(s, id, event("1", "x", "[1,2]"))));
        assertEquals("invalid_field", TestServer.errorCode(send(s, id, event("1", "x",
                "{\"a\":\"" + "z".repeat(5000) + "\"}"))));
        assertEquals("invalid_field", TestServer.errorCode(send(s, id)));
        assertEquals("invalid_field", TestServer.errorCode(send(s, id,
                "{\"eventId\":\"1\",\"time\":\"yesterday\",\"event\":\"x\"}")));
        assertEquals(0, listed(id).path("total").asLong());
        SoftwareStation u = new SoftwareStation();
        String unattested = server.seedMachine(u, EnrollmentState.ACTIVE, false);
        assertEquals("machine_unattested", TestServer.errorCode(send(u, unattested, event("1", "x", "{}"))));
        SoftwareStation other = new SoftwareStation();
        HttpResponse<String> forged = server.stations.send("POST", PATH, "{\"events\":[" + event("1", "x", "{}") + "]}", id,
                StationClient.jcaSigner(other.machineKey()));
        assertEquals("signature_invalid", TestServer.errorCode(forged));
        assertEquals(0, listed(id).path("total").asLong());
    }
}
