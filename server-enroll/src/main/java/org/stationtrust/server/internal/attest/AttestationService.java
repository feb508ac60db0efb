package org.stationtrust.server.internal.attest;

import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.pcr.PcrPolicy;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import org.stationtrust.protocol.EnrollmentState;
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
import org.stationtrust.server.internal.store.AttestationStatus;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.AttestationStore;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.NonceStore;
import org.stationtrust.server.internal.store.StationMachine;
import org.stationtrust.tpm.verify.QuotedPcrs;
import org.stationtrust.tpm.verify.TpmPublic;

/**
 * Periodic attestation (docs/design.md, "Attestation"): single-use nonces, quote verification, PCR policy,
 * history. Every attempt is recorded; a failure flags the machine, which then fails closed.
 */
public final class AttestationService {
    public static final String PURPOSE_QUOTE = "quote";
    public static final String PURPOSE_KEY_ROTATION = "key-rotation";
    private static final int KNOWN_MACHINES = 100_000;

    private final Database db;
    private final MachineStore machines;
    private final AttestationStore attestations;
    private final NonceStore nonces;
    private final AuditLog audit;
    private final Duration nonceTtl;
    private final NonceTokens tokens;
    private final ServerMetrics metrics;
    private final FleetEvents events;
    private final MeasuredBoot measuredBoot;
    private final AkKeys akKeys = new AkKeys(100_000);
    /** Machine id to its stored AK, for {@link #unchangedBoot}; bounded like the parsed keys (past it, starts over). */
    private final ConcurrentHashMap<String, String> knownAks = new ConcurrentHashMap<>();

