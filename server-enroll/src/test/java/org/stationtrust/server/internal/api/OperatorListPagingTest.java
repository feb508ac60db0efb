package org.stationtrust.server.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.store.PacketReceiptStore;
import org.stationtrust.server.testing.ConsoleFleet;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;

/**
 * The operator API's lists (machines, enrollments, enrollment tokens, the audit chain) answer by pages that a client
 * follows with {@code next} to the whole set (docs/server-api.md): against a real server over a fleet of 2,500
 * machines.
 */
class OperatorListPagingTest {
    private static final int FLEET = 2_500;
    private static final int TIED = 20;

    @TempDir
    static Path dir;

    private static TestServer server;
    private static List<ConsoleFleet.Generated> fleet;
    private static final Set<String> tied = new HashSet<>();

    @BeforeAll
    static void startWithAFleet() {
        server = TestServer.start(dir, b -> b.rateLimits(100_000, 100_000, 100_000));
        long start = System.currentTimeMillis() - Duration.ofDays(3).toMillis();
        fleet = ConsoleFleet.seed(server.db, "a11a11", 0, FLEET, start);
        // machines enrolled in the same millisecond as one of the fleet, across the end of the first page of 200
        // (newest first): the cursor must tell them apart by id
        long instant = fleet.get(FLEET - 1 - 190).createdAt();
        for (int i = 0; i < TIED; i++) {
            tied.add(ConsoleFleet.seedNamed(server.db, String.format("b22b22%026x", i), "tied-" + i, instant));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void listsEveryMachineExactlyOnceByFollowingCursorsWhileNewEnrollmentsArrive() {
        Set<String> expected = new HashSet<>(tied);
        fleet.forEach(g -> expected.add(g.id()));
        SoftwareStation station = new SoftwareStation();
        List<String> seen = new ArrayList<>();
        Set<String> arrived = new HashSet<>();
        String after = null;
        int pages = 0;
        do {
            JsonNode page = ok(Role.AUDITOR, "/api/v1/admin/machines?limit=200" + cursor(after));
            assertTrue(page.path("machines").size() <= 200, "a page holds at most the limit");
            page.path("machines").forEach(m -> seen.add(m.path("machineId").asText()));
            assertTrue(page.has("next"), "every page says whether another follows");
            after = page.path("next").isNull() ? null : page.path("next").asText();
            arrived.add(server.seedMachine(station, EnrollmentState.PENDING_APPROVAL, false));
            pages++;
        } while (after != null);

        assertEquals(seen.size(), new HashSet<>(seen).size(), "no machine is listed twice");
        Set<String> missing = new HashSet<>(expected);
        seen.forEach(missing::remove);
        assertEquals(Set.of(), missing, "every machine present at the first page is listed");
        Set<String> unknown = new HashSet<>(seen);
        unknown.removeAll(expected);
        unknown.removeAll(arrived);
        assertEquals(Set.of(), unknown, "nothing but the fleet and the new arrivals is listed");
        assertTrue(pages >= (FLEET + TIED) / 200, "the fleet took " + pages + " pages of 200");
    }

    @Test
    void aListWithoutLimitAnswersTheDefaultPageAndSaysMoreFollow() {
        JsonNode page = ok(Role.AUDITOR, "/api/v1/admin/machines");
        assertEquals(AdminApi.LIST_PAGE, page.path("machines").size());
        assertTrue(page.path("next").isTextual(), "a first page of a larger fleet names the next: " + page.path("next"));
    }

    @Test
    void listsEveryPendingEnrollmentByFollowingCursors() {
        Set<String> expected = new HashSet<>(tied);
        fleet.stream().filter(g -> g.state() == EnrollmentState.PENDING_APPROVAL).forEach(g -> expected.add(g.id()));
        Set<String> seen = new HashSet<>();
        int rows = 0;
        String after = null;
        do {
            JsonNode page = ok(Role.AUDITOR, "/api/v1/admin/enrollments?state=PENDING_APPROVAL&limit=150"
                    + cursor(after));
            for (JsonNode m : page.path("enrollments")) {
                assertEquals("PENDING_APPROVAL", m.path("state").asText());
                seen.add(m.path("machineId").asText());
                rows++;
            }
            after = page.path("next").isNull() ? null : page.path("next").asText();
        } while (after != null);
        assertEquals(rows, seen.size(), "no enrollment is listed twice");
        assertTrue(seen.containsAll(expected), "every pending enrollment is listed");
    }

    @Test
    void listsEveryEnrollmentTokenByFollowingCursors() {
        Set<String> issued = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            HttpResponse<String> r = server.as(Role.ADMIN, "POST", "/api/v1/admin/enrollment-tokens",
                    "{\"note\":\"paging " + i + "\"}");
            assertEquals(201, r.statusCode(), r.body());
            issued.add(TestServer.json(r).path("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = ok(Role.APPROVER, "/api/v1/admin/enrollment-tokens?limit=2" + cursor(after));
            assertTrue(page.path("enrollmentTokens").size() <= 2);
            page.path("enrollmentTokens").forEach(t -> seen.add(t.path("id").asText()));
            after = page.path("next").isNull() ? null : page.path("next").asText();
        } while (after != null);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no token is listed twice");
        assertTrue(seen.containsAll(issued), "every token is listed: " + seen);
    }

    @Test
    void refusesALimitOutsideItsBoundsNamingThem() {
        for (String path : List.of("/api/v1/admin/machines", "/api/v1/admin/enrollments",
                "/api/v1/admin/enrollment-tokens")) {
            for (String limit : List.of("0", "201", "-1", "ten", "99999999999")) {
                HttpResponse<String> r = server.as(Role.ADMIN, "GET", path + "?limit=" + limit, null);
                assertEquals(400, r.statusCode(), path + " limit " + limit);
                assertEquals("invalid_field", TestServer.errorCode(r));
                assertTrue(TestServer.json(r).path("error").path("message").asText().contains("1..200"), r.body());
            }
            assertEquals(200, server.as(Role.ADMIN, "GET", path + "?limit=200", null).statusCode());
            assertEquals(200, server.as(Role.ADMIN, "GET", path + "?limit=1", null).statusCode());
        }
    }

    @Test
    void refusesAMalformedOrForgedCursorWithoutAStackTrace() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        List<String> cursors = List.of("!!not-base64!!", "x".repeat(500), b64.encodeToString(
                "no separator".getBytes(StandardCharsets.UTF_8)), b64.encodeToString(
                "yesterday\nabc".getBytes(StandardCharsets.UTF_8)), b64.encodeToString(
                "1700000000000\n../../machines".getBytes(StandardCharsets.UTF_8)), b64.encodeToString(
                "1700000000000\n".getBytes(StandardCharsets.UTF_8)), b64.encodeToString(
                ("1700000000000\n" + "a".repeat(65)).getBytes(StandardCharsets.UTF_8)));
        for (String path : List.of("/api/v1/admin/machines", "/api/v1/admin/enrollments",
                "/api/v1/admin/enrollment-tokens")) {
            for (String c : cursors) {
                HttpResponse<String> r = server.as(Role.ADMIN, "GET", path + "?after="
                        + URLEncoder.encode(c, StandardCharsets.UTF_8), null);
                assertEquals(400, r.statusCode(), path + " cursor " + c + ": " + r.body());
                assertEquals("invalid_field", TestServer.errorCode(r));
                String message = TestServer.json(r).path("error").path("message").asText();
                assertTrue(message.startsWith("after: Malformed page cursor"), message);
                assertFalse(r.body().contains("Exception") || r.body().contains("at org."), r.body());
            }
        }
    }

    @Test
    void listsEveryPacketReceiptAndStationEventOfAMachineByFollowingCursors() {
        String machine = fleet.get(0).id();
        PacketReceiptStore receipts = new PacketReceiptStore(server.db);
        Set<String> packets = new HashSet<>();
        for (int i = 0; i < 230; i++) {
            String id = "pkt.2026:" + i; // received within a few milliseconds: the cursor must tell ties apart by id
            receipts.record(machine, id, "ab".repeat(32), "key-1");
            packets.add(id);
        }
        Set<String> events = new HashSet<>();
        server.db.inTransaction(c -> {
            try (var st = c.prepareStatement("INSERT INTO station_audit_events (machine_id, event_id, occurred_at, event, "
                    + "fields, sha256, received_at) VALUES (?, ?, ?, 'capture.completed', '{}', ?, ?)")) {
                for (int i = 0; i < 130; i++) {
                    String id = "ev-" + i;
                    st.setString(1, machine);
                    st.setString(2, id);
                    st.setString(3, String.format("2026-01-02T03:%02d:00Z", i / 10)); // ten events per instant
                    st.setString(4, "cd".repeat(32));
                    st.setLong(5, System.currentTimeMillis());
                    st.executeUpdate();
                    events.add(id);
                }
            }
            return null;
        });
        assertEquals(packets, walk("/api/v1/admin/machines/" + machine + "/packets?limit=50", "packets", "packetId"));
        assertEquals(events, walk("/api/v1/admin/machines/" + machine + "/audit-events?limit=40", "events", "eventId"));
        for (String list : List.of("packets", "audit-events")) {
            HttpResponse<String> r = server.as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + machine + "/" + list
                    + "?after=%21%21not-a-cursor", null);
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(TestServer.json(r).path("error").path("message").asText().startsWith("after: Malformed page cursor"),
                    r.body());
        }
    }

    /** Every {@code idField} of the {@code rows} of a list, followed from its first page to its last; none twice. */
    private static Set<String> walk(String firstPage, String rows, String idField) {
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = ok(Role.AUDITOR, firstPage + cursor(after));
            page.path(rows).forEach(r -> seen.add(r.path(idField).asText()));
            after = page.path("next").isNull() ? null : page.path("next").asText();
        } while (after != null);
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no row listed twice: " + seen);
        return new HashSet<>(seen);
    }

