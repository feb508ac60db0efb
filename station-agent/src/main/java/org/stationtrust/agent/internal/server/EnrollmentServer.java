package org.stationtrust.agent.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.stationtrust.agent.PinnedTls;

/**
 * The server-enroll HTTP API as the station calls it (docs/server-api.md): enrollment and activation
 * (anonymous), then nonces, quotes and key rotation signed with the TPM machine key.
 */
public final class EnrollmentServer {
    static final int MAX_ANSWER_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private final HttpClient http;
    private final URI base;
    private final Duration timeout;

    public EnrollmentServer(HttpClient http, URI base, Duration timeout) {
        this.http = http;
        this.base = base;
        this.timeout = timeout;
    }

    /** The server's answer to an enrollment: the machine id and the credential challenge. */
    public record Challenge(String machineId, String state, byte[] credentialBlob, byte[] encryptedSecret, byte[] quoteNonce) {
    }

    /**
     * A quote as the server wants it: nonce (as issued), TPMS_ATTEST, TPMT_SIGNATURE, SHA-256 PCR values by index,
     * and the boot event log (null: none) or only its SHA-256 (hex, null: none) when the server holds that log.
     */
    public record QuoteEvidence(String nonce, byte[] attest, byte[] signature, Map<Integer, byte[]> pcrs,
                                byte[] eventLog, String eventLogSha256) {
        public QuoteEvidence(String nonce, byte[] attest, byte[] signature, Map<Integer, byte[]> pcrs) {
            this(nonce, attest, signature, pcrs, null, null);
        }

        ObjectNode toJson() {
            ObjectNode q = JSON.createObjectNode();
            q.put("nonce", nonce);
            q.put("attest", B64.encodeToString(attest));
            q.put("signature", B64.encodeToString(signature));
            ObjectNode values = q.putObject("pcrs");
            pcrs.forEach((i, v) -> values.put(Integer.toString(i), B64.encodeToString(v)));
            if (eventLog != null) q.put("eventLog", B64.encodeToString(eventLog));
            if (eventLogSha256 != null) q.put("eventLogSha256", eventLogSha256);
            return q;
        }
    }

    /** A quote nonce, and the SHA-256 of the boot event log the server holds for this machine, if any. */
    public record QuoteNonce(String nonce, java.util.Optional<String> heldEventLogSha256) {
    }

    public Challenge enroll(ObjectNode request) throws ServerRefused, ServerUnreachable {
        JsonNode a = call("POST", "/api/v1/enrollments", request, RequestSigning.NONE);
        return new Challenge(text(a, "machineId"), text(a, "state"), bytes(a, "credentialBlob"), bytes(a, "encryptedSecret"),
                bytes(a, "quoteNonce"));
    }

    /** Proves TPM residency with the recovered secret and sends the first quote; returns the new state. */
    public String activate(String machineId, byte[] secret, QuoteEvidence firstQuote) throws ServerRefused, ServerUnreachable {
        ObjectNode body = JSON.createObjectNode();
        body.put("secret", B64.encodeToString(secret));
        body.set("quote", firstQuote.toJson());
        return text(call("POST", "/api/v1/enrollments/" + pathId(machineId) + "/activation", body, RequestSigning.NONE), "state");
    }

    public String enrollmentState(String machineId) throws ServerRefused, ServerUnreachable {
        return text(call("GET", "/api/v1/enrollments/" + pathId(machineId), null, RequestSigning.NONE), "state");
    }

    /** A fresh single-use nonce (base64, as issued) for a quote or a key rotation. */
    public String nonce(String purpose, RequestSigning signing) throws ServerRefused, ServerUnreachable {
        ObjectNode body = JSON.createObjectNode();
        body.put("purpose", purpose);
        return text(call("POST", "/api/v1/attestation/nonces", body, signing), "nonce");
    }