    public AttestationService(Database db, MachineStore machines, AttestationStore attestations, NonceStore nonces,
                              AuditLog audit, Duration nonceTtl, NonceTokens tokens, ServerMetrics metrics, FleetEvents events) {
        this.events = events;
        this.metrics = metrics;
        this.db = db;
        this.machines = machines;
        this.attestations = attestations;
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

    /**
     * A nonce for this machine and purpose. Issuing writes nothing and reads nothing: the machine id is bound by
     * the nonce's MAC, so an unsigned request for any id learns nothing about which machines exist.
     */
    public IssuedNonce issueNonce(String machineId, String purpose) {
        if (!PURPOSE_QUOTE.equals(purpose) && !PURPOSE_KEY_ROTATION.equals(purpose)) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "purpose must be 'quote' or 'key-rotation'");
        }
        long expires = (System.currentTimeMillis() + nonceTtl.toMillis()) / 1000 * 1000;
        byte[] n = tokens.issue(machineId, purpose, expires);
        return new IssuedNonce(Base64.getEncoder().encodeToString(n), purpose, expires);
    }

    private static ApiException alreadyUsed() {
        return new ApiException(ErrorCode.NONCE_INVALID, "Nonce refused: it was already used (on this or another "
                + "server instance); request a fresh one");
    }

    /**
     * Verifies a quote of a signed request against the machine's policy and records the result either way. The
     * nonce is spent and the result recorded in one transaction; a nonce this server issued to the machine is spent
     * by a failed attempt too. When the signed request's own nonce was left unrecorded, it is recorded first in
     * that transaction: a replayed request is refused and records nothing.
     */
    public Attested attest(StationCaller station, QuoteSubmission q) {
        return timed(() -> verifyAndRecord(station.machine(), station, q));
    }

    /**
     * Verifies an unsigned quote (docs/server-api.md, "Attestation"): the quote authenticates the request, since
     * only the machine's TPM can sign a quote over a nonce issued for that machine with its AK. Until the quote
     * has verified, the request could be anyone's, so a refusal before that records nothing against the machine
     * and spends nothing; after it, the attempt is the machine's and is recorded like a signed one. A nonce
     * already spent (a replay of the machine's own request) and a digest-only log the server does not hold are
     * refused without a record as well.
     */
    public Attested attestUnsigned(String machineId, QuoteSubmission q) {
        return timed(() -> {
            Optional<Attested> unchanged = unchangedBoot(machineId, q);
            if (unchanged.isPresent()) return unchanged.get();
            StationMachine m = machines.findWithCurrentKey(machineId).map(MachineStore.WithKey::machine)
                    .orElseThrow(() -> new ApiException(ErrorCode.MACHINE_UNKNOWN, "No enrolled machine with id '"
                            + clip(machineId) + "'; enroll this station first"));
            if (m.state() != EnrollmentState.ACTIVE) {
                throw new ApiException(ErrorCode.MACHINE_NOT_ACTIVE, "Machine " + m.id() + " is " + m.state()
                        + "; only ACTIVE (approved, not revoked) machines may attest");
            }
            if (knownAks.size() >= KNOWN_MACHINES) knownAks.clear();
            knownAks.put(m.id(), m.akPublic());
            return verifyAndRecord(m, null, q);
        });
    }

    /**
     * The usual attestation (docs/design.md, "An unchanged boot"): an unsigned quote of a machine this instance has
     * seen pass, bringing the digest of the log it passed with (or, within the unsigned body limit, that log again) and
     * the same PCR values. The quote is checked with the machine's AK as this instance read it (an AK never changes
     * under a machine id, and the transaction compares it again), the boot's verdict is the remembered one, and
     * everything that decision rests on (the machine ACTIVE with that AK, its accepted log, last verdict and PCR
     * values, the policy document that applies) is read in the attestation's own transaction before anything is
     * written. Empty, having spent and recorded nothing, whenever any of it does not hold: the full path then decides
     * as it always did. A quote the AK does not verify is refused at once, recording nothing, as the full path refuses
     * it after reading the machine.
     */
    private Optional<Attested> unchangedBoot(String machineId, QuoteSubmission q) {
        String ak = knownAks.get(machineId);
        if (ak == null || q.eventLog() == null && q.eventLogSha256() == null) return Optional.empty();
        long now = System.currentTimeMillis();
        byte[] nonce;
        SortedMap<Integer, byte[]> pcrs;
        MeasuredBoot.Unchanged unchanged;
        NonceTokens.Verified v;
        QuotedPcrs quoted;
        try {
            nonce = QuoteCheck.decodeNonce(q.nonce());
            v = tokens.verify(nonce, machineId, PURPOSE_QUOTE, now);
        } catch (ApiException e) {
            return Optional.empty();
        }
        // one check, not two (the full path would refuse a machine revoked since with MACHINE_NOT_ACTIVE instead)
        quoted = QuoteCheck.verify(akKeys.get(ak), nonce, q);
        try {
            pcrs = QuoteCheck.requireSha256(quoted);
            String pcrsJson = PcrMap.toJson(pcrs);
            // the log told by its digest, or sent whole (within the unsigned body limit): hashed once the quote verified
            Optional<MeasuredBoot.Unchanged> u = measuredBoot.unchanged(machineId, q.eventLog(), q.eventLogSha256(),
                    pcrsJson, quoted);
            if (u.isEmpty()) return Optional.empty();
            unchanged = u.get();
        } catch (ApiException e) {
            return Optional.empty();
        }
        Written written = recordUnchanged(machineId, ak, null, unchanged, HexFormat.of().formatHex(nonce),
                v.expiresAtMillis(), now);
        // a replay is refused as on the full path, nothing recorded either way
        if (written == Written.REPLAYED) throw alreadyUsed();
        boolean recorded = written == Written.RECORDED;
        metrics.unchangedBoot(recorded);
        return recorded ? Optional.of(new Attested(pcrs, Optional.of(unchanged.judgement()))) : Optional.empty();
    }

    /**
     * The transaction of an unchanged boot (docs/design.md, "An unchanged boot"), for an unsigned quote and a signed
     * one alike: it reads first whether the machine is still ACTIVE with the AK {@code ak} and its stored boot still
     * the one {@code unchanged} remembers, and writes nothing (NOTHING) when not; then, as the full path, spends the
     * signed request's own nonce ({@code signer}, null for an unsigned quote) and the quote's nonce, and records the
     * pass. A signed request seen before ends it with REPLAYED_REQUEST, having written nothing.
     */
    private Written recordUnchanged(String machineId, String ak, StationCaller signer, MeasuredBoot.Unchanged unchanged,
            String spent, long spentExpiry, long now) {
        String detail = "quote verified, boot " + unchanged.judgement().verdict().result().wire();
        try {
            return db.batched(c -> {
                AttestationStore.Standing s = attestations.standing(c, machineId).orElse(null);
                if (s == null || s.state() != EnrollmentState.ACTIVE || !ak.equals(s.akPublic())
                        || !measuredBoot.holds(c, machineId, unchanged)) {
                    return Written.NOTHING;
                }
                // the first write: a replay ends the transaction without one (see Written)
                if (signer != null && !signer.recordNonceIfFresh(c, nonces)) return Written.REPLAYED_REQUEST;
                if (!nonces.consume(c, spent, machineId, PURPOSE_QUOTE, spentExpiry, now)) {
                    if (signer == null) return Written.REPLAYED;
                    throw alreadyUsed(); // the request's own nonce is written already: roll it back
                }
                if (!attestations.recordPassIfActive(c, machineId, detail, unchanged.pcrsJson(), unchanged.firmware())) {
                    throw new StaleStanding();
                }
                measuredBoot.recordUnchanged(c, machineId, unchanged);
                if (s.attestationStatus() != AttestationStatus.OK) {
                    audit.append(c, "machine:" + machineId, "attestation.pass", machineId, AuditOutcome.OK,
                            "status " + s.attestationStatus() + " -> OK");
                }
                return Written.RECORDED;
            });
        } catch (StaleStanding e) {
            return Written.NOTHING;
        }
    }

    private Attested timed(java.util.function.Supplier<Attested> attempt) {
        long start = System.nanoTime();
        try {
            Attested attested = attempt.get();
            metrics.attestation(null, System.nanoTime() - start);
            return attested;
        } catch (ApiException e) {
            metrics.attestation(e.code(), System.nanoTime() - start);
            throw e;
        }
    }

    /** One attempt; {@code signer} is null for an unsigned request, which the quote alone authenticates. */
    private Attested verifyAndRecord(StationMachine m, StationCaller signer, QuoteSubmission q) {
        long now = System.currentTimeMillis();
        Attempt a = new Attempt();
        try {
            byte[] nonce = QuoteCheck.decodeNonce(q.nonce());
            NonceTokens.Verified v = tokens.verify(nonce, m.id(), PURPOSE_QUOTE, now);
            a.spent = HexFormat.of().formatHex(nonce);
            a.spentExpiry = v.expiresAtMillis();
            QuotedPcrs quoted = QuoteCheck.verify(akKeys.get(m.akPublic()), nonce, q);
            a.quoteVerified = true;
            a.pcrs = QuoteCheck.requireSha256(quoted);
            // a signed quote of the boot this instance passed last, told by digest or by the whole log again, is
            // decided from memory as an unsigned one is
            Optional<MeasuredBoot.Unchanged> unchanged = signer == null ? Optional.empty()
                    : measuredBoot.unchanged(m.id(), q.eventLog(), q.eventLogSha256(), PcrMap.toJson(a.pcrs), quoted);
            if (unchanged.isPresent()) {
                Written written = recordUnchanged(m.id(), m.akPublic(), signer, unchanged.get(), a.spent,
                        a.spentExpiry, now);
                if (written == Written.REPLAYED_REQUEST) throw signer.replayedRequest();
                metrics.unchangedBoot(written == Written.RECORDED);
                if (written == Written.RECORDED) return new Attested(a.pcrs, Optional.of(unchanged.get().judgement()));
            }
            // under a boot policy the event log decides (docs/measured-boot.md); else the exact PCR values
            PcrPolicy policy = m.pcrPolicy();
            SortedMap<Integer, byte[]> baseline = policy.values();
            a.judged = measuredBoot.judge(m.id(), q.eventLog(), q.eventLogSha256(), quoted, baseline).orElse(null);
            if (a.judged == null) {
                QuoteCheck.requireMatchesPolicy(baseline, a.pcrs);
            } else if (!a.judged.verdict().result().passed()) {
                throw MeasuredBoot.failure(a.judged.verdict());
            }
            boolean recovered = m.attestationStatus() != AttestationStatus.OK;
            Written written = db.batched(c -> {
                // the first write of each kind of replay ends the transaction without a write (see Written)
                if (signer != null && !signer.recordNonceIfFresh(c, nonces)) return Written.REPLAYED_REQUEST;
                if (!nonces.consume(c, a.spent, m.id(), PURPOSE_QUOTE, a.spentExpiry, now)) {
                    if (signer == null) return Written.REPLAYED;
                    throw alreadyUsed(); // the request's own nonce is written already: roll it back
                }
                attestations.recordAttestation(c, m.id(), true, a.judged != null ? "quote verified, boot "
                        + a.judged.verdict().result().wire() : "quote verified against "
                        + policy.source().description(), PcrMap.toJson(a.pcrs));
                if (a.judged != null) measuredBoot.record(c, m.id(), a.judged, a.pcrs);
                if (recovered) {
                    audit.append(c, "machine:" + m.id(), "attestation.pass", m.id(), AuditOutcome.OK,
                            "status " + m.attestationStatus() + " -> OK");
                }
                return Written.RECORDED;
            });
            if (written == Written.REPLAYED_REQUEST) throw signer.replayedRequest();
            if (written == Written.REPLAYED) throw alreadyUsed();
            return new Attested(a.pcrs, Optional.ofNullable(a.judged));
        } catch (ApiException e) {
            if (e.code() == ErrorCode.REQUEST_REPLAYED) throw e;
            if (signer == null && (!a.quoteVerified || e.code() == ErrorCode.NONCE_INVALID
                    || e.code() == ErrorCode.EVENT_LOG_REQUIRED)) {
                throw e;
            }
            recordFailure(m, signer, a, e, now);
            throw e;
        }
    }

    /**
     * What an attestation's transaction did. A replay (a spent nonce, or a signed request's nonce used before) is
     * found by the transaction's first write and ends it without writing instead of throwing: on SQLite the
     * transaction is shared with other requests' writes (group commit), and a throw rolls all of them back and runs
     * each again in its own transaction, so a replayed request would cost the server the whole batch's work again.
     */
    private enum Written { RECORDED, NOTHING, REPLAYED, REPLAYED_REQUEST }

    /** The machine stopped being ACTIVE between the standing read and the write (another instance revoked it). */
    private static final class StaleStanding extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StaleStanding() {
            super("machine no longer ACTIVE", null, false, false);
        }
    }

    /** What one attempt established so far. */
    private static final class Attempt {
        String spent;
        long spentExpiry;
        SortedMap<Integer, byte[]> pcrs;
        boolean quoteVerified;
        MeasuredBoot.Judgement judged;
    }

    /** Records a failed attempt; a signed request replayed is refused instead, having recorded nothing. */
    private void recordFailure(StationMachine m, StationCaller signer, Attempt a, ApiException e, long now) {
        boolean fresh = db.batched(c -> {
            // the first write: a replay ends the transaction without one (see Written)
            if (signer != null && !signer.recordNonceIfFresh(c, nonces)) return false;
            if (a.spent != null) nonces.consume(c, a.spent, m.id(), PURPOSE_QUOTE, a.spentExpiry, now);
            attestations.recordAttestation(c, m.id(), false, e.code().wire() + ": " + clip(e.getMessage()), null);
            if (a.judged != null) measuredBoot.record(c, m.id(), a.judged, a.pcrs);
            if (e.code() == ErrorCode.PCR_BANK_REFUSED) {
                audit.append(c, "machine:" + m.id(), "attestation.pcr_bank_refused", m.id(), AuditOutcome.REFUSED,
                        e.code().wire() + ": " + clip(e.getMessage()));
            }
            if (m.attestationStatus() != AttestationStatus.FAILED) {
                events.emit(c, FleetEvent.of(FleetEventType.ATTESTATION_FAILED, m.id(), m.name(),
                        e.code().wire() + ": " + clip(e.getMessage())));
            }
            return true;
        });
        if (!fresh) throw signer.replayedRequest();
    }

    /** The machine's AK as a parsed key, kept for its next quote check. */
    public TpmPublic akPublic(String storedBase64) {
        return akKeys.get(storedBase64);
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 250 ? s.substring(0, 250) : s;
    }
}
