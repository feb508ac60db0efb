package org.stationtrust.server.internal.enroll;

import static org.stationtrust.server.internal.enroll.EnrollmentCheck.challenge;
import static org.stationtrust.server.internal.enroll.EnrollmentCheck.checkCertification;
import static org.stationtrust.server.internal.enroll.EnrollmentCheck.parsePublic;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.stationtrust.protocol.ActivationRequest;
import org.stationtrust.protocol.EnrollmentRequest;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.server.internal.enroll.EnrollmentCheck.CheckedEk;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.notify.FleetEvents;
import org.stationtrust.server.internal.station.EnrollmentSignature;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.EnrollmentAnswerStore;
import org.stationtrust.server.internal.store.EnrollmentAnswerStore.StoredChallenge;
import org.stationtrust.server.internal.store.EnrollmentTokenStore;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.NonceStore;
import org.stationtrust.tpm.verify.CredentialChallenge;
import org.stationtrust.tpm.verify.EkCertificateValidator;
import org.stationtrust.tpm.verify.TpmPublic;

/**
 * The enrollment protocol, server side (docs/design.md, "Enrollment" steps 2-5), and its one job of its own: recording
 * a new enrollment (its token use, the machine with its open credential challenge, the re-enrollment bookkeeping) and
 * answering it with the challenge. A retry of an enrollment whose answer was lost (same token, same EK, AK and machine
 * key, signed by that machine key) gets the pending enrollment's answer again instead of a refusal (docs/design.md,
 * "Enrollment retry"); enrollments never activated expire. The request's keys are checked by {@link EnrollmentCheck},
 * the proof and first quote by {@link CredentialActivation}.
 */
public final class EnrollmentService {
    public static final int MAX_ACTIVATION_ATTEMPTS = 3;

    private final Database db;
    private final MachineStore machines;
    private final EnrollmentTokenStore tokens;
    private final AuditLog audit;
    private final boolean requireToken;
    private final EnrollmentAnswerStore answers = new EnrollmentAnswerStore();
    private final NonceStore nonces;
    private final EnrollmentCheck requestCheck;
    private final CredentialActivation activation;

    public EnrollmentService(Database db, MachineStore machines, EnrollmentTokenStore tokens, AuditLog audit,
                             Optional<EkCertificateValidator> ekValidator, boolean requireToken, FleetEvents events) {
        this.db = db;
        this.machines = machines;
        this.tokens = tokens;
        this.audit = audit;
        this.requireToken = requireToken;
        this.nonces = new NonceStore(db);
        this.requestCheck = new EnrollmentCheck(ekValidator);
        this.activation = new CredentialActivation(db, machines, audit, events, answers);
    }

    /**
     * The answer to an enrollment request: the challenge and the nonce for the first quote; {@code repeated} when it
     * is the answer an earlier attempt of the same enrollment was given (a retry).
     */
    public record Challenge(String machineId, EnrollmentState state, boolean ekVerified, String reenrollmentOf,
                            byte[] credentialBlob, byte[] encryptedSecret, byte[] quoteNonce, boolean repeated) {
    }

    /** What a first attempt creates: the new machine's id, its challenge and the first quote's nonce. */
    private record Fresh(String machineId, byte[] secret, CredentialChallenge challenge, byte[] quoteNonce) {
    }

