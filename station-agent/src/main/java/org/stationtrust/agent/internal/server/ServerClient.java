package org.stationtrust.agent.internal.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.stationtrust.protocol.ActivationRequest;
import org.stationtrust.protocol.EnrollmentChallenge;
import org.stationtrust.protocol.EnrollmentRequest;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.EnrollmentStatus;
import org.stationtrust.protocol.ErrorAnswer;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.KeyRotationRequest;
import org.stationtrust.protocol.KeyRotationResult;
import org.stationtrust.protocol.KeyRotationWithdrawal;
import org.stationtrust.protocol.KeyRotationWithdrawn;
import org.stationtrust.protocol.NonceIssued;
import org.stationtrust.protocol.NoncePurpose;
import org.stationtrust.protocol.NonceRequest;
import org.stationtrust.protocol.PacketCheck;
import org.stationtrust.protocol.PcrBank;
import org.stationtrust.protocol.PacketVerdict;
import org.stationtrust.protocol.QuoteResult;
import org.stationtrust.protocol.QuoteSubmission;
import org.stationtrust.protocol.StationRoute;
import org.stationtrust.protocol.StationStatus;
import org.stationtrust.protocol.WireJson;
import org.stationtrust.tpm.verify.PcrValues;
import org.stationtrust.tpm.verify.QuotedPcrs;

/**
 * The station's client of server-enroll's HTTP API (docs/server-api.md; the server itself is server-enroll's
 * {@code EnrollmentServer}): enrollment and activation
 * (anonymous), then nonces, quotes and key rotation signed with the TPM machine key. Requests and answers are the
 * station-protocol records; errors carry the protocol's {@link ErrorCode}.
 */
public final class ServerClient {
    static final int MAX_ANSWER_BYTES = 256 * 1024;
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private final ServerExchange exchange;
    private final URI base;
    private final Duration timeout;

    /** {@code timeout} bounds each whole call: connecting, sending, the answer's headers and its body. */
    public ServerClient(HttpClient http, URI base, Duration timeout) {
        this.exchange = new ServerExchange(http, timeout);
        this.base = base;
        this.timeout = timeout;
    }

    /** The server's answer to an enrollment: the machine id and the credential challenge, decoded. */
    public record Challenge(String machineId, EnrollmentState state, byte[] credentialBlob, byte[] encryptedSecret,
                            byte[] quoteNonce) {
    }

    /**
     * A quote as the server wants it: nonce (as issued), TPMS_ATTEST, TPMT_SIGNATURE, the PCR values of each bank
     * quoted, and the boot event log (null: none) or only its SHA-256 (hex, null: none) when the server holds that
     * log.
     */
    public record QuoteEvidence(String nonce, byte[] attest, byte[] signature, QuotedPcrs pcrs,
                                byte[] eventLog, String eventLogSha256) {
        public QuoteEvidence(String nonce, byte[] attest, byte[] signature, QuotedPcrs pcrs) {
            this(nonce, attest, signature, pcrs, null, null);
        }

        /** A quote of the SHA-256 bank alone goes as {@code pcrs}; one over several banks as {@code pcrBanks}. */
        QuoteSubmission toWire() {
            Map<String, Map<String, String>> banks = new java.util.LinkedHashMap<>();
            for (PcrValues bank : pcrs.banks()) {
                Map<String, String> values = new java.util.TreeMap<>();
                bank.asMap().forEach((i, v) -> values.put(Integer.toString(i), B64.encodeToString(v)));
                // the wire name is the protocol's (PcrBank); a bank it does not know cannot be sent
                PcrBank name = PcrBank.fromWire(bank.bank().bankName()).orElseThrow(() -> new IllegalStateException(
                        "the quote covers " + bank.bank() + ", which the server's protocol does not carry"));
                banks.put(name.wire(), values);
            }
            return QuoteSubmission.ofBanks(nonce, B64.encodeToString(attest), B64.encodeToString(signature), banks,
                    eventLog == null ? null : B64.encodeToString(eventLog), eventLogSha256);
        }
    }

    /** A quote nonce, and the SHA-256 of the boot event log the server holds for this machine, if any. */
    public record QuoteNonce(String nonce, java.util.Optional<String> heldEventLogSha256) {
    }

