package org.stationtrust.server.internal.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.bench.PrometheusText;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.store.AttestationStore;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.Migrations;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.MovableClock;
import org.stationtrust.testsupport.TestPostgres;

/** The overdue sweep with a clock the test moves, on SQLite (through a running server) and on PostgreSQL. */
class OverdueSweepTest {
    private static final Duration INTERVAL = Duration.ofHours(1);

    @TempDir
    Path dir;

    private static OverdueSweep sweep(Database db, MovableClock clock) {
        return new OverdueSweep(db, new AttestationStore(db), new AuditLog(db), (c, e) -> { }, INTERVAL, clock);
    }

    private static long overdueAudits(Database db) {
        return new AuditLog(db).recent(1000).stream().filter(e -> e.action().equals("attestation.overdue")).count();
    }

    private static String status(TestServer s, String id) {
        return TestServer.json(s.as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + id, null))
                .path("attestationStatus").asText();
    }

    private static String machinesPage(TestServer server) {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        HttpResponse<String> login = server.login(client, "auditor", TestServer.PASSWORD);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        try {
            return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/admin/machines")))
                    .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void marksMachinesOverdueOnceWhenTheirLastSuccessPassesTheIntervalAndAPassingQuoteClearsIt() {
        SoftwareStation station = new SoftwareStation();
        try (TestServer server = TestServer.start(dir, b -> b.attestationInterval(INTERVAL))) {
            String attested = server.seedMachine(station, EnrollmentState.ACTIVE, true);
            String neverAttested = server.seedMachine(new SoftwareStation(), EnrollmentState.ACTIVE, false);
            server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
            MovableClock clock = MovableClock.frozenNow();
            OverdueSweep sweep = sweep(server.db, clock);

            clock.advance(INTERVAL.minusMinutes(1));
            assertEquals(new OverdueSweep.Outcome(false, 0), sweep.runOnce(), "within the interval nothing is overdue");
            clock.advance(Duration.ofMinutes(2));
            assertEquals(new OverdueSweep.Outcome(false, 2), sweep.runOnce(), "both ACTIVE machines, not the pending one");
            assertEquals(new OverdueSweep.Outcome(false, 0), sweep.runOnce(), "a transition happens once");
            clock.advance(Duration.ofHours(5));
            assertEquals(new OverdueSweep.Outcome(false, 0), sweep.runOnce());
            assertEquals(2, overdueAudits(server.db), "audited once per transition");

            assertEquals("OVERDUE", status(server, attested), "the API shows the sweep's mark");
            assertEquals("OVERDUE", status(server, neverAttested));
            PrometheusText m = PrometheusText.parse(server.as(Role.AUDITOR, "GET", "/metrics", null).body());
            assertEquals(2.0, m.value("stationtrust_machines_overdue", Map.of()));
            assertTrue(machinesPage(server).contains("data-machine=\"" + attested + "\""));
            assertTrue(machinesPage(server).contains("<td class=\"warn\">OVERDUE</td>"), "the admin page shows it");

            // An overdue machine may still attest (nonce and quote need ACTIVE only); a pass sets it back to OK.
            HttpResponse<String> nonce = server.stations.send("POST", "/api/v1/attestation/nonces",
                    "{\"purpose\":\"quote\"}", attested, station::signWithMachineKey);
            assertEquals(201, nonce.statusCode(), nonce.body());
            HttpResponse<String> quote = server.stations.send("POST", "/api/v1/attestation/quotes",
                    station.quoteBody(TestServer.json(nonce).path("nonce").asText()), attested,
                    station::signWithMachineKey);
            assertEquals(200, quote.statusCode(), quote.body());
            assertEquals("OK", status(server, attested));
            assertTrue(new AuditLog(server.db).recent(50).stream().anyMatch(e -> e.action().equals("attestation.pass")
                    && e.subject().equals(attested) && e.detail().equals("status OVERDUE -> OK")));
        }
    }

    @Test
    void twoInstancesOnPostgresqlMarkEachMachineOnceAndOneSweepsAtATime() throws Exception {
        assumeTrue(TestPostgres.binaries() != null, "PostgreSQL not installed: apt-get install -y postgresql");
        try (TestPostgres postgres = TestPostgres.start()) {
            String url = postgres.createDatabase("sweep");
            try (Database a = Database.open(url, "postgres", null); Database b = Database.open(url, "postgres", null)) {
                new Migrations(a).apply();
                for (int i = 0; i < 40; i++) TestServer.seedMachine(a, new SoftwareStation(), EnrollmentState.ACTIVE, true);
                MovableClock clock = MovableClock.frozenNow();
                OverdueSweep sweepA = sweep(a, clock);
                OverdueSweep sweepB = sweep(b, clock);

                try (Connection holder = a.connection(); Statement s = holder.createStatement()) {
                    holder.setAutoCommit(false);
                    s.execute("SELECT pg_advisory_xact_lock(" + OverdueSweep.LOCK_KEY + ")");
                    clock.advance(INTERVAL.plusMinutes(1));
                    assertEquals(new OverdueSweep.Outcome(true, 0), sweepB.runOnce(),
                            "while another instance holds the lock, a sweep skips its turn");
                    holder.rollback();
                    holder.setAutoCommit(true);
                }

                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<OverdueSweep.Outcome>> runs = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    Callable<OverdueSweep.Outcome> run = (i % 2 == 0 ? sweepA : sweepB)::runOnce;
                    runs.add(pool.submit(run));
                }
                int marked = 0;
                for (Future<OverdueSweep.Outcome> f : runs) marked += f.get().marked();
                pool.shutdown();
                assertEquals(40, marked, "every machine marked exactly once across both instances");
                assertEquals(40, overdueAudits(a), "one audit row per machine");
            }
        }
    }
}
