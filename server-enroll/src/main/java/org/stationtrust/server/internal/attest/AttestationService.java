package org.stationtrust.server.internal.attest;

import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedMap;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.QuoteSubmission;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.boot.MeasuredBoot;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.metrics.ServerMetrics;
import org.stationtrust.server.internal.notify.FleetEvent;
import org.stationtrust.server.internal.notify.FleetEventType;
import org.stationtrust.server.internal.notify.FleetEvents;
import org.stationtrust.server.internal.station.SignedRequestVerifier.StationCaller;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.NonceStore;
import org.stationtrust.server.internal.store.StationMachine;
import org.stationtrust.tpm.verify.MalformedTpmStructure;
import org.stationtrust.tpm.verify.TpmPublic;

/**
 * Periodic attestation (docs/design.md, "Attestation"): single-use nonces, quote verification, PCR policy,
 * history. Every attempt is recorded; a failure flags the machine, which then fails closed.
 */
public final class AttestationService {
    public static final String PURPOSE_QUOTE = "quote";
    public static final String PURPOSE_KEY_ROTATION = "key-rotation";

    private final Database db;
    private final MachineStore machines;
    private final NonceStore nonces;
    private final AuditLog audit;
    private final Duration nonceTtl;
    private final NonceTokens tokens;
    private final ServerMetrics metrics;
    private final FleetEvents events;
    private final MeasuredBoot measuredBoot;

    public AttestationService(Database db, MachineStore machines, NonceStore nonces, AuditLog audit, Duration nonceTtl,
                              NonceTokens tokens, ServerMetrics metrics, FleetEvents events) {
        this.events = events;
        this.metrics = metrics;
        this.db = db;
        this.machines = machines;
        this.nonces = nonces;
        this.audit = audit;
        this.nonceTtl = nonceTtl;
        this.tokens = tokens;
        this.measuredBoot = new MeasuredBoot(db, audit, events);
    }

    public MeasuredBoot measuredBoot() {
        return measuredBoot;
    }

    /** What a passing attestation vouches for: the quoted PCRs and, under a boot policy, the boot's verdict. */
    public record Attested(SortedMap<Integer, byte[]> pcrs, Optional<MeasuredBoot.Judgement> boot) {
    }

    public record IssuedNonce(String nonce, String purpose, long expiresAt) {
    }