    /**
     * Sends an enrollment; {@code signing} signs it with the machine key (kid: the key's TPM Name), which the server
     * needs to answer a retry of the same enrollment (201 the first time, 200 with the same answer for a retry).
     */
    public Challenge enroll(EnrollmentRequest request, RequestSigning signing) throws ServerRefused, ServerUnreachable {
        EnrollmentChallenge a = call(StationRoute.ENROLL, StationRoute.ENROLL.path(), request, signing,
                EnrollmentChallenge.class);
        return new Challenge(a.machineId(), a.state(), bytes("credentialBlob", a.credentialBlob()),
                bytes("encryptedSecret", a.encryptedSecret()), bytes("quoteNonce", a.quoteNonce()));
    }

    /** Proves TPM residency with the recovered secret and sends the first quote; returns the new state. */
    public EnrollmentState activate(String machineId, byte[] secret, QuoteEvidence firstQuote) throws ServerRefused, ServerUnreachable {
        ActivationRequest body = new ActivationRequest(B64.encodeToString(secret), firstQuote.toWire());
        return call(StationRoute.ACTIVATE, StationRoute.ACTIVATE.path(machineId), body, RequestSigning.NONE,
                EnrollmentStatus.class).state();
    }

    public EnrollmentState enrollmentState(String machineId) throws ServerRefused, ServerUnreachable {
        return call(StationRoute.ENROLLMENT_STATUS, StationRoute.ENROLLMENT_STATUS.path(machineId), null,
                RequestSigning.NONE, EnrollmentStatus.class).state();
    }

    /** A fresh single-use nonce (base64, as issued) for a quote or a key rotation. */
    public String nonce(NoncePurpose purpose, RequestSigning signing) throws ServerRefused, ServerUnreachable {
        return call(StationRoute.NONCE, StationRoute.NONCE.path(), new NonceRequest(purpose), signing, NonceIssued.class)
                .nonce();
    }

    /** A quote nonce; the answer also says which event log digest the server holds (docs/server-api.md). */
    public QuoteNonce quoteNonce(RequestSigning signing) throws ServerRefused, ServerUnreachable {
        NonceIssued a = call(StationRoute.NONCE, StationRoute.NONCE.path(), new NonceRequest(NoncePurpose.QUOTE), signing,
                NonceIssued.class);
        return new QuoteNonce(a.nonce(), java.util.Optional.ofNullable(a.eventLogSha256()));
    }

    /**
     * A quote nonce asked for without a signature (docs/server-api.md, "Attestation"): it names the machine, costs
     * the server no signature check, and says nothing of the log the server holds.
     */
    public String unsignedQuoteNonce(String machineId) throws ServerRefused, ServerUnreachable {
        return call(StationRoute.NONCE, StationRoute.NONCE.path(), NonceRequest.unsignedQuote(machineId),
                RequestSigning.NONE, NonceIssued.class).nonce();
    }

    /** A quote sent unsigned: the quote, by the machine's AK over a nonce issued for it, authenticates it. */
    public QuoteResult submitUnsignedQuote(String machineId, QuoteEvidence quote) throws ServerRefused, ServerUnreachable {
        return call(StationRoute.QUOTE, StationRoute.QUOTE.path(), quote.toWire().forMachine(machineId),
                RequestSigning.NONE, QuoteResult.class);
    }

    public QuoteResult submitQuote(QuoteEvidence quote, RequestSigning signing) throws ServerRefused, ServerUnreachable {
        return call(StationRoute.QUOTE, StationRoute.QUOTE.path(), quote.toWire(), signing, QuoteResult.class);
    }

    /** Registers the new machine key (certified by the AK over a key-rotation nonce); signed by the old key. Returns the key id. */
    public String rotateKey(String nonce, byte[] machineKeyPublic, org.stationtrust.tpm.KeyCertification certification,
                            RequestSigning signedByOldKey) throws ServerRefused, ServerUnreachable {
        KeyRotationRequest body = new KeyRotationRequest(nonce, B64.encodeToString(machineKeyPublic),
                B64.encodeToString(certification.attest()), B64.encodeToString(certification.signature()));
        return call(StationRoute.KEY_ROTATION, StationRoute.KEY_ROTATION.path(), body, signedByOldKey,
                KeyRotationResult.class).keyId();
    }