    /**
     * Checks an enrollment request and records the enrollment it begins, or, for a retry of an enrollment whose token
     * it already spent, answers that enrollment's challenge again. {@code presented} carries the optional signature.
     */
    public Challenge begin(EnrollmentRequest r, EnrollmentSignature.Presented presented, String requestSource) {
        if (requireToken && r.enrollmentToken() == null) {
            throw new ApiException(ErrorCode.ENROLLMENT_TOKEN_INVALID, "This server requires a one-time enrollment "
                    + "token; ask an admin to issue one");
        }
        CheckedEk ek = requestCheck.checkEndorsementKey(r);
        TpmPublic ak = parsePublic("akPublic", r.akPublic());
        TpmPublic machineKey = parsePublic("machineKeyPublic", r.machineKeyPublic());
        KeyRules.requireAttestationKey(ak);
        KeyRules.requireMachineKey(machineKey);
        checkCertification(r, ak, machineKey);
        Optional<EnrollmentSignature.Proof> signature = EnrollmentSignature.check(presented, machineKey);
        byte[] secret = Secrets.randomBytes(32);
        Fresh fresh = new Fresh(Secrets.newId(), secret, challenge(ek.ekPublic(), ak, secret), Secrets.randomBytes(32));
        return db.inTransaction(c -> {
            String tokenId = null;
            if (r.enrollmentToken() != null) {
                String tokenHash = Secrets.digest(r.enrollmentToken());
                Optional<String> spent = tokens.consume(c, tokenHash, fresh.machineId(), System.currentTimeMillis());
                if (spent.isEmpty()) return retry(c, r, tokenHash, ek, ak, machineKey, signature, requestSource);
                tokenId = spent.get();
            }
            String replaced = record(c, r, requestSource, ek, ak, machineKey, fresh, tokenId);
            if (signature.isPresent() && !nonces.recordRequestNonce(c, fresh.machineId(), signature.get().nonce().nonce(),
                    signature.get().nonce().keepUntil())) {
                throw replayed();
            }
            return new Challenge(fresh.machineId(), EnrollmentState.PENDING_ACTIVATION, ek.verified(), replaced,
                    fresh.challenge().credentialBlob(), fresh.challenge().encryptedSecret(), fresh.quoteNonce(), false);
        });
    }

    /**
     * The token was spent already: only the enrollment it was spent on, asked again by the station that holds its
     * machine key, gets an answer, the same one as before; everything else is refused exactly as an unknown, used or
     * expired token (docs/design.md, "Enrollment retry"). Holds while that enrollment is PENDING_ACTIVATION.
     */
    private Challenge retry(Connection c, EnrollmentRequest r, String tokenHash, CheckedEk ek, TpmPublic ak,
                            TpmPublic machineKey, Optional<EnrollmentSignature.Proof> signature, String requestSource)
            throws SQLException {
        if (signature.isEmpty()) throw tokenRefused();
        EnrollmentTokenStore.TokenUse use = tokens.use(c, tokenHash).orElseThrow(EnrollmentService::tokenRefused);
        MachineStore.PendingEnrollment m = machines.findPending(c, use.machineId())
                .orElseThrow(EnrollmentService::tokenRefused);
        MachineStore.MachineKey key = machines.currentKey(c, m.id()).orElseThrow(EnrollmentService::tokenRefused);
        StoredChallenge answer = answers.find(c, m.id()).orElseThrow(EnrollmentService::tokenRefused);
        Base64.Encoder b64 = Base64.getEncoder();
        boolean same = m.state() == EnrollmentState.PENDING_ACTIVATION && m.name().equals(r.machineName())
                && m.ekPublic().equals(b64.encodeToString(ek.ekPublic().encoded())) && m.ekVerified() == ek.verified()
                && m.akPublic().equals(b64.encodeToString(ak.encoded()))
                && key.tpmPublic().equals(b64.encodeToString(machineKey.encoded()));
        if (!same) throw tokenRefused();
        signature.get().requireTimely();
        if (!nonces.recordRequestNonce(c, m.id(), signature.get().nonce().nonce(), signature.get().nonce().keepUntil())) {
            throw replayed();
        }
        audit.append(c, "station@" + requestSource, "enrollment.retry", m.id(), AuditOutcome.OK,
                "the station retried its "
                + "enrollment with token " + use.tokenId() + " (same EK, AK and machine key, signed by that key); "
                + "answered with this pending enrollment's challenge again"
                + (requestSource.equals(m.requestSource()) ? "" : "; from " + requestSource + ", the first attempt "
                        + "came from " + m.requestSource()));
        Base64.Decoder d = Base64.getDecoder();
        return new Challenge(m.id(), m.state(), m.ekVerified(), m.replacesMachine(), d.decode(answer.credentialBlob()),
                d.decode(answer.encryptedSecret()), HexFormat.of().parseHex(m.firstQuoteNonce()), true);
    }

    private static ApiException tokenRefused() {
        return new ApiException(ErrorCode.ENROLLMENT_TOKEN_INVALID, "The enrollment token is unknown, already used or "
                + "expired; ask an admin for a new one");
    }

    /** A replayed enrollment attempt learns nothing of the enrollment, not even its id. */
    private static ApiException replayed() {
        return new ApiException(ErrorCode.REQUEST_REPLAYED, "This request nonce was already used for this enrollment: "
                + "a replayed request; sign each attempt with a fresh nonce");
    }

