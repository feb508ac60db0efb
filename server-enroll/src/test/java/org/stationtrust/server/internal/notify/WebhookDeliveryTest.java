package org.stationtrust.server.internal.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.bench.PrometheusText;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.attest.OverdueSweep;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.store.AttestationStore;
import org.stationtrust.server.internal.store.WebhookStore;
import org.stationtrust.server.testing.SoftwareEnrollee;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.server.testing.WebhookReceiver;
import org.stationtrust.testsupport.MovableClock;
import org.stationtrust.testsupport.TestPostgres;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;

/** Webhooks delivered to a real HTTP receiver on loopback: every event, a receiver down, slow, or answering 500. */
class WebhookDeliveryTest {
    /** Loopback receivers need private targets allowed; short retries and timeout keep the test quick. */
    static final ServerConfig.WebhookPolicy FAST = new ServerConfig.WebhookPolicy(true, Duration.ofMillis(200),
            Duration.ofSeconds(1), 5, Duration.ofSeconds(2));
    static final String SECRET = "whsec_test_0123456789abcdefghijklmnopqrstuvwxyz";

    @TempDir
    Path dir;

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    static String createWebhook(TestServer server, String url, String... events) {
        StringBuilder list = new StringBuilder();
        for (String e : events) list.append(list.length() == 0 ? "" : ",").append('"').append(e).append('"');
        HttpResponse<String> r = server.as(Role.ADMIN, "POST", "/api/v1/admin/webhooks", "{\"url\":\"" + url
                + "\",\"events\":[" + list + "],\"secret\":\"" + SECRET + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(SECRET, TestServer.json(r).path("secret").asText(), "the secret is shown at creation");
        return TestServer.json(r).path("id").asText();
    }

    static List<JsonNode> deliveries(TestServer server) {
        List<JsonNode> out = new ArrayList<>();
        TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/webhooks/deliveries?limit=1000", null))
                .path("deliveries").forEach(out::add);
        return out;
    }

    static void decide(TestServer server, String id, String decision) {
        HttpResponse<String> r = server.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + id + "/" + decision,
                "{\"reason\":\"webhook test\"}");
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void refusesOtherSchemesPrivateTargetsUnknownEventsAndShortSecretsByDefault() {
        try (TestServer server = TestServer.start(dir)) {
            for (String url : List.of("ftp://example.org/hook", "file:///etc/passwd", "gopher://example.org/",
                    "http://user:pw@example.org/hook", "http://127.0.0.1:9/hook", "http://10.1.2.3/hook",
                    "http://169.254.169.254/latest/meta-data", "http://[::1]/hook", "http://localhost/hook")) {
                HttpResponse<String> r = server.as(Role.ADMIN, "POST", "/api/v1/admin/webhooks", "{\"url\":\"" + url
                        + "\",\"events\":[\"machine.revoked\"]}");
                assertEquals(400, r.statusCode(), url + ": " + r.body());
                assertEquals("invalid_field", TestServer.errorCode(r));
            }
            HttpResponse<String> loopback = server.as(Role.ADMIN, "POST", "/api/v1/admin/webhooks",
                    "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"machine.revoked\"]}");
            assertTrue(loopback.body().contains("--webhook-allow-private-targets"), loopback.body());
            HttpResponse<String> unknown = server.as(Role.ADMIN, "POST", "/api/v1/admin/webhooks",
                    "{\"url\":\"https://203.0.113.7/hook\",\"events\":[\"machine.exploded\"]}");
            assertEquals(400, unknown.statusCode());
            assertTrue(unknown.body().contains("machine.exploded"), unknown.body());
            HttpResponse<String> shortSecret = server.as(Role.ADMIN, "POST", "/api/v1/admin/webhooks",
                    "{\"url\":\"https://203.0.113.7/hook\",\"events\":[\"machine.revoked\"],\"secret\":\"short\"}");
            assertEquals(400, shortSecret.statusCode());
            assertEquals(403, server.as(Role.APPROVER, "POST", "/api/v1/admin/webhooks",
                    "{\"url\":\"https://203.0.113.7/hook\",\"events\":[\"machine.revoked\"]}").statusCode());
            HttpResponse<String> generated = server.as(Role.ADMIN, "POST", "/api/v1/admin/webhooks",
                    "{\"url\":\"https://203.0.113.7/hook\",\"events\":[\"machine.revoked\"]}");
            assertEquals(201, generated.statusCode(), generated.body());
            assertTrue(TestServer.json(generated).path("secret").asText().startsWith("whsec_"));
            assertFalse(server.as(Role.ADMIN, "GET", "/api/v1/admin/webhooks", null).body().contains("whsec_"),
                    "a listed webhook never shows its secret");
            assertTrue(new AuditLog(server.db).recent(100).stream().anyMatch(e -> e.action().equals("webhook.create")
                    && e.outcome().equals("REFUSED")), "refused configurations are audited");
        }
    }

    @Test
    void classifiesAddressesAsPublicOnlyOutsideLoopbackPrivateLinkLocalAndSharedRanges() throws Exception {
        for (String a : List.of("127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "::1", "fe80::1", "fc00::1", "fd12::1", "::")) {
            assertFalse(WebhookTarget.isPublic(java.net.InetAddress.getByName(a)), a);
        }
        for (String a : List.of("8.8.8.8", "203.0.113.7", "100.128.0.1", "172.32.0.1", "2001:4860:4860::8888")) {
            assertTrue(WebhookTarget.isPublic(java.net.InetAddress.getByName(a)), a);
        }
    }

    @Test
    void deliversEveryEventOnceSignedOverTimestampAndBodyWithItsIdempotencyKey() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
             TestServer server = TestServer.start(dir, b -> b.webhooks(FAST).rateLimits(100, 100, 100))) {
            createWebhook(server, receiver.url(), "enrollment.pending_approval", "machine.approved", "machine.rejected",
                    "machine.revoked", "attestation.failed", "machine.overdue");
            SoftwareEnrollee enrollee = new SoftwareEnrollee("hooked");
            HttpResponse<String> begun = server.stations.sendRaw("POST", "/api/v1/enrollments", enrollee.enrollmentBody(), null);
            assertEquals(201, begun.statusCode(), begun.body());
            enrollee.machineId = TestServer.json(begun).path("machineId").asText();
            assertEquals(200, server.stations.sendRaw("POST", "/api/v1/enrollments/" + enrollee.machineId
                    + "/activation", enrollee.activationBody(TestServer.json(begun)), null).statusCode());
            decide(server, enrollee.machineId, "approve");
            decide(server, server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false), "reject");
            SoftwareStation station = new SoftwareStation();
            String attested = server.seedMachine(station, EnrollmentState.ACTIVE, true);
            String forged = Base64.getEncoder().encodeToString(new byte[32]);
            assertEquals(403, server.stations.send("POST", "/api/v1/attestation/quotes", station.quoteBody(forged),
                    attested, station::signWithMachineKey).statusCode());
            decide(server, attested, "revoke");
            MovableClock clock = MovableClock.frozenNow();
            clock.advance(Duration.ofHours(25));
            OverdueSweep sweep = new OverdueSweep(server.db, new AttestationStore(server.db), new AuditLog(server.db),
                    new Webhooks(new WebhookStore(server.db), new AuditLog(server.db), FAST), Duration.ofHours(24), clock);
            assertEquals(1, sweep.runOnce().marked(), "the approved enrollee is overdue 25 hours later");

            await("six deliveries", () -> receiver.processed().size() == 6);
            Set<String> types = new TreeSet<>();
            for (WebhookReceiver.Received r : receiver.received()) {
                assertTrue(r.signatureValid(), "signature over timestamp and body: " + r);
                JsonNode body = TestServer.JSON.readTree(r.body());
                assertEquals(r.deliveryId(), body.path("deliveryId").asText(), "the idempotency key is in the signed body");
                assertEquals(r.event(), body.path("type").asText());
                assertFalse(body.path("machine").path("id").asText().isEmpty());
                types.add(r.event());
            }
            assertEquals(Set.of("enrollment.pending_approval", "machine.approved", "machine.rejected", "machine.revoked",
                    "attestation.failed", "machine.overdue"), types);
            assertEquals(6, receiver.received().size(), "no failure, so no resend");
            await("the log records every delivery", () -> deliveries(server).stream().allMatch(d ->
                    d.path("status").asText().equals("DELIVERED") && d.path("attempts").asInt() == 1
                            && d.path("lastHttpStatus").asInt() == 200));
            PrometheusText m = PrometheusText.parse(server.as(Role.AUDITOR, "GET", "/metrics", null).body());
            assertEquals(1.0, m.value("stationtrust_webhook_deliveries_total", Map.of("event", "machine_revoked",
                    "outcome", "delivered")));
            assertEquals(0.0, m.value("stationtrust_webhook_outbox_pending", Map.of()));
        }
    }

    /** Quotes PCRs that this boot's log replays to, sending the log; answers the quote route's status. */
    private static int attestBoot(TestServer server, SoftwareStation station, String id, SyntheticEventLog boot) {
        station.pcrs().clear();
        station.pcrs().putAll(boot.pcrs(HashAlgorithm.SHA256));
        for (int i = 0; i < 8; i++) station.pcrs().putIfAbsent(i, new byte[32]);
        String nonce = TestServer.json(server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id,
                StationClient.jcaSigner(station.machineKey()))).path("nonce").asText();
        return server.stations.send("POST", "/api/v1/attestation/quotes", station.quoteBody(nonce, boot.bytes()), id,
                StationClient.jcaSigner(station.machineKey())).statusCode();
    }

    @Test
    void aChangedBootStateIsDeliveredOncePerChangeAndNotForTheSameVerdictAgain() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
             TestServer server = TestServer.start(dir, b -> b.webhooks(FAST).rateLimits(100, 100, 100))) {
            server.fleetBootPolicy();
            createWebhook(server, receiver.url(), "machine.boot_state_changed");
            SyntheticBoot boot = SyntheticBoot.typical(); // a mutable builder: each log taken before the next change
            SyntheticEventLog v100 = boot.log(HashAlgorithm.SHA256);
            SyntheticEventLog v101 = boot.firmware("StationBIOS 1.01", "image 1.01".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII)).log(HashAlgorithm.SHA256);
            SyntheticEventLog secureBootOff = boot.secureBoot(false).log(HashAlgorithm.SHA256);
            SoftwareStation station = new SoftwareStation();
            String id = server.seedMachine(station, EnrollmentState.ACTIVE, true);

            assertEquals(200, attestBoot(server, station, id, v100), "first boot: PASSED");
            assertEquals(200, attestBoot(server, station, id, v100), "same boot: PASSED");
            assertEquals(200, attestBoot(server, station, id, v101), "firmware update: PASSED_CHANGED");
            assertEquals(403, attestBoot(server, station, id, secureBootOff));
            assertEquals(403, attestBoot(server, station, id, secureBootOff), "the same refusal again");
            assertEquals(200, attestBoot(server, station, id, v101), "the accepted boot again: PASSED");

            await("three deliveries", () -> receiver.processed().size() == 3);
            Thread.sleep(1_000); // room for a wrongly queued fourth to arrive
            List<WebhookReceiver.Received> got = receiver.received();
            assertEquals(3, got.size(), "a first pass, a repeated pass and a repeated refusal are not changes: " + got);
            java.util.SortedMap<String, String> details = new java.util.TreeMap<>(); // by event id: time-ordered
            for (WebhookReceiver.Received r : got) {
                assertTrue(r.signatureValid(), r.toString());
                assertEquals("machine.boot_state_changed", r.event());
                JsonNode body = TestServer.JSON.readTree(r.body());
                assertEquals(id, body.path("machine").path("id").asText());
                assertFalse(body.path("machine").path("name").asText().isEmpty(), "the machine is named");
                details.put(body.path("eventId").asText(), body.path("detail").asText());
            }
            List<String> inOrder = new ArrayList<>(details.values());
            assertTrue(inOrder.get(0).startsWith("boot PASSED -> PASSED_CHANGED: ")
                    && inOrder.get(0).contains("StationBIOS 1.01"), inOrder.get(0));
            assertTrue(inOrder.get(1).startsWith("boot PASSED_CHANGED -> pcr_policy_violation (rule requireSecureBoot)"),
                    inOrder.get(1));
            assertEquals("boot pcr_policy_violation -> PASSED", inOrder.get(2));
            assertTrue(deliveries(server).stream().allMatch(d -> d.path("event").asText()
                    .equals("machine.boot_state_changed")), deliveries(server).toString());
        }
    }

    @Test
    void aReceiverThatIsDownGetsTheDeliveryOnceItIsBack() throws Exception {
        int port;
        try (WebhookReceiver probe = WebhookReceiver.start(SECRET)) {
            port = probe.port();
        }
        try (TestServer server = TestServer.start(dir, b -> b.webhooks(FAST))) {
            createWebhook(server, "http://127.0.0.1:" + port + "/hook", "machine.rejected");
            decide(server, server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false), "reject");
            await("two failed attempts", () -> deliveries(server).get(0).path("attempts").asInt() >= 2);
            JsonNode failing = deliveries(server).get(0);
            assertEquals("PENDING", failing.path("status").asText());
            assertTrue(failing.path("lastError").asText().contains("ConnectException"), failing.toString());
            try (WebhookReceiver receiver = WebhookReceiver.startOn(SECRET, port)) {
                await("the delivery", () -> deliveries(server).get(0).path("status").asText().equals("DELIVERED"));
                assertEquals(Set.of(failing.path("id").asText()), receiver.processed());
                assertEquals(1, receiver.received().size());
            }
        }
    }

    @Test
    void aReceiverAnswering500IsRetriedWithDoublingCappedDelaysThenGivenUpAndAudited() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
             TestServer server = TestServer.start(dir, b -> b.webhooks(FAST))) {
            receiver.behave((id, n) -> new WebhookReceiver.Answer(500, 0));
            createWebhook(server, receiver.url(), "machine.rejected");
            decide(server, server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false), "reject");
            await("the delivery given up", () -> deliveries(server).get(0).path("status").asText().equals("FAILED"));
            JsonNode d = deliveries(server).get(0);
            assertEquals(5, d.path("attempts").asInt());
            assertEquals(500, d.path("lastHttpStatus").asInt());
            List<WebhookReceiver.Received> got = receiver.received();
            assertEquals(5, got.size(), "one request per attempt, none after giving up");
            long[] expected = {200, 400, 800, 1000}; // doubling from 200 ms, capped at 1 s
            for (int i = 1; i < got.size(); i++) {
                long gap = got.get(i).atMillis() - got.get(i - 1).atMillis();
                assertTrue(gap >= expected[i - 1] - 20 && gap <= expected[i - 1] + 1500,
                        "gap " + i + " was " + gap + " ms, expected about " + expected[i - 1]);
            }
            assertTrue(new AuditLog(server.db).recent(50).stream().anyMatch(e ->
                    e.action().equals("webhook.delivery_failed") && e.subject().equals(d.path("id").asText())));
        }
    }

    @Test
    void aSlowReceiverIsRetriedUnderTheSameIdempotencyKeyAndProcessesTheEventOnce() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
             TestServer server = TestServer.start(dir, b -> b.webhooks(FAST))) {
            receiver.behave((id, n) -> n == 1 ? new WebhookReceiver.Answer(200, 3_000) : WebhookReceiver.Answer.OK);
            createWebhook(server, receiver.url(), "machine.rejected");
            decide(server, server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false), "reject");
            await("the delivery", () -> deliveries(server).get(0).path("status").asText().equals("DELIVERED"));
            JsonNode d = deliveries(server).get(0);
            assertEquals(2, d.path("attempts").asInt(), "the first attempt timed out (2 s) and counted as failed");
            assertEquals(2, receiver.received().size(), "the at-least-once duplicate");
            assertEquals(receiver.received().get(0).deliveryId(), receiver.received().get(1).deliveryId());
            assertEquals(receiver.received().get(0).body(), receiver.received().get(1).body(), "identical bodies");
            assertEquals(1, receiver.processed().size(), "made harmless by the idempotency key");
        }
    }

    @Test
    void twoInstancesOnPostgresqlNeverSendTheSameDeliveryAtTheSameTime() throws Exception {
        assumeTrue(TestPostgres.binaries() != null, "PostgreSQL not installed: apt-get install -y postgresql");
        try (TestPostgres postgres = TestPostgres.start(); WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
            String url = postgres.createDatabase("hooks");
            receiver.behave((id, n) -> new WebhookReceiver.Answer(200, 150));
            try (TestServer a = TestServer.start(url, "postgres", null, b -> b.webhooks(FAST));
                 TestServer b = TestServer.second(url, "postgres", null, a.tokens, c -> c.webhooks(FAST))) {
                createWebhook(a, receiver.url(), "machine.rejected");
                for (int i = 0; i < 16; i++) {
                    decide(i % 2 == 0 ? a : b, a.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL,
                            false), "reject");
                }
                await("sixteen deliveries", () -> receiver.processed().size() == 16);
                await("all recorded", () -> deliveries(a).stream().allMatch(d -> d.path("status").asText()
                        .equals("DELIVERED")));
                assertEquals(16, receiver.received().size(), "each delivery sent once: no instance sent another's");
                assertEquals(1, receiver.maxConcurrentRequestsForOneDelivery());
            }
        }
    }
}
