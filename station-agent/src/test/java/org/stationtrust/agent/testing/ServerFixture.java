package org.stationtrust.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import org.stationtrust.agent.internal.server.ServerHttp;
import org.stationtrust.server.EnrollmentServer;
import org.stationtrust.server.ServerCommand;
import org.stationtrust.server.ServerConfig;

/**
 * A real server-enroll in this JVM: SQLite in a temp dir, TLS with its development self-signed certificate
 * (the agent pins its fingerprint), the software TPM's CA as EK trust store, an admin operator with an API
 * token, and one-time enrollment tokens on demand, all made through the server's own CLI.
 */
public final class ServerFixture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private volatile EnrollmentServer server;
    private final ServerConfig config;
    private final String jdbcUrl;
    private final String adminToken;
    private final HttpClient http;
    private final Path dir;
    private static final String KEYSTORE_PASSWORD = "test-keystore-password";

    public ServerFixture(Path dir, Path ekTrustStore, Duration attestationInterval) throws Exception {
        this(dir, ekTrustStore, attestationInterval, false);
    }

    /**
     * {@code restartable}: TLS from a PKCS#12 keystore made here with the JDK's keytool, so the server can be
     * stopped and started again on the same port with the same certificate (the agent's pin still holds).
     */
    public ServerFixture(Path dir, Path ekTrustStore, Duration attestationInterval, boolean restartable) throws Exception {
        this.dir = dir;
        jdbcUrl = "jdbc:sqlite:" + dir.resolve("server.db");
        ServerConfig.Builder builder = ServerConfig.builder(jdbcUrl).bind("127.0.0.1", 0).ekTrustStore(ekTrustStore)
                .attestationInterval(attestationInterval).requireEnrollmentToken(true);
        if (restartable) {
            char[] password = KEYSTORE_PASSWORD.toCharArray();
            builder.tls(ServerConfig.TlsMode.KEYSTORE).keystore(keystore(dir, password), password);
        } else {
            builder.tls(ServerConfig.TlsMode.DEV_SELF_SIGNED);
        }
        ServerConfig config = builder.build();
        EnrollmentServer.migrate(config);
        Path password = dir.resolve("admin-password");
        Files.writeString(password, "correct horse battery staple for tests");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        cli("user", "add", "admin", "--role", "admin", "--password-file", password.toString(), "--db", jdbcUrl);
        adminToken = cli("token", "issue", "--user", "admin", "--db", jdbcUrl).strip();
        server = EnrollmentServer.start(config);
        this.config = config.toBuilder().bind("127.0.0.1", server.port()).build();
        http = ServerHttp.client(URI.create(url()), java.util.List.of(org.stationtrust.agent.PublicKeyPin.parse(pin())),
                Duration.ofSeconds(5));
    }

    private static Path keystore(Path dir, char[] password) throws Exception {
        Path file = dir.resolve("server.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "server", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=IP:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(password)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("keytool failed: " + out);
        return file;
    }

    /** The PKCS#12 keystore with the server's certificate and key (restartable fixtures only), e.g. for a proxy posing as it. */
    public Path keystore() {
        if (config.tlsMode() != ServerConfig.TlsMode.KEYSTORE) throw new IllegalStateException("build the fixture restartable");
        return dir.resolve("server.p12");
    }

    public char[] keystorePassword() {
        return KEYSTORE_PASSWORD.toCharArray();
    }

    /**
     * Issues a new certificate for the key the keystore already holds (new serial, validity from now), as a
     * certificate renewal does; takes effect at the next {@link #restart}. Restartable fixtures only.
     */
    public void renewCertificate() throws Exception {
        KeyStore store = loadKeystore();
        java.security.cert.Certificate old = store.getCertificate("server");
        storeKeystore(store, (PrivateKey) store.getKey("server", keystorePassword()), old.getPublicKey());
    }

    /**
     * Writes a keystore with a new key next to the current one and returns its pin, for announcing it to the
     * stations before {@link #switchToNextKey}.
     */
    public String prepareNextKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair next = generator.generateKeyPair();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", next.getPrivate(), keystorePassword(), new java.security.cert.Certificate[] {
                certificate(next.getPrivate(), next.getPublic())});
        try (java.io.OutputStream out = Files.newOutputStream(dir.resolve("server-next.p12"))) {
            store.store(out, keystorePassword());
        }
        return org.stationtrust.agent.PublicKeyPin.of(next.getPublic()).toString();
    }

    /** The prepared next key becomes the server's key at the next {@link #restart}. */
    public void switchToNextKey() throws Exception {
        Files.move(dir.resolve("server-next.p12"), keystore(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private KeyStore loadKeystore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(keystore())) {
            store.load(in, keystorePassword());
        }
        return store;
    }

    private void storeKeystore(KeyStore store, PrivateKey key, PublicKey publicKey) throws Exception {
        store.setKeyEntry("server", key, keystorePassword(), new java.security.cert.Certificate[] {certificate(key, publicKey)});
        try (java.io.OutputStream out = Files.newOutputStream(keystore())) {
            store.store(out, keystorePassword());
        }
    }

    /** A self-signed certificate for 127.0.0.1, valid from a minute ago for two days, with a fresh serial. */
    private static X509Certificate certificate(PrivateKey key, PublicKey publicKey) throws Exception {
        java.time.Instant now = java.time.Instant.now();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=127.0.0.1");
        var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name,
                java.math.BigInteger.valueOf(System.nanoTime()), java.util.Date.from(now.minusSeconds(60)),
                java.util.Date.from(now.plus(Duration.ofDays(2))), name, publicKey);
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
                        org.bouncycastle.asn1.x509.GeneralName.iPAddress, "127.0.0.1")));
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(builder.build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    /** The SHA-256 of the server's current certificate (to tell a renewed certificate from the old one). */
    public String certificateFingerprint() {
        return server.tlsFingerprint().orElseThrow();
    }

    /** Stops the server (its port refuses connections) until {@link #restart}. */
    public void stop() {
        server.close();
    }

    /** Starts the server again on the same port, database and certificate (restartable fixtures only). */
    public void restart() {
        if (config.tlsMode() != ServerConfig.TlsMode.KEYSTORE) {
            throw new IllegalStateException("this fixture has a generated certificate: build it restartable");
        }
        server = EnrollmentServer.start(config);
    }

    /** Runs the server's CLI and returns what it printed. */
    private static String cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        synchronized (ServerFixture.class) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                int code = ServerCommand.run(args);
                if (code != 0) throw new IllegalStateException("server-enroll " + String.join(" ", args) + " exited " + code);
            } finally {
                System.setOut(saved);
            }
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        return lines[lines.length - 1];
    }

    public String url() {
        return server.baseUrl();
    }

    /** The server's public key pin ({@code sha256/<base64>}), what the agent's server.public_key_pins holds. */
    public String pin() {
        return server.tlsPublicKeyPin().orElseThrow();
    }

    /** One number from the server's database (SQLite, read directly): {@code sql} with one string parameter. */
    public int count(String sql, String param) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl);
             java.sql.PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, param);
            try (java.sql.ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    public String issueEnrollmentToken() {
        return cli("token", "issue", "--enrollment", "--db", jdbcUrl).strip();
    }

    /** An operator call with the admin's API token, over the pinned TLS connection. */
    public JsonNode admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken);
        if (body == null) {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        server.close();
    }
}
