package org.stationtrust.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.EnrollmentServer;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.internal.auth.PasswordHasher;
import org.stationtrust.server.internal.store.AttestationStore;
import org.stationtrust.server.internal.store.CredentialStore;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.Migrations;
import org.stationtrust.server.internal.store.UserStore;

/**
 * A real server on a free loopback port (plain HTTP, fresh database), with one operator per role and an
 * API token for each. The fixture keeps its own database handle to seed rows and look at the result.
 */
public final class TestServer implements AutoCloseable {
    public static final String PASSWORD = "correct horse battery staple";
    public static final ObjectMapper JSON = new ObjectMapper();
    /** The nonce MAC key every instance of this test JVM shares (as instances behind one load balancer must). */
    public static final char[] NONCE_KEY = Base64.getEncoder().encodeToString(
            org.stationtrust.server.internal.auth.Secrets.randomBytes(33)).toCharArray();

    /**
     * Per-client limits for load tests and the benchmark, whose many workers all come from 127.0.0.1 (a deployment
     * sees one address per station).
     */
    public static final org.stationtrust.server.ClientLimits UNLIMITED_CLIENTS = org.stationtrust.server.ClientLimits.builder()
            .connectionsPerClient(100_000).requestsPerClient(100_000).maxConnections(100_000)
            .failedChecksPerMinute(1_000_000).bodyMemoryBytes(256L * 1024 * 1024).build();
    public final EnrollmentServer server;
    public final Database db;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    public final Map<Role, String> tokens;
    public final StationClient stations;

    private TestServer(EnrollmentServer server, Database db, Map<Role, String> tokens) {
        this.server = server;
        this.db = db;
        this.tokens = tokens;
        this.stations = new StationClient(http, server.baseUrl());
    }

    public static TestServer start(Path dir) {
        return start(TestDatabases.sqliteUrl(dir), null, null, b -> b);
    }

    public static TestServer start(Path dir, UnaryOperator<ServerConfig.Builder> tweak) {
        return start(TestDatabases.sqliteUrl(dir), null, null, tweak);
    }

    public static TestServer start(String jdbcUrl, String user, String password, UnaryOperator<ServerConfig.Builder> tweak) {
        ServerConfig config = tweak.apply(ServerConfig.builder(jdbcUrl).database(user, password).bind("127.0.0.1", 0)
                .tls(ServerConfig.TlsMode.PLAINTEXT).nonceKey(NONCE_KEY)).build();
        Database db = Database.open(jdbcUrl, user, password);
        new Migrations(db).apply();
        Map<Role, String> tokens = seedOperators(db);
        return new TestServer(EnrollmentServer.start(config), db, tokens);
    }

    /** Starts another instance on the same database (already migrated and seeded). */
    public static TestServer second(String jdbcUrl, String user, String password, Map<Role, String> tokens,
                                    UnaryOperator<ServerConfig.Builder> tweak) {
        ServerConfig config = tweak.apply(ServerConfig.builder(jdbcUrl).database(user, password).bind("127.0.0.1", 0)
                .tls(ServerConfig.TlsMode.PLAINTEXT).nonceKey(NONCE_KEY)).build();
        return new TestServer(EnrollmentServer.start(config), Database.open(jdbcUrl, user, password), tokens);
    }