    /** A quote nonce; the answer also says which event log digest the server holds (docs/server-api.md). */
    public QuoteNonce quoteNonce(RequestSigning signing) throws ServerRefused, ServerUnreachable {
        ObjectNode body = JSON.createObjectNode();
        body.put("purpose", "quote");
        JsonNode a = call("POST", "/api/v1/attestation/nonces", body, signing);
        JsonNode held = a.path("eventLogSha256");
        return new QuoteNonce(text(a, "nonce"), held.isTextual() ? java.util.Optional.of(held.asText())
                : java.util.Optional.empty());
    }

    public JsonNode submitQuote(QuoteEvidence quote, RequestSigning signing) throws ServerRefused, ServerUnreachable {
        return call("POST", "/api/v1/attestation/quotes", quote.toJson(), signing);
    }

    /** Registers the new machine key (certified by the AK over a key-rotation nonce); signed by the old key. Returns the key id. */
    public String rotateKey(String nonce, byte[] machineKeyPublic, org.stationtrust.tpm.KeyCertification certification,
                            RequestSigning signedByOldKey) throws ServerRefused, ServerUnreachable {
        ObjectNode body = JSON.createObjectNode();
        body.put("nonce", nonce);
        body.put("machineKeyPublic", B64.encodeToString(machineKeyPublic));
        body.put("certifyInfo", B64.encodeToString(certification.attest()));
        body.put("certifySignature", B64.encodeToString(certification.signature()));
        return text(call("POST", "/api/v1/stations/key-rotation", body, signedByOldKey), "keyId");
    }

    public JsonNode me(RequestSigning signing) throws ServerRefused, ServerUnreachable {
        return call("GET", "/api/v1/stations/me", null, signing);
    }

    /** Asks the server to check a capture packet against the enrolled key. */
    public JsonNode verifyPacket(String packetJws, RequestSigning signing) throws ServerRefused, ServerUnreachable {
        ObjectNode body = JSON.createObjectNode();
        body.put("packet", packetJws);
        return call("POST", "/api/v1/packets/verify", body, signing);
    }

    JsonNode call(String method, String path, ObjectNode body, RequestSigning signing) throws ServerRefused, ServerUnreachable {
        String fullPath = ServerPaths.join(base, path);
        byte[] bytes = body == null ? new byte[0] : body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.getScheme() + "://" + base.getRawAuthority() + fullPath))
                .timeout(timeout).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        signing.headers(method, fullPath, bytes).forEach(request::header);
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ServerUnreachable("cannot reach the enrollment server at " + base + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachable("interrupted while calling the server", e);
        }
        JsonNode answer;
        try (InputStream in = response.body()) {
            byte[] raw = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (raw.length > MAX_ANSWER_BYTES) throw new ServerUnreachable("the server's answer exceeds " + MAX_ANSWER_BYTES + " bytes", null);
            answer = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
        } catch (IOException e) {
            throw new ServerUnreachable("the server's answer to " + method + " " + path + " is not JSON (HTTP " + response.statusCode() + ")", e);
        }
        if (response.statusCode() / 100 != 2) {
            JsonNode error = answer.path("error");
            throw new ServerRefused(response.statusCode(), error.path("code").asText("unknown"),
                    error.path("message").asText("(no message)"));
        }
        return answer;
    }

    private static String describe(IOException e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof PinnedTls.ServerCertificateNotPinned) return t.getMessage();
            t = t.getCause();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    private static String pathId(String machineId) {
        if (!machineId.matches("[A-Za-z0-9_-]{1,64}")) throw new IllegalArgumentException("unexpected machine id format");
        return machineId;
    }

    private static String text(JsonNode node, String field) throws ServerUnreachable {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().length() > 4096) {
            throw new ServerUnreachable("the server's answer lacks the text field '" + field + "'", null);
        }
        return v.asText();
    }

    private static byte[] bytes(JsonNode node, String field) throws ServerUnreachable {
        try {
            return Base64.getDecoder().decode(text(node, field));
        } catch (IllegalArgumentException e) {
            throw new ServerUnreachable("the server's field '" + field + "' is not base64", e);
        }
    }
}