    /**
     * Stores the new machine in one transaction with its token use and the re-enrollment bookkeeping: an approved
     * or revoked machine of the same EK is named as the one this would replace; pending ones of the same EK are
     * left as they are (until one of them activates). Returns the replaced machine's id, or null.
     */
    private String record(Connection c, EnrollmentRequest r, String requestSource, CheckedEk ek, TpmPublic ak,
                          TpmPublic machineKey, Fresh fresh, String tokenId) throws SQLException {
        String machineId = fresh.machineId();
        String ekName = HexFormat.of().formatHex(ek.ekPublic().name());
        String previous = null;
        List<String> pendingSameEk = new ArrayList<>();
        // Nothing is superseded here: anyone holding the (public) EK certificate can get this far. A pending
        // enrollment of the same EK is superseded only when this one proves possession of the EK (activate).
        for (MachineStore.EnrollmentView old : machines.findByEkName(c, ekName)) {
            if (old.state() == EnrollmentState.PENDING_ACTIVATION || old.state() == EnrollmentState.PENDING_APPROVAL) {
                pendingSameEk.add(old.id());
            } else if (previous == null && old.state() != EnrollmentState.REJECTED) {
                previous = old.id();
            }
        }
        Base64.Encoder b64 = Base64.getEncoder();
        MachineStore.Endorsement endorsement = new MachineStore.Endorsement(b64.encodeToString(ek.ekPublic().encoded()),
                ekName, ek.certificateB64(), ek.verified(), ek.subject(), ek.issuer(), ek.serial(), ek.manufacturer());
        machines.insert(c, new MachineStore.NewMachine(machineId, r.machineName(), endorsement,
                        b64.encodeToString(ak.encoded()), previous, requestSource, new MachineStore.Activation(
                        HexFormat.of().formatHex(Secrets.sha256(fresh.secret())),
                        HexFormat.of().formatHex(fresh.quoteNonce()))),
                tokenId, b64.encodeToString(machineKey.encoded()), b64.encodeToString(machineKey.toPublicKey().getEncoded()));
        answers.save(c, machineId, new StoredChallenge(b64.encodeToString(fresh.challenge().credentialBlob()),
                b64.encodeToString(fresh.challenge().encryptedSecret())), System.currentTimeMillis());
        audit.append(c, "station@" + requestSource, "enrollment.begin", machineId, AuditOutcome.OK,
                "machine '" + r.machineName()
                + "', EK " + (ek.verified() ? "verified (" + ek.issuer() + ")" : "UNVERIFIED")
                + (ek.paddingBytes() > 0 ? ", EK certificate followed by " + ek.paddingBytes()
                        + " bytes of NV padding (ignored)" : "")
                + (previous != null ? ", RE-ENROLLMENT of known EK (previous machine " + previous + ")" : "")
                + (pendingSameEk.isEmpty() ? "" : ", same EK as pending enrollment(s) " + pendingSameEk
                        + " (the one that activates supersedes the others)")
                + (tokenId != null ? ", token " + tokenId : ""));
        return previous;
    }

    /** Checks the proof of TPM residency (the recovered secret) and the first quote ({@link CredentialActivation}). */
    public MachineStore.EnrollmentView activate(String machineId, ActivationRequest proof, String requestSource) {
        return activation.activate(machineId, proof, requestSource);
    }

    /**
     * Rejects enrollments that were never activated before {@code cutoff} (epoch ms), so abandoned or
     * forged enrollment attempts do not pile up as pending rows; forgets the kept answers of enrollments no longer
     * awaiting activation (rejected or superseded meanwhile). Returns how many were rejected.
     */
    public int expireUnactivated(long cutoff) {
        return db.inTransaction(c -> {
            answers.forgetSettled(c);
            int n = 0;
            for (String id : machines.unactivatedBefore(c, cutoff)) {
                if (machines.transition(c, id, EnrollmentState.PENDING_ACTIVATION, EnrollmentState.REJECTED)) {
                    machines.recordDecision(c, id, "server", "not activated in time", null);
                    audit.append(c, "server", "enrollment.expire", id, AuditOutcome.OK, "credential never activated");
                    answers.forget(c, id);
                    n++;
                }
            }
            return n;
        });
    }
}
