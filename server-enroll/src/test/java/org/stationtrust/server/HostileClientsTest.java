package org.stationtrust.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.testing.RawHttp;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.FreePorts;

/**
 * Hostile clients against a real server on loopback (issue 13, "Proof"): each attacker sits on its own loopback
 * address (127.0.0.2 and up) and speaks raw HTTP/1.1, so it can hold bodies back; the operators and the station
 * use 127.0.0.1. Every figure is printed next to its limit.
 */
class HostileClientsTest {
    /** Short body deadline so that the slow bodies' fate is seen within the test. */
    static final ClientLimits QUICK = ClientLimits.builder().bodyTimeout(Duration.ofSeconds(6)).build();

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void sixHundredSlowBodiesFromOneAddressStarveNeitherHealthNorOperatorsNorAStation() throws Exception {
        try (TestServer server = TestServer.start(dir, b -> b.clientLimits(QUICK))) {
            SoftwareStation station = new SoftwareStation();
            String id = server.seedMachine(station, EnrollmentState.ACTIVE, true);
            int port = server.server.port();
            // Warm up (class loading, JIT, first crypto use) and take the quiet figure to compare with.
            long q0 = System.nanoTime();
            assertEquals(200, attest(server, station, id).statusCode());
            long quietMs = (System.nanoTime() - q0) / 1_000_000;
            List<Socket> attack = new ArrayList<>();
            int closedAtOnce = 0;
            for (int i = 0; i < 600; i++) {
                String path = i % 2 == 0 ? "/api/v1/attestation/quotes" : "/api/v1/enrollments";
                try {
                    Socket s = RawHttp.connect("127.0.0.2", port);
                    attack.add(s);
                    // an unsigned quote may bring only the standard body (64 KiB): a larger one is refused at once
                    RawHttp.write(s, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + (i % 2 == 0 ? 200_000 : 60_000) + "\r\n\r\n{");
                } catch (IOException e) {
                    closedAtOnce++;
                }
            }
            // One byte every 500 ms on every connection still open (120 bytes/s per connection at most).
            var dribble = Executors.newSingleThreadScheduledExecutor();
            dribble.scheduleAtFixedRate(() -> {
                for (Socket s : attack) {
                    try {
                        if (!s.isClosed()) s.getOutputStream().write(' ');
                    } catch (IOException gone) {
                        // the server closed it
                    }
                }
            }, 500, 500, TimeUnit.MILLISECONDS);
            try {
                long t0 = System.nanoTime();
                HttpResponse<String> health = server.request("GET", "/health", null, null);
                long healthMs = (System.nanoTime() - t0) / 1_000_000;
                t0 = System.nanoTime();
                HttpResponse<String> operator = server.as(Role.AUDITOR, "GET", "/api/v1/admin/machines", null);
                long operatorMs = (System.nanoTime() - t0) / 1_000_000;
                t0 = System.nanoTime();
                var signer = StationClient.jcaSigner(station.machineKey());
                HttpResponse<String> nonce = server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id, signer);
                long nonceMs = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(201, nonce.statusCode(), nonce.body());
                HttpResponse<String> quote = server.stations.send("POST", "/api/v1/attestation/quotes",
                        station.quoteBody(TestServer.json(nonce).path("nonce").asText()), id, signer);
                long stationMs = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("600 slow-body connections from 127.0.0.2: GET /health %d ms, operator API %d ms, "
                        + "station nonce %d ms + quote %d ms (limit 2000 ms each; %d ms for both before the attack); "
                        + "load average %.1f%n", healthMs, operatorMs, nonceMs, stationMs - nonceMs, quietMs,
                        java.lang.management.ManagementFactory
                                .getOperatingSystemMXBean().getSystemLoadAverage());
                assertEquals(200, health.statusCode());
                assertEquals(200, operator.statusCode(), operator.body());
                assertEquals(200, quote.statusCode(), quote.body());
                assertEquals("PASSED", TestServer.json(quote).path("result").asText());
                assertTrue(healthMs < 2000 && operatorMs < 2000, "health and operator answers within 2 s");
                assertTrue(nonceMs < 2000 && stationMs - nonceMs < 2000, "the station's two calls within 2 s each");
            } finally {
                dribble.shutdownNow();
            }
            // What the attacker got: answered at once (refused on its headers), closed as over the connection
            // limit, or timed out by the body deadline; nothing holds a connection longer than the deadline.
            Map<String, Integer> outcomes = new TreeMap<>();
            long deadline = System.nanoTime() + QUICK.bodyTimeout().plusSeconds(5).toNanos();
            for (Socket s : attack) {
                s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                String outcome;
                try {
                    RawHttp.Answer a = RawHttp.read(s.getInputStream());
                    outcome = a.status() + " " + a.errorCode();
                } catch (SocketTimeoutException e) {
                    outcome = "still open";
                } catch (IOException e) {
                    outcome = "closed without answer";
                }
                outcomes.merge(outcome, 1, Integer::sum);
                s.close();
            }
            outcomes.merge("closed before the request was sent", closedAtOnce, Integer::sum);
            System.out.println("attacker's 600 connections ended as: " + outcomes);
            assertFalse(outcomes.containsKey("still open"), "every slow body ended within the deadline: " + outcomes);
            assertTrue(outcomes.getOrDefault("408 body_timeout", 0) > 0, "slow bodies time out: " + outcomes);
            assertTrue(outcomes.getOrDefault("413 body_too_large", 0) > 0,
                    "unsigned quotes larger than the standard body are refused before their bodies: " + outcomes);
            for (String o : outcomes.keySet()) {
                assertFalse(o.startsWith("500"), "no internal error: " + outcomes);
            }
        }
    }

    @Test
    @Timeout(240)
    void aHundredConcurrentAnonymousEightMebibyteBodiesFitInHalfAGigabyteOfHeap() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("mem.db");
        assertEquals(0, ServerCommand.run(new String[] {"migrate", "--db", url}));
        String token = cliTokenFor(url);
        int port = FreePorts.loopback();
        Path log = dir.resolve("server.log");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(javaBin, "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), "org.stationtrust.server.ServerCommand", "serve", "--bind",
                "127.0.0.1", "--port", Integer.toString(port), "--insecure-plaintext-http", "--db", url)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitReady(port, server, log);
            ExecutorService pool = Executors.newFixedThreadPool(100);
            Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'A');
            List<Future<?>> done = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    String from = "127.0.0." + (10 + n);
                    // a third anonymous, a third with a made-up token, a third with no length at all (chunked)
                    String how = n % 3 == 0 ? "anonymous" : n % 3 == 1 ? "bad token" : "chunked";
                    String headers = "POST /api/v1/packets/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                            + "application/json\r\n" + (how.equals("bad token") ? "Authorization: Bearer sta_"
                            + "x".repeat(43) + "\r\n" : "") + (how.equals("chunked") ? "Transfer-Encoding: chunked\r\n"
                            : "Content-Length: " + (8 * 1024 * 1024) + "\r\n") + "\r\n";
                    answers.computeIfAbsent(how + " -> " + send8MiB(from, port, headers, chunk, how.equals("chunked")),
                            k -> new AtomicInteger()).incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(180, TimeUnit.SECONDS);
            pool.shutdown();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("100 concurrent anonymous 8 MiB bodies against a server with -Xmx512m, answered in " + ms
                    + " ms: " + answers);
            assertTrue(server.isAlive(), "the server survived");
            String output = Files.readString(log);
            assertFalse(output.contains("OutOfMemoryError"), "no OutOfMemoryError");
            for (String k : answers.keySet()) {
                assertTrue(k.endsWith("401 unauthenticated") || k.endsWith("413 body_too_large"), "answers stay "
                        + "correct: " + answers);
            }
            // Real work still goes through, including an operator's own packet-sized body.
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            HttpResponse<String> check = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/packets/verify")).header("Authorization", "Bearer " + token).header("Content-Type",
                    "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"packet\":\"" + "A".repeat(4_000_000)
                    + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(422, check.statusCode(), "an authenticated operator may send a packet-sized body: "
                    + check.body().substring(0, Math.min(200, check.body().length())));
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(240)
    void fortyEightConcurrentAnonymousSignInsFromSixteenAddressesLeaveA128MebibyteHeapStanding() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("logins.db");
        assertEquals(0, ServerCommand.run(new String[] {"migrate", "--db", url}));
        cliTokenFor(url);
        int port = FreePorts.loopback();
        Path log = dir.resolve("server.log");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // 48 Argon2id runs at once would need about 900 MiB; the heap has 128 MiB. 48 connections at once stay under
        // the listen backlog Java gives a server socket by default (50), which more would overflow on a busy machine
        Process server = new ProcessBuilder(javaBin, "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), "org.stationtrust.server.ServerCommand", "serve", "--bind",
                "127.0.0.1", "--port", Integer.toString(port), "--insecure-plaintext-http", "--db", url)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitReady(port, server, log);
            ExecutorService pool = Executors.newFixedThreadPool(48);
            Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    go.await();
                    // three at once from each address: within the per-address sign-in limit (10 a minute)
                    RawHttp.Answer a = login("127.0.1." + (10 + n % 16), port, "nobody" + n, "guess number " + n, null);
                    boolean retryAfter = a.headers().toLowerCase(java.util.Locale.ROOT).contains("retry-after: ");
                    // the sign-in form's refusals are pages naming the code
                    String code = a.body().contains("server_busy") ? "server_busy" : "";
                    answers.computeIfAbsent(a.status() + " " + (a.status() == 503 ? code + (retryAfter
                            ? " with Retry-After" : " without Retry-After") : ""), k -> new AtomicInteger())
                            .incrementAndGet();
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            go.countDown();
            for (Future<?> f : done) {
                try {
                    f.get(180, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    String serverLog = Files.readString(log);
                    throw new AssertionError("a sign-in failed (" + e.getCause() + ") with the server "
                            + (server.isAlive() ? "running" : "gone") + "; answers so far " + answers + "; server log"
                            + " tail:\n" + serverLog.substring(Math.max(0, serverLog.length() - 4000)), e);
                }
            }
            pool.shutdown();
            System.out.println("48 concurrent anonymous sign-ins from 16 addresses against -Xmx128m, answered in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms: " + answers);
            assertTrue(server.isAlive(), "the server survived");
            assertFalse(Files.readString(log).contains("OutOfMemoryError"), "no OutOfMemoryError");
            for (String k : answers.keySet()) {
                assertTrue(k.equals("401 ") || k.equals("503 server_busy with Retry-After"), "a wrong password or busy, "
                        + "with Retry-After: " + answers);
            }
            assertTrue(answers.containsKey("503 server_busy with Retry-After"), "the excess is refused: " + answers);
            RawHttp.Answer operator = login("127.0.0.1", port, "aud", TestServer.PASSWORD, null);
            assertEquals(303, operator.status(), "the operator signs in afterwards: " + operator.body());
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(120)
    void madeUpPasswordResetTokensAreRefusedWithoutTakingAPasswordHashSlot() throws Exception {
        try (TestServer server = TestServer.start(dir, b -> b.clientLimits(ClientLimits.builder().passwordHashes(1)
                .build()))) {
            int port = server.server.port();
            ExecutorService pool = Executors.newFixedThreadPool(40);
            Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    RawHttp.Answer a = RawHttp.exchange("127.0.2." + (10 + n), port, "POST", "/api/v1/password-resets",
                            "Content-Type: application/json\r\n", "{\"token\":\"str_made-up-" + n
                                    + "\",\"newPassword\":\"a new password of mine " + n + "\"}");
                    answers.computeIfAbsent(a.status() + " " + a.errorCode(), k -> new AtomicInteger()).incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
            pool.shutdown();
            System.out.println("40 concurrent password resets with made-up tokens, one password hash slot: " + answers);
            assertEquals(Map.of("403 forbidden", 40), Map.of(answers.keySet().iterator().next(),
                    answers.values().iterator().next().get()), "each refused on its token, none busy: " + answers);
            assertEquals(1, answers.size(), answers.toString());
        }
    }

    @Test
    @Timeout(120)
    void slowAnonymousBodiesFromEightAddressesLeaveOperatorsAndSignedStationsTheirBodyMemory() throws Exception {
        // 2 MiB of body memory, of which anonymous bodies may hold a quarter; bodies may dribble for 20 s
        ClientLimits limits = ClientLimits.builder().bodyMemoryBytes(2L * 1024 * 1024).minBodyBytesPerSecond(1).build();
        try (TestServer server = TestServer.start(dir, b -> b.clientLimits(limits))) {
            SoftwareStation station = new SoftwareStation();
            String active = server.seedMachine(station, EnrollmentState.ACTIVE, true);
            String pending = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
            int port = server.server.port();
            List<Socket> attack = new ArrayList<>();
            try {
                // 40 slow bodies at a path no route serves, 40 at the unsigned quote route: 4.8 MB declared
                for (int i = 0; i < 80; i++) {
                    Socket s = RawHttp.connect("127.0.3." + (10 + i % 8), port);
                    attack.add(s);
                    RawHttp.write(s, "POST " + (i % 2 == 0 ? "/api/v1/nowhere" : "/api/v1/attestation/quotes")
                            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 60000\r\n\r\n{");
                }
                // the anonymous share is full once a further anonymous body is refused
                String body = "{\"machineId\":\"" + " ".repeat(59_000) + "\"}";
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                RawHttp.Answer probe;
                do {
                    probe = RawHttp.exchange("127.0.3.99", port, "POST", "/api/v1/attestation/quotes",
                            "Content-Type: application/json\r\n", body);
                } while (probe.status() != 503 && System.nanoTime() < deadline);
                assertEquals("server_busy", probe.errorCode(), "a further anonymous body is refused: " + probe.body());
                assertTrue(probe.body().contains("unauthenticated"), probe.body());
                HttpResponse<String> decision = server.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + pending
                        + "/approve", "{\"reason\":\"approved while anonymous bodies dribble\"}");
                assertEquals(200, decision.statusCode(), "an operator's body still fits: " + decision.body());
                HttpResponse<String> quote = attest(server, station, active);
                assertEquals(200, quote.statusCode(), "a signed station's bodies still fit: " + quote.body());
                RawHttp.Answer nowhere = RawHttp.exchange("127.0.3.98", port, "POST", "/api/v1/nowhere",
                        "Content-Type: application/json\r\n", "{}");
                assertEquals(404, nowhere.status(), nowhere.body());
                assertEquals("not_found", nowhere.errorCode());
            } finally {
                for (Socket s : attack) s.close();
            }
        }
    }

    @Test
    @Timeout(120)
    void connectionsSendingTheirHeadsOneByteAtATimeAreClosedAtTheHeadDeadline() throws Exception {
        Duration deadline = Duration.ofSeconds(2);
        try (TestServer server = TestServer.start(dir, b -> b.clientLimits(ClientLimits.builder().headTimeout(deadline)
                .build()))) {
            int port = server.server.port();
            List<Socket> attack = new ArrayList<>();
            for (int i = 0; i < 40; i++) attack.add(RawHttp.connect("127.0.5." + (10 + i % 20), port));
            // a keep-alive connection that sent one whole request, then dribbles the next head
            Socket keptAlive = RawHttp.connect("127.0.5.99", port);
            RawHttp.write(keptAlive, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals(200, RawHttp.read(keptAlive.getInputStream()).status());
            attack.add(keptAlive);
            // one header byte every 500 ms: far inside Jetty's idle timeout, which every byte renews
            String head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(100) + "\r\n\r\n";
            long t0 = System.nanoTime();
            Map<Socket, Long> closedAfterMs = new ConcurrentHashMap<>();
            for (int b = 0; b < head.length() && closedAfterMs.size() < attack.size(); b++) {
                for (Socket s : attack) {
                    if (closedAfterMs.containsKey(s)) continue;
                    try {
                        s.getOutputStream().write(head.charAt(b));
                        s.getOutputStream().flush();
                        s.setSoTimeout(1);
                        if (s.getInputStream().read() == -1) throw new IOException("closed by the server");
                    } catch (SocketTimeoutException stillOpen) {
                        // nothing to read yet
                    } catch (IOException closed) {
                        closedAfterMs.put(s, (System.nanoTime() - t0) / 1_000_000);
                    }
                }
                Thread.sleep(500);
            }
            long latest = closedAfterMs.values().stream().mapToLong(Long::longValue).max().orElse(-1);
            System.out.printf("41 connections sending their heads at 2 bytes/s: %d closed by the server, the last "
                    + "after %d ms (deadline %d ms)%n", closedAfterMs.size(), latest, deadline.toMillis());
            assertEquals(attack.size(), closedAfterMs.size(), "every slow head is closed");
            assertTrue(latest < deadline.toMillis() + 3000, "within the deadline and a little: " + latest);
            assertEquals(200, server.request("GET", "/health", null, null).statusCode());
            for (Socket s : attack) s.close();
        }
    }

    @Test
    @Timeout(120)
    void connectionsBeyondTheServerWideLimitWaitUntilHeldOnesClose() throws Exception {
        ClientLimits limits = ClientLimits.builder().maxConnections(100).headTimeout(Duration.ofSeconds(3)).build();
        try (TestServer server = TestServer.start(dir, b -> b.clientLimits(limits))) {
            int port = server.server.port();
            List<Socket> held = new ArrayList<>();
            try {
                // 120 silent connections from three addresses (40 each, under the per-address limit)
                for (int i = 0; i < 120; i++) held.add(RawHttp.connect("127.0.6." + (10 + i % 3), port));
                long t0 = System.nanoTime();
                RawHttp.Answer health = RawHttp.exchange("127.0.0.1", port, "GET", "/health", "", null);
                long waitedMs = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("a request on connection 121 (limit 100, head deadline 3 s) answered after %d ms%n",
                        waitedMs);
                assertEquals(200, health.status());
                assertTrue(waitedMs > 1000, "it waited for a free connection: " + waitedMs + " ms");
                assertTrue(waitedMs < 10_000, "and got one once the held ones met their deadline: " + waitedMs + " ms");
            } finally {
                for (Socket s : held) s.close();
            }
        }
    }

    private static HttpResponse<String> attest(TestServer server, SoftwareStation station, String id) {
        var signer = StationClient.jcaSigner(station.machineKey());
        HttpResponse<String> nonce = server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id, signer);
        return server.stations.send("POST", "/api/v1/attestation/quotes",
                station.quoteBody(TestServer.json(nonce).path("nonce").asText()), id, signer);
    }

    /** Sends headers and then 8 MiB as fast as the server takes them; returns "status code" or how it ended. */
    private static String send8MiB(String from, int port, String headers, byte[] chunk, boolean chunked) {
        try (Socket s = RawHttp.connect(from, port)) {
            RawHttp.write(s, headers);
            try {
                for (int sent = 0; sent < 8 * 1024 * 1024; sent += chunk.length) {
                    if (chunked) RawHttp.write(s, Integer.toHexString(chunk.length) + "\r\n");
                    s.getOutputStream().write(chunk);
                    if (chunked) RawHttp.write(s, "\r\n");
                }
                if (chunked) RawHttp.write(s, "0\r\n\r\n");
            } catch (IOException refusedMidBody) {
                // the server answered and closed before taking the whole body: read what it said
            }
            RawHttp.Answer a = RawHttp.read(s.getInputStream());
            return a.status() + " " + a.errorCode();
        } catch (IOException e) {
            return "connection failed: " + e.getMessage();
        }
    }

    private static void awaitReady(int port, Process server, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            if (!server.isAlive()) throw new AssertionError("server exited: " + Files.readString(log));
            if (System.nanoTime() > deadline) throw new AssertionError("server did not become ready");
            Thread.sleep(100);
        }
    }

    private static String cliTokenFor(String url) throws Exception {
        Path password = Files.createTempFile("pw", ".txt");
        Files.setPosixFilePermissions(password, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(password, TestServer.PASSWORD);
        try {
            assertEquals(0, ServerCommand.run(new String[] {"user", "add", "aud", "--role", "auditor", "--password-file",
                    password.toString(), "--db", url}));
        } finally {
            Files.delete(password);
        }
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, ServerCommand.run(new String[] {"token", "issue", "--user", "aud", "--db", url}));
        } finally {
            System.setOut(saved);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    @Test
    @Timeout(180)
    void aHundredThousandAnonymousRefusalsAddAFewAuditRowsAndTheLastDecisionsStayOnTheAuditPage() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            SoftwareStation station = new SoftwareStation();
            String id = server.seedMachine(station, EnrollmentState.PENDING_APPROVAL, false);
            HttpResponse<String> decision = server.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + id + "/approve",
                    "{\"reason\":\"the last real decision\"}");
            assertEquals(200, decision.statusCode(), decision.body());
            long before = auditRows(server);
            int port = server.server.port();
            int connections = 8;
            int perConnection = 12_500;
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(connections);
            List<Future<Integer>> refused = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                refused.add(pool.submit(() -> pipelined(port, perConnection)));
            }
            int total = 0;
            for (Future<Integer> f : refused) total += f.get(150, TimeUnit.SECONDS);
            pool.shutdown();
            long floodMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(connections * perConnection, total, "every request refused signature_missing");
            server.server.flushAnonymousRefusals();
            long added = auditRows(server) - before;
            System.out.printf("100,000 anonymous refusals in %d ms: %d audit row(s) added (bound: 1 per reason and "
                    + "minute)%n", floodMs, added);
            long minutes = floodMs / 60_000 + 2;
            assertTrue(added >= 1 && added <= minutes, "one row per minute the flood lasted (one reason): "
                    + added);
            JsonNode recent = TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit", null));
            assertTrue(recent.toString().contains("the last real decision"), "the decision is still on the audit page");
            assertTrue(recent.toString().contains("100000 anonymous request(s) refused")
                    || recent.toString().contains("anonymous request(s) refused"), recent.toString());
            JsonNode verify = TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit/verify", null));
            assertTrue(verify.path("intact").asBoolean(), verify.toString());
        }
    }

    @Test
    @Timeout(120)
    void refusalsFromThreeHundredAddressesAddOneAuditRowAndLeaveTheLastDecisionOnTheAuditPage() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            String id = server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
            assertEquals(200, server.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + id + "/approve",
                    "{\"reason\":\"the last real decision\"}").statusCode());
            server.server.flushAnonymousRefusals();
            long before = auditRows(server);
            int port = server.server.port();
            for (int i = 0; i < 300; i++) {
                String from = "127.0." + (4 + i / 200) + "." + (10 + i % 200);
                for (int j = 0; j < (i == 7 ? 5 : 1); j++) {
                    RawHttp.Answer a = RawHttp.exchange(from, port, "GET", "/api/v1/stations/me", "", null);
                    assertEquals("signature_missing", a.errorCode(), a.body());
                }
            }
            server.server.flushAnonymousRefusals();
            long added = auditRows(server) - before;
            String detail = server.db.withConnection(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT detail FROM audit_events ORDER BY seq DESC "
                        + "LIMIT 1")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            System.out.println("304 refusals from 300 addresses: " + added + " audit row(s): " + detail);
            // one minute may end during the loop
            assertTrue(added >= 1 && added <= 2, "one row per reason and minute, whatever the addresses: " + added);
            assertTrue(added == 2 || detail.contains("304 anonymous request(s) refused signature_missing"), detail);
            assertTrue(added == 2 || detail.contains("from 300 source(s); most: 127.0.4.17 5"), detail);
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
            assertEquals(303, server.login(browser, "auditor", TestServer.PASSWORD).statusCode());
            String page = browser.send(HttpRequest.newBuilder(URI.create(server.url("/admin/audit"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            int apart = page.indexOf("id=\"anonymous-refusals\"");
            assertTrue(apart > 0, "anonymous refusals are shown apart");
            assertTrue(page.substring(0, apart).contains("the last real decision"), "the decision is on the page");
            assertFalse(page.substring(0, apart).contains("anonymous request(s) refused"), "and the counts are not "
                    + "among the decisions");
            assertTrue(page.substring(apart).contains("anonymous request(s) refused signature_missing"));
        }
    }

    /** Sends {@code n} unsigned station calls on one keep-alive connection, in batches; returns how many were 401. */
    private static int pipelined(int port, int n) throws IOException {
        int refused = 0;
        try (Socket s = RawHttp.connect("127.0.0.3", port)) {
            var in = new java.io.BufferedInputStream(s.getInputStream());
            String one = "GET /api/v1/stations/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            for (int sent = 0; sent < n; sent += 250) {
                int batch = Math.min(250, n - sent);
                RawHttp.write(s, one.repeat(batch));
                for (int i = 0; i < batch; i++) {
                    RawHttp.Answer a = RawHttp.read(in);
                    if (a.status() == 401 && a.errorCode().equals("signature_missing")) refused++;
                }
            }
        }
        return refused;
    }

    private static long auditRows(TestServer server) {
        return server.db.withConnection(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM audit_events")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    @Timeout(120)
    void passwordGuessingFromRotatingAddressesMakesTheAccountBackOffButNotItsOperatorsBrowser() throws Exception {
        try (TestServer server = TestServer.start(dir, b -> b.webhooks(
                ServerConfig.WebhookPolicy.DEFAULT.allowingPrivateTargets(true)))) {
            int port = server.server.port();
            HttpResponse<String> hook = server.as(Role.ADMIN, "POST", "/api/v1/admin/webhooks",
                    "{\"url\":\"http://127.0.0.1:9/alerts\",\"events\":[\"operator.login_backoff\"]}");
            assertEquals(201, hook.statusCode(), hook.body());
            RawHttp.Answer first = login("127.0.0.1", port, "admin", TestServer.PASSWORD, null);
            assertEquals(303, first.status(), first.body());
            String device = cookie(first.headers(), "st_device");
            int firstHeldBack = -1;
            int checked = 0;
            for (int i = 0; i < 40; i++) {
                RawHttp.Answer a = login("127.0.0." + (20 + i), port, "admin", "guess number " + i, null);
                if (a.status() == 401) checked++;
                if (a.status() == 429 && firstHeldBack < 0) firstHeldBack = i;
            }
            System.out.printf("40 guesses at one account from 40 addresses: %d had their password checked, the first "
                    + "held back was guess %d (back-off after %d failures)%n", checked, firstHeldBack + 1,
                    org.stationtrust.server.internal.auth.LoginThrottle.FREE_FAILURES);
            assertEquals(org.stationtrust.server.internal.auth.LoginThrottle.FREE_FAILURES, firstHeldBack,
                    "the per-account back-off engages whatever the address");
            assertTrue(checked < 12, "most guesses never reach the password check: " + checked);
            assertEquals(429, login("127.0.0.90", port, "admin", TestServer.PASSWORD, null).status(),
                    "during the back-off an unknown browser waits, even with the right password");
            // An attacker on the operator's own address exhausts that address's limit ...
            for (int i = 0; i < 12; i++) login("127.0.0.1", port, "auditor", "wrong " + i, null);
            assertEquals(429, login("127.0.0.1", port, "approver", TestServer.PASSWORD, null).status());
            // ... yet the operator's browser (its device cookie) signs in, from there or anywhere.
            assertEquals(303, login("127.0.0.1", port, "admin", TestServer.PASSWORD, device).status());
            String audit = server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=200", null).body();
            assertTrue(audit.contains("login.backoff"), "repeated failures raise an audit alert");
            String deliveries = server.as(Role.AUDITOR, "GET", "/api/v1/admin/webhooks/deliveries", null).body();
            assertTrue(deliveries.contains("operator.login_backoff"), "and a webhook notification: " + deliveries);
            assertFalse(audit.contains("guess number"), "no typed password reaches the audit log");
        }
    }

    private static RawHttp.Answer login(String from, int port, String user, String password, String device)
            throws IOException {
        String body = "login_csrf=t0k3n&username=" + java.net.URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8);
        return RawHttp.exchange(from, port, "POST", "/admin/login", "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Cookie: st_login=t0k3n" + (device == null ? "" : "; st_device=" + device) + "\r\n", body);
    }

    private static String cookie(String headers, String name) {
        int i = headers.toLowerCase(java.util.Locale.ROOT).indexOf("set-cookie: " + name + "=");
        assertTrue(i >= 0, "no " + name + " cookie in " + headers);
        int start = i + ("set-cookie: " + name + "=").length();
        return headers.substring(start, headers.indexOf(';', start));
    }
}