    @Test
    void walksTheWholeAuditChainByFollowingCursorsWhileRowsAreAppended() {
        AuditLog audit = new AuditLog(server.db);
        for (int i = 0; i < 450; i++) {
            audit.append("cli", "paging.test", "row-" + i, AuditOutcome.OK, "seeded");
        }
        long seeded = audit.recent(1).get(0).seq();
        List<Long> seen = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = ok(Role.AUDITOR, "/api/v1/admin/audit?limit=100" + cursor(after));
            assertTrue(page.path("events").size() <= 100, "a page holds at most the limit");
            page.path("events").forEach(e -> seen.add(e.path("seq").asLong()));
            after = page.path("next").isNull() ? null : page.path("next").asText();
            audit.append("cli", "paging.test", "meanwhile", AuditOutcome.OK, "written while the client pages");
        } while (after != null);
        long newest = seen.get(0);
        assertTrue(newest >= seeded, "the first page starts at the newest row");
        List<Long> expected = new ArrayList<>();
        for (long seq = newest; seq >= 1; seq--) expected.add(seq);
        assertEquals(expected, seen, "every row present at the first page, once, newest first, down to row 1");
    }

    @Test
    void refusesAMalformedAuditCursorNamingWhatItWants() {
        for (String c : List.of("0", "-5", "abc", "12a", "1".repeat(19))) {
            HttpResponse<String> r = server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?after="
                    + URLEncoder.encode(c, StandardCharsets.UTF_8), null);
            assertEquals(400, r.statusCode(), c + ": " + r.body());
            assertEquals("invalid_field", TestServer.errorCode(r));
            assertTrue(TestServer.json(r).path("error").path("message").asText().startsWith("after must be the next"),
                    r.body());
        }
    }

    @Test
    void anAuditorMayListMachinesAndEnrollmentsAndAnApproverTokensAsBefore() {
        assertEquals(200, server.as(Role.AUDITOR, "GET", "/api/v1/admin/machines?limit=1", null).statusCode());
        assertEquals(200, server.as(Role.AUDITOR, "GET", "/api/v1/admin/enrollments?limit=1", null).statusCode());
        assertEquals(403, server.as(Role.AUDITOR, "GET", "/api/v1/admin/enrollment-tokens", null).statusCode());
        assertEquals(200, server.as(Role.APPROVER, "GET", "/api/v1/admin/enrollment-tokens", null).statusCode());
        assertEquals(401, server.request("GET", "/api/v1/admin/machines", null, null).statusCode());
    }

    private static JsonNode ok(Role role, String path) {
        HttpResponse<String> r = server.as(role, "GET", path, null);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return TestServer.json(r);
    }

    private static String cursor(String after) {
        return after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8);
    }
}
