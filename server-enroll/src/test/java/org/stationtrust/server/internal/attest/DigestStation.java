package org.stationtrust.server.internal.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.stationtrust.tpm.verify.HashAlgorithm.SHA256;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;

/**
 * A station that booted a typical UEFI log, enrolled on a server whose default boot policy judges it, and sent the
 * whole log once (signed, as a log that large must be); then it attests the usual way: unsigned, the log told by its
 * SHA-256 (docs/design.md, "An unchanged boot"). Any server instance on the same database can be asked.
 */
final class DigestStation {
    static final SyntheticEventLog LOG = typicalBoot();
    static final String DIGEST = HexFormat.of().formatHex(SHA256.digest(LOG.bytes()));
    private static final String NONCES = "/api/v1/attestation/nonces";
    private static final String QUOTES = "/api/v1/attestation/quotes";

    final SoftwareStation soft = new SoftwareStation();
    final String id;
    private final TestServer server;

    DigestStation(TestServer server) {
        this.server = server;
        soft.pcrs().clear();
        LOG.pcrs(SHA256).forEach(soft.pcrs()::put);
        for (int i = 0; i < 8; i++) soft.pcrs().putIfAbsent(i, new byte[32]);
        id = server.seedMachine(soft, EnrollmentState.ACTIVE, true);
        HttpResponse<String> n = server.stations.send("POST", NONCES, "{}", id,
                StationClient.jcaSigner(soft.machineKey()));
        HttpResponse<String> r = server.stations.send("POST", QUOTES,
                soft.quoteBody(TestServer.json(n).path("nonce").asText(), LOG.bytes()), id,
                StationClient.jcaSigner(soft.machineKey()));
        assertEquals(200, r.statusCode(), r.body());
    }

    private static SyntheticEventLog typicalBoot() {
        try {
            return SyntheticBoot.typical().log(SHA256);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String nonce() {
        return nonce(server);
    }

    String nonce(TestServer at) {
        HttpResponse<String> r = at.stations.sendRaw("POST", NONCES, "{\"purpose\":\"quote\",\"machineId\":\""
                + id + "\"}", null);
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).path("nonce").asText();
    }

    /** The body of the usual attestation over {@code nonce}. */
    String quoteBody(String nonce) {
        String q = soft.quoteBody(nonce);
        return q.substring(0, q.length() - 1) + ",\"eventLogSha256\":\"" + DIGEST + "\",\"machineId\":\"" + id
                + "\"}";
    }

    HttpResponse<String> quote(String nonce) {
        return send(server, quoteBody(nonce));
    }

    HttpResponse<String> quote() {
        return quote(nonce());
    }

    /** The usual attestation at {@code at}, with a nonce {@code at} issued. */
    HttpResponse<String> quoteAt(TestServer at) {
        return send(at, quoteBody(nonce(at)));
    }

    /** A nonce asked for in a signed request, as a station that signs every request asks. */
    String signedNonce() {
        HttpResponse<String> r = server.stations.send("POST", NONCES, "{}", id, StationClient.jcaSigner(soft.machineKey()));
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).path("nonce").asText();
    }

    /** The signature header of a signed quote request with {@code body} (a fresh request nonce each time). */
    String signature(String body) {
        return StationClient.header(id, StationClient.payload("POST", QUOTES, StationClient.bytes(body),
                System.currentTimeMillis() / 1000, StationClient.randomNonce()), StationClient.jcaSigner(soft.machineKey()));
    }

    /** The usual attestation, signed: a signed nonce, then the quote with the log told by its digest, signed. */
    HttpResponse<String> signedQuote() {
        String body = quoteBody(signedNonce());
        return sendSigned(body, signature(body));
    }

    /** A signed quote that sends the whole log again, as a station that sends it with every quote does. */
    HttpResponse<String> signedWholeLogQuote() {
        String body = soft.quoteBody(signedNonce(), LOG.bytes());
        return sendSigned(body, signature(body));
    }

    HttpResponse<String> sendSigned(String body, String signature) {
        return server.stations.sendRaw("POST", QUOTES, body, signature);
    }

    static HttpResponse<String> send(TestServer at, String body) {
        return at.stations.sendRaw("POST", QUOTES, body, null);
    }

    int history() {
        return TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + id + "/attestations",
                null)).path("history").size();
    }

    JsonNode boot() {
        return TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + id + "/boot", null));
    }

    /** The machine's firmware column, as the console's filter reads it. */
    String firmware() {
        return server.db.withConnection(c -> {
            try (var ps = c.prepareStatement("SELECT firmware FROM machines WHERE id = ?")) {
                ps.setString(1, id);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    void sql(String statement) {
        server.db.write(c -> {
            try (var ps = c.prepareStatement(statement)) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
    }
}
