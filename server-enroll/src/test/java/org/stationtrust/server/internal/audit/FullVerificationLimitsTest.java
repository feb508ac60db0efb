package org.stationtrust.server.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.testing.TestServer;

/** Full audit-chain verifications are bounded (docs/server-api.md, "Rate limits"); the incremental check is not. */
class FullVerificationLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aSecondFullVerificationByTheSameOperatorWithinThirtySecondsIsRefusedWithWhenToRetry() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> first = server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit/verify?full=true", null);
            assertEquals(200, first.statusCode(), first.body());
            assertTrue(TestServer.json(first).path("full").asBoolean());

            HttpResponse<String> again = server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit/verify?full=true", null);
            assertEquals(429, again.statusCode(), again.body());
            assertEquals("rate_limited", TestServer.errorCode(again));
            long retry = Long.parseLong(again.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retry >= 25 && retry <= 30, "Retry-After says the rest of the 30 s: " + retry);
            assertTrue(TestServer.json(again).path("error").path("message").asText().contains("retry in " + retry + " s"),
                    again.body());

            for (int i = 0; i < 5; i++) {
                assertEquals(200, server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit/verify", null).statusCode(),
                        "the incremental check stays unlimited");
            }
            assertEquals(200, server.as(Role.ADMIN, "GET", "/api/v1/admin/audit/verify?full=true", null).statusCode(),
                    "another operator has an interval of their own");

            HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
            assertEquals(303, server.login(browser, "auditor", TestServer.PASSWORD).statusCode());
            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(server.url("/admin/audit?full=1")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, page.statusCode(), "the console shares the operator's interval");
            assertTrue(page.headers().firstValue("Retry-After").isPresent());
            assertTrue(page.body().contains("retry in"), page.body());
            assertEquals(200, browser.send(HttpRequest.newBuilder(URI.create(server.url("/admin/audit"))).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "the default view verifies incrementally");
        }
    }

    @Test
    void aFullVerificationWhileAnotherRunsIsRefusedAtOnceAndCostsTheOperatorNothing() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            FullVerificationGate gate = new FullVerificationGate(new AuditLog(server.db));
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<String> held = pool.submit(() -> gate.run("alice", () -> {
                    inside.countDown();
                    await(finish);
                    return "done";
                }));
                assertTrue(inside.await(10, TimeUnit.SECONDS));
                ApiException busy = assertThrows(ApiException.class, () -> gate.verify("bob"));
                assertEquals(ErrorCode.RATE_LIMITED, busy.code());
                assertEquals(FullVerificationGate.BUSY_RETRY.toSeconds(), busy.retryAfterSeconds());
                assertTrue(busy.getMessage().contains("running"), busy.getMessage());
                finish.countDown();
                assertEquals("done", held.get(10, TimeUnit.SECONDS));
                assertTrue(gate.verify("bob").intact(), "bob's refused attempt did not start his interval");
            } finally {
                finish.countDown();
                pool.shutdownNow();
            }
        }
    }

    @Test
    void concurrentFullVerificationsOverHttpRunOneAtATime() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            seedChain(server, 150_000);
            List<Role> callers = List.of(Role.AUDITOR, Role.APPROVER, Role.ADMIN);
            ExecutorService pool = Executors.newFixedThreadPool(callers.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            try {
                for (Role r : callers) {
                    answers.add(pool.submit(() -> {
                        await(go);
                        return server.as(r, "GET", "/api/v1/admin/audit/verify?full=true", null);
                    }));
                }
                go.countDown();
                int ok = 0;
                int busy = 0;
                for (Future<HttpResponse<String>> f : answers) {
                    HttpResponse<String> a = f.get(60, TimeUnit.SECONDS);
                    if (a.statusCode() == 200) {
                        ok++;
                    } else {
                        assertEquals(429, a.statusCode(), a.body());
                        assertEquals("5", a.headers().firstValue("Retry-After").orElseThrow());
                        assertTrue(a.body().contains("Another full audit-chain verification is running"), a.body());
                        busy++;
                    }
                }
                assertTrue(ok >= 1, "one of them ran");
                assertTrue(busy >= 1, "the others were refused while it ran: " + ok + " ran");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Appends n valid rows to the chain in one transaction, so that a full walk takes a noticeable time. */
    private static void seedChain(TestServer server, int n) {
        server.db.inTransaction(c -> {
            long seq;
            String prev;
            try (var q = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1"); var rs = q.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
                prev = rs.getString(2);
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO audit_events (seq, at, actor, action, subject, "
                    + "outcome, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < n; i++) {
                    seq++;
                    String hash = AuditEvent.hashOf(seq, 1L, "seed", "seed.row", "s" + i, "OK", "padding row", prev);
                    ins.setLong(1, seq);
                    ins.setLong(2, 1L);
                    ins.setString(3, "seed");
                    ins.setString(4, "seed.row");
                    ins.setString(5, "s" + i);
                    ins.setString(6, "OK");
                    ins.setString(7, "padding row");
                    ins.setString(8, prev);
                    ins.setString(9, hash);
                    ins.addBatch();
                    prev = hash;
                }
                ins.executeBatch();
            }
            try (PreparedStatement head = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
                head.setLong(1, seq);
                head.setString(2, prev);
                head.executeUpdate();
            }
            return null;
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("latch not released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
