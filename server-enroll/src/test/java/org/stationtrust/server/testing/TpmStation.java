package org.stationtrust.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.function.Function;
import org.stationtrust.tpm.KeyCertification;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.Quote;
import org.stationtrust.tpm.TpmException;

/**
 * The station side of the protocol in tests, driving a real (software) TPM through the tpm module:
 * builds the enrollment request, activates the credential, quotes and signs requests with the TPM key.
 */
public final class TpmStation {
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private final MachineIdentity identity;
    private final StationClient client;
    private final String name;
    public String machineId;

    public TpmStation(MachineIdentity identity, StationClient client, String name) {
        this.identity = identity;
        this.client = client;
        this.name = name;
    }

    public MachineIdentity identity() {
        return identity;
    }

    /** The enrollment body, as the agent sends it. */
    public ObjectNode enrollmentBody() {
        try {
            KeyCertification cert = identity.certifyMachineKey(org.stationtrust.protocol.QualifyingData.enrollment(name));
            ObjectNode b = TestServer.JSON.createObjectNode();
            b.put("machineName", name);
            b.put("ekCertificate", B64.encodeToString(identity.endorsementKey().certificate().getEncoded()));
            b.put("ekPublic", B64.encodeToString(identity.endorsementKey().publicArea().encoded()));
            b.put("akPublic", B64.encodeToString(identity.attestationKey().publicArea().encoded()));
            b.put("machineKeyPublic", B64.encodeToString(identity.machineKey().publicArea().encoded()));
            b.put("machineKeyCertifyInfo", B64.encodeToString(cert.attest()));
            b.put("machineKeyCertifySignature", B64.encodeToString(cert.signature()));
            return b;
        } catch (TpmException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key rotation prepared and not sent: the station holding the new key, and the body the old key is to sign. */
    public record Rotation(TpmStation station, String body) {
    }

    /**
     * A new machine key at a second handle of {@code tpm} (this station's TPM), certified by the AK over the
     * key-rotation {@code nonce}, and the body of {@code POST /api/v1/stations/key-rotation} (docs/server-api.md,
     * "Key rotation").
     */
    public Rotation prepareRotation(org.stationtrust.tpm.TpmConnection tpm, String nonce) throws TpmException {
        org.stationtrust.tpm.IdentityConfig cfg = identity.config();
        MachineIdentity next = MachineIdentity.provision(tpm, cfg.withHandles(cfg.storageRootHandle(),
                cfg.attestationKeyHandle(), cfg.machineKeyHandle() + 0x80));
        KeyCertification cert = next.certifyMachineKey(Base64.getDecoder().decode(nonce));
        ObjectNode rot = TestServer.JSON.createObjectNode();
        rot.put("nonce", nonce);
        rot.put("machineKeyPublic", B64.encodeToString(next.machineKey().publicArea().encoded()));
        rot.put("certifyInfo", B64.encodeToString(cert.attest()));
        rot.put("certifySignature", B64.encodeToString(cert.signature()));
        TpmStation rotated = new TpmStation(next, client, name);
        rotated.machineId = machineId;
        return new Rotation(rotated, rot.toString());
    }

    public HttpResponse<String> enroll(ObjectNode body) {
        HttpResponse<String> r = client.sendRaw("POST", "/api/v1/enrollments", body.toString(), null);
        if (r.statusCode() == 201) machineId = TestServer.json(r).path("machineId").asText();
        return r;
    }

    /**
     * The enrollment signed by the machine key, as the agent sends it (docs/server-api.md, "Enrollment"): the
     * {@code X-Station-Signature} JWS with the key's hex TPM Name as {@code kid}, a fresh nonce each call.
     */
    public HttpResponse<String> enrollSigned(ObjectNode body) {
        String b = body.toString();
        return enrollWith(b, enrollmentSignature(b));
    }

    /** The signature header of one enrollment attempt with {@code body}: fresh nonce, current time. */
    public String enrollmentSignature(String body) {
        String kid = java.util.HexFormat.of().formatHex(identity.machineKey().name());
        return StationClient.header(kid, StationClient.payload("POST", "/api/v1/enrollments", StationClient.bytes(body),
                System.currentTimeMillis() / 1000, StationClient.randomNonce()), signer());
    }

    /** Sends an enrollment exactly as given (body and signature header, null: unsigned). */
    public HttpResponse<String> enrollWith(String body, String signatureHeader) {
        HttpResponse<String> r = client.sendRaw("POST", "/api/v1/enrollments", body, signatureHeader);
        if (r.statusCode() == 201 || r.statusCode() == 200) machineId = TestServer.json(r).path("machineId").asText();
        return r;
    }

    /** Recovers the secret with ActivateCredential and sends it with the first quote. */
    public HttpResponse<String> activate(JsonNode challenge) {
        return activateWith(recoverSecret(challenge), d(challenge.path("quoteNonce").asText()));
    }

    /** The activation secret, recovered by the TPM from the enrollment answer's credential challenge. */
    public byte[] recoverSecret(JsonNode challenge) {
        try {
            return identity.activateCredential(d(challenge.path("credentialBlob").asText()),
                    d(challenge.path("encryptedSecret").asText()));
        } catch (TpmException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> activateWith(byte[] secret, byte[] quoteNonce) {
        return activateWith(secret, quoteNonce, B64.encodeToString(quoteNonce));
    }

    /** An activation whose quote is over {@code quoteNonce} but whose {@code nonce} field says {@code nonceField}. */
    public HttpResponse<String> activateWith(byte[] secret, byte[] quoteNonce, String nonceField) {
        ObjectNode b = TestServer.JSON.createObjectNode();
        b.put("secret", B64.encodeToString(secret));
        b.set("quote", quoteJson(quoteNonce, nonceField));
        return client.sendRaw("POST", "/api/v1/enrollments/" + machineId + "/activation", b.toString(), null);
    }

    public ObjectNode quoteJson(byte[] nonce, String nonceField) {
        try {
            Quote q = identity.quote(nonce);
            ObjectNode quote = TestServer.JSON.createObjectNode();
            quote.put("nonce", nonceField);
            quote.put("attest", B64.encodeToString(q.attest()));
            quote.put("signature", B64.encodeToString(q.signature()));
            ObjectNode pcrs = quote.putObject("pcrs");
            q.pcrs().sha256().orElseThrow().asMap().forEach((k, v) -> pcrs.put(Integer.toString(k), B64.encodeToString(v)));
            return quote;
        } catch (TpmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Function<byte[], byte[]> signer() {
        return data -> {
            try {
                return identity.machineKey().signJose(data);
            } catch (TpmException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    public HttpResponse<String> signed(String method, String path, String body) {
        return client.send(method, path, body, machineId, signer());
    }

    /** Nonce, quote, submit: one periodic attestation. Returns the quote submission response. */
    public HttpResponse<String> attest() {
        HttpResponse<String> n = signed("POST", "/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}");
        if (n.statusCode() != 201) return n;
        String nonce = TestServer.json(n).path("nonce").asText();
        return signed("POST", "/api/v1/attestation/quotes", quoteJson(d(nonce), nonce).toString());
    }

    public static byte[] d(String b64) {
        return Base64.getDecoder().decode(b64);
    }
}