    public IssuedNonce issueNonce(StationCaller station, String purpose) {
        if (!PURPOSE_QUOTE.equals(purpose) && !PURPOSE_KEY_ROTATION.equals(purpose)) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "purpose must be 'quote' or 'key-rotation'");
        }
        long expires = (System.currentTimeMillis() + nonceTtl.toMillis()) / 1000 * 1000;
        byte[] n = tokens.issue(station.machine().id(), purpose, expires);
        return new IssuedNonce(Base64.getEncoder().encodeToString(n), purpose, expires);
    }

    /** Consumes a nonce issued to this machine for this purpose, or refuses (reused, expired, foreign, forged). */
    public byte[] consumeNonce(String machineId, String nonceB64, String purpose) {
        byte[] nonce = QuoteCheck.decodeNonce(nonceB64);
        long now = System.currentTimeMillis();
        NonceTokens.Verified v = tokens.verify(nonce, machineId, purpose, now);
        if (!db.batched(c -> nonces.consume(c, HexFormat.of().formatHex(nonce), machineId, purpose,
                v.expiresAtMillis(), now))) {
            throw alreadyUsed();
        }
        return nonce;
    }

    private static ApiException alreadyUsed() {
        return new ApiException(ErrorCode.NONCE_INVALID, "Nonce refused: it was already used (on this or another "
                + "server instance); request a fresh one");
    }

    /**
     * Verifies a quote against the machine's policy and records the result either way. The nonce is spent and the
     * result recorded in one transaction; a nonce this server issued to the machine is spent by a failed attempt too.
     * When the signed request's own nonce was left unrecorded, it is recorded first in that transaction: a replayed
     * request is refused and records nothing.
     */
    public Attested attest(StationCaller station, QuoteSubmission q) {
        long start = System.nanoTime();
        try {
            Attested attested = verifyAndRecord(station, q);
            metrics.attestation(null, System.nanoTime() - start);
            return attested;
        } catch (ApiException e) {
            metrics.attestation(e.code(), System.nanoTime() - start);
            throw e;
        }
    }

    private Attested verifyAndRecord(StationCaller station, QuoteSubmission q) {
        StationMachine m = station.machine();
        long now = System.currentTimeMillis();
        String[] spent = new String[1];
        long[] spentExpiry = new long[1];
        MeasuredBoot.Judgement[] judged = new MeasuredBoot.Judgement[1];
        java.util.concurrent.atomic.AtomicReference<SortedMap<Integer, byte[]>> quoted =
                new java.util.concurrent.atomic.AtomicReference<>();
        try {
            byte[] nonce = QuoteCheck.decodeNonce(q.nonce());
            NonceTokens.Verified v = tokens.verify(nonce, m.id(), PURPOSE_QUOTE, now);
            spent[0] = HexFormat.of().formatHex(nonce);
            spentExpiry[0] = v.expiresAtMillis();
            TpmPublic ak = parseStored(m.akPublic());
            SortedMap<Integer, byte[]> pcrs = QuoteCheck.verify(ak, nonce, q);
            quoted.set(pcrs);
            // under a boot policy the event log decides (docs/measured-boot.md); else the exact PCR values
            SortedMap<Integer, byte[]> baseline = PcrMap.fromJson(m.policyPcrs());
            judged[0] = measuredBoot.judge(m.id(), q.eventLog(), q.eventLogSha256(), pcrs, baseline).orElse(null);
            if (judged[0] == null) {
                QuoteCheck.requireMatchesPolicy(baseline, pcrs);
            } else if (!judged[0].verdict().result().passed()) {
                throw MeasuredBoot.failure(judged[0].verdict());
            }
            boolean recovered = !"OK".equals(m.attestationStatus());
            db.batched(c -> {
                station.recordNonce(c, nonces);
                if (!nonces.consume(c, spent[0], m.id(), PURPOSE_QUOTE, spentExpiry[0], now)) throw alreadyUsed();
                machines.recordAttestation(c, m.id(), true, judged[0] != null ? "quote verified, boot "
                        + judged[0].verdict().result().wire() : "quote verified against "
                        + (m.goldenPcrs() != null ? "golden values" : "baseline"), PcrMap.toJson(pcrs));
                if (judged[0] != null) measuredBoot.record(c, m.id(), judged[0], pcrs);
                if (recovered) {
                    audit.append(c, "machine:" + m.id(), "attestation.pass", m.id(), "OK",
                            "status " + m.attestationStatus() + " -> OK");
                }
                return null;
            });
            return new Attested(pcrs, Optional.ofNullable(judged[0]));
        } catch (ApiException e) {
            if (e.code() == ErrorCode.REQUEST_REPLAYED) throw e;
            db.batched(c -> {
                station.recordNonce(c, nonces);
                if (spent[0] != null) nonces.consume(c, spent[0], m.id(), PURPOSE_QUOTE, spentExpiry[0], now);
                machines.recordAttestation(c, m.id(), false, e.code().wire() + ": " + clip(e.getMessage()), null);
                if (judged[0] != null) measuredBoot.record(c, m.id(), judged[0], quoted.get());
                if (!"FAILED".equals(m.attestationStatus())) {
                    events.emit(c, FleetEvent.of(FleetEventType.ATTESTATION_FAILED, m.id(), m.name(),
                            e.code().wire() + ": " + clip(e.getMessage())));
                }
                return null;
            });
            throw e;
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, TpmPublic> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    /** Parses a stored AK public area; cached, since a stored public area never changes. */
    public static TpmPublic parseStored(String base64) {
        TpmPublic cached = PARSED.get(base64);
        if (cached != null) return cached;
        if (PARSED.size() > 100_000) PARSED.clear();
        try {
            TpmPublic parsed = TpmPublic.parse(Base64.getDecoder().decode(base64));
            PARSED.put(base64, parsed);
            return parsed;
        } catch (MalformedTpmStructure e) {
            throw new IllegalStateException("Stored TPM public area does not parse", e);
        }
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 250 ? s.substring(0, 250) : s;
    }
}