    private static Map<Role, String> seedOperators(Database db) {
        UserStore users = new UserStore(db);
        if (users.find("admin").isPresent()) {
            throw new IllegalStateException("database already seeded");
        }
        Authenticator auth = new Authenticator(users, new CredentialStore(db), new PasswordHasher(), Duration.ofMinutes(5));
        java.util.EnumMap<Role, String> tokens = new java.util.EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            String name = r.name().toLowerCase(java.util.Locale.ROOT);
            auth.createUser(name, PASSWORD.toCharArray(), r);
            tokens.put(r, auth.issueApiToken(name, "test", Duration.ofHours(1)));
        }
        return tokens;
    }

    /** POSTs the login form the way a browser does: fetch the form (token + cookie), then submit both. */
    public HttpResponse<String> login(HttpClient client, String username, String password) {
        try {
            HttpResponse<String> form = client.send(HttpRequest.newBuilder(URI.create(url("/admin/login"))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"login_csrf\" value=\"([^\"]+)\"")
                    .matcher(form.body());
            String token = m.find() ? m.group(1) : "";
            String cookie = form.headers().firstValue("Set-Cookie").map(c -> c.substring(0, c.indexOf(';'))).orElse("");
            return client.send(HttpRequest.newBuilder(URI.create(url("/admin/login")))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie)
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + enc(username) + "&password=" + enc(password)
                            + "&login_csrf=" + enc(token))).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Submits the sign-in form from a chosen loopback address (RawHttp), with a fixed login CSRF token in both the
     * cookie and the form (the double submit the page checks), and the browser's device cookie when given.
     */
    public RawHttp.Answer pageLogin(String from, String username, String password, String deviceToken) {
        try {
            return RawHttp.exchange(from, server.port(), "POST", "/admin/login",
                    "Content-Type: application/x-www-form-urlencoded\r\nCookie: st_login=t0k3n"
                            + (deviceToken == null ? "" : "; st_device=" + deviceToken) + "\r\n",
                    "login_csrf=t0k3n&username=" + enc(username) + "&password=" + enc(password));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of a cookie the answer sets, or fails the test. */
    public static String setCookie(RawHttp.Answer answer, String name) {
        String headers = answer.headers();
        int i = headers.toLowerCase(java.util.Locale.ROOT).indexOf("set-cookie: " + name + "=");
        if (i < 0) throw new AssertionError("no " + name + " cookie in " + headers);
        int start = i + ("set-cookie: " + name + "=").length();
        return headers.substring(start, headers.indexOf(';', start));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    public String url(String path) {
        return server.baseUrl() + path;
    }

    public HttpResponse<String> request(String method, String path, String body, String bearer) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30));
            if (bearer != null) r.header("Authorization", "Bearer " + bearer);
            if (body != null) {
                r.header("Content-Type", "application/json");
                r.method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                r.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> as(Role role, String method, String path, String body) {
        return request(method, path, body, tokens.get(role));
    }

    /**
     * Measured boot for the whole fleet, through the admin API: a boot policy "fleet" with no rules of its own made the
     * default, so every quote is judged by its event log (docs/measured-boot.md).
     */
    public void fleetBootPolicy() {
        HttpResponse<String> put = as(Role.ADMIN, "PUT", "/api/v1/admin/boot-policies/fleet", "{\"name\": \"fleet\"}");
        if (put.statusCode() != 200) throw new AssertionError("PUT fleet policy: " + put.body());
        HttpResponse<String> made = as(Role.ADMIN, "POST", "/api/v1/admin/boot-policies/fleet/make-default",
                "{\"reason\": \"every laptop of the fleet\"}");
        if (made.statusCode() != 200) throw new AssertionError("make fleet the default: " + made.body());
    }

    /**
     * A whole enrollment across two instances on one database: begun here, the credential challenge answered on
     * {@code other}, approved here by an admin with {@code reason}; sets the enrollee's machine id.
     */
    public void enrollAcross(TestServer other, SoftwareEnrollee s, String reason) {
        HttpResponse<String> begun = stations.sendRaw("POST", "/api/v1/enrollments", s.enrollmentBody(), null);
        expect(201, begun, "enrollment");
        s.machineId = json(begun).path("machineId").asText();
        expect(200, other.stations.sendRaw("POST", "/api/v1/enrollments/" + s.machineId + "/activation",
                s.activationBody(json(begun)), null), "activation on the other instance");
        expect(200, as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + s.machineId + "/approve",
                "{\"reason\":" + JSON.valueToTree(reason) + "}"), "approval");
    }

    /** A station call signed by the enrollee's machine key (software key, as {@link StationClient#jcaSigner}). */
    public HttpResponse<String> signedBy(SoftwareEnrollee s, String method, String path, String body) {
        return stations.send(method, path, body, s.machineId, StationClient.jcaSigner(s.machineKey()));
    }

    private static void expect(int status, HttpResponse<String> r, String step) {
        if (r.statusCode() != status) {
            throw new AssertionError(step + ": expected HTTP " + status + " but got " + r.statusCode() + ": " + r.body());
        }
    }

    public static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body());
        }
    }

    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body);
        }
    }

    public static String errorCode(HttpResponse<String> r) {
        return json(r).path("error").path("code").asText();
    }

    /**
     * Seeds a machine enrolled with software keys, in the given state; its baseline is the station's PCRs and,
     * when attested, it has a passing attestation now. For tests of signed requests and for the load generator.
     */
    public String seedMachine(SoftwareStation s, EnrollmentState state, boolean attested) {
        return seedMachine(db, s, state, attested);
    }

    public static String seedMachine(Database db, SoftwareStation s, EnrollmentState state, boolean attested) {
        MachineStore machines = new MachineStore(db);
        String id = java.util.UUID.randomUUID().toString().replace("-", "");
        Base64.Encoder b64 = Base64.getEncoder();
        return db.inTransaction(c -> {
            machines.insert(c, new MachineStore.NewMachine(id, "soft-" + id.substring(0, 6),
                    MachineStore.Endorsement.uncertified(b64.encodeToString(new byte[8]), "ek-" + id),
                    b64.encodeToString(s.akPublic()), null, "test", new MachineStore.Activation(null, null)), null, b64.encodeToString(s.machineKeyPublic()),
                    b64.encodeToString(s.machineKey().getPublic().getEncoded()));
            machines.recordFirstQuote(c, id, PcrMap.toJson(s.pcrs()));
            if (state != EnrollmentState.PENDING_ACTIVATION) {
                machines.transition(c, id, EnrollmentState.PENDING_ACTIVATION, EnrollmentState.PENDING_APPROVAL);
            }
            if (state == EnrollmentState.ACTIVE || state == EnrollmentState.REVOKED) {
                machines.transition(c, id, EnrollmentState.PENDING_APPROVAL, EnrollmentState.ACTIVE);
                machines.recordDecision(c, id, "fixture", "seeded", PcrMap.toJson(s.pcrs()));
                if (attested) new AttestationStore(db).recordAttestation(c, id, true, "seeded", PcrMap.toJson(s.pcrs()));
            }
            if (state == EnrollmentState.REVOKED) machines.transition(c, id, EnrollmentState.ACTIVE, EnrollmentState.REVOKED);
            if (state == EnrollmentState.REJECTED) {
                machines.transition(c, id, EnrollmentState.PENDING_APPROVAL, EnrollmentState.REJECTED);
            }
            return id;
        });
    }

    public EnrollmentState state(String machineId) {
        return new MachineStore(db).find(machineId).orElseThrow().state();
    }

    @Override
    public void close() {
        server.close();
        db.close();
    }
}