    /** A key-rotation nonce as issued, with its expiry: the agent notes both before the rotation leaves. */
    public NonceIssued rotationNonce(RequestSigning signing) throws ServerRefused, ServerUnreachable {
        return call(StationRoute.NONCE, StationRoute.NONCE.path(), new NonceRequest(NoncePurpose.KEY_ROTATION), signing,
                NonceIssued.class);
    }

    /**
     * Withdraws the rotation that carries {@code nonce} (docs/server-api.md, "Withdrawing a rotation"), signed by the
     * key the server accepts now: on a 2xx, no rotation with that nonce can take effect any more.
     */
    public KeyRotationWithdrawn withdrawRotation(String nonce, RequestSigning signedByCurrentKey)
            throws ServerRefused, ServerUnreachable {
        return call(StationRoute.KEY_ROTATION_WITHDRAWAL, StationRoute.KEY_ROTATION_WITHDRAWAL.path(),
                new KeyRotationWithdrawal(nonce), signedByCurrentKey, KeyRotationWithdrawn.class);
    }

    public StationStatus me(RequestSigning signing) throws ServerRefused, ServerUnreachable {
        return call(StationRoute.ME, StationRoute.ME.path(), null, signing, StationStatus.class);
    }

    /** Asks the server to check a capture packet against the enrolled key. */
    public PacketVerdict verifyPacket(String packetJws, RequestSigning signing) throws ServerRefused, ServerUnreachable {
        return call(StationRoute.PACKETS_VERIFY, StationRoute.PACKETS_VERIFY.path(), new PacketCheck(packetJws), signing,
                PacketVerdict.class);
    }

    /**
     * One call: the body written from its record, the answer read into {@code answerType} (unknown fields skipped,
     * everything else strict), an error answer into {@link ServerRefused} with its {@link ErrorCode}.
     */
    <T> T call(StationRoute route, String path, Object body, RequestSigning signing, Class<T> answerType)
            throws ServerRefused, ServerUnreachable {
        byte[] bytes;
        try {
            bytes = body == null ? null : WireJson.strict().writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the body of " + route, e);
        }
        byte[] raw = exchange(route.method(), path, bytes, signing);
        try {
            T answer = WireJson.answers().readValue(raw, answerType);
            if (answer == null) throw new ServerUnreachable("the server's answer to " + route + " is empty", null);
            return answer;
        } catch (IOException e) {
            throw new ServerUnreachable("the server's answer to " + route.method() + " " + path + " is not the expected "
                    + answerType.getSimpleName() + ": " + e.getMessage().split("\n")[0], e);
        }
    }

    /** The raw exchange: the 2xx answer's bytes, or the error answer as {@link ServerRefused}. */
    private byte[] exchange(String method, String path, byte[] body, RequestSigning signing) throws ServerRefused, ServerUnreachable {
        String fullPath = ServerPaths.join(base, path);
        byte[] bytes = body == null ? new byte[0] : body;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.getScheme() + "://" + base.getRawAuthority() + fullPath))
                .timeout(timeout).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        signing.headers(method, fullPath, bytes).forEach(request::header);
        ServerExchange.Answer answer = exchange.send(request.build(), MAX_ANSWER_BYTES);
        if (answer.status() / 100 != 2) {
            throw refusal(answer.status(), answer.body());
        }
        return answer.body();
    }

    /** An error answer as the protocol defines it; anything else is still a refusal, without a known code. */
    private static ServerRefused refusal(int status, byte[] raw) {
        try {
            ErrorAnswer error = WireJson.answers().readValue(raw, ErrorAnswer.class);
            return new ServerRefused(status, error.code(), error.error().code(),
                    error.error().message() == null ? "(no message)" : error.error().message());
        } catch (IOException | RuntimeException e) {
            return new ServerRefused(status, java.util.Optional.empty(), "http_" + status,
                    "the answer is not the server's error object");
        }
    }

    private static byte[] bytes(String field, String value) throws ServerUnreachable {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new ServerUnreachable("the server's field '" + field + "' is not base64", e);
        }
    }
}
