package org.stationtrust.server.internal.enroll;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.stationtrust.protocol.ActivationRequest;
import org.stationtrust.protocol.EnrollmentRequest;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.attest.AttestationService;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.attest.QuoteCheck;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.notify.FleetEvent;
import org.stationtrust.server.internal.notify.FleetEventType;
import org.stationtrust.server.internal.notify.FleetEvents;
import org.stationtrust.server.internal.station.EnrollmentSignature;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.EnrollmentAnswerStore;
import org.stationtrust.server.internal.store.EnrollmentAnswerStore.StoredChallenge;
import org.stationtrust.server.internal.store.EnrollmentTokenStore;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.NonceStore;
import org.stationtrust.tpm.verify.CertifyVerifier;
import org.stationtrust.tpm.verify.CredentialChallenge;
import org.stationtrust.tpm.verify.EkCertificateUntrusted;
import org.stationtrust.tpm.verify.EkCertificateValidator;
import org.stationtrust.tpm.verify.EkKeyMismatch;
import org.stationtrust.tpm.verify.MalformedCertificate;
import org.stationtrust.tpm.verify.MalformedTpmStructure;
import org.stationtrust.tpm.verify.TpmPublic;
import org.stationtrust.tpm.verify.TpmVerificationException;
import org.stationtrust.tpm.verify.UnsuitableEndorsementKey;
import org.stationtrust.tpm.verify.ValidatedEkCertificate;

/**
 * The enrollment protocol, server side (docs/design.md, "Enrollment" steps 2-5): check the EK, AK and machine key
 * and the AK's certification of the machine key, answer with a credential challenge to the EK for the AK's
 * Name, and accept the proof (the recovered secret) with a first quote, moving the machine to
 * PENDING_APPROVAL. A retry of an enrollment whose answer was lost (same token, same EK, AK and machine key, signed
 * by that machine key) gets the pending enrollment's answer again instead of a refusal (docs/design.md, "Enrollment
 * retry").
 */
public final class EnrollmentService {
    public static final int MAX_ACTIVATION_ATTEMPTS = 3;

    private final Database db;
    private final MachineStore machines;
    private final EnrollmentTokenStore tokens;
    private final AuditLog audit;
    private final Optional<EkCertificateValidator> ekValidator;
    private final boolean requireToken;
    /** Wrong activation secrets per (enrollment, source address), per server instance. */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> activationFailures =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final FleetEvents events;
    private final EnrollmentAnswerStore answers = new EnrollmentAnswerStore();
    private final NonceStore nonces;

    public EnrollmentService(Database db, MachineStore machines, EnrollmentTokenStore tokens, AuditLog audit,
                             Optional<EkCertificateValidator> ekValidator, boolean requireToken, FleetEvents events) {
        this.events = events;
        this.db = db;
        this.machines = machines;
        this.tokens = tokens;
        this.audit = audit;
        this.ekValidator = ekValidator;
        this.requireToken = requireToken;
        this.nonces = new NonceStore(db);
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

    /** {@code paddingBytes}: bytes that followed the certificate's DER (NV index padding), recorded in the audit. */
    private record CheckedEk(TpmPublic ekPublic, String certificateB64, boolean verified, String subject, String issuer,
                             String serial, String manufacturer, int paddingBytes) {
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
        CheckedEk ek = checkEndorsementKey(r);
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

    private static void checkCertification(EnrollmentRequest r, TpmPublic ak, TpmPublic machineKey) {
        try {
            CertifyVerifier.verify(ak, decode("machineKeyCertifyInfo", r.machineKeyCertifyInfo(), 1024),
                    decode("machineKeyCertifySignature", r.machineKeyCertifySignature(), 1024), machineKey,
                    org.stationtrust.protocol.QualifyingData.enrollment(r.machineName()));
        } catch (TpmVerificationException e) {
            throw new ApiException(ErrorCode.CERTIFICATION_INVALID, "The AK's certification of the machine key was "
                    + "refused: " + e.getMessage());
        }
    }

    private static CredentialChallenge challenge(TpmPublic ekPublic, TpmPublic ak, byte[] secret) {
        try {
            return CredentialChallenge.make(ekPublic, ak.name(), secret);
        } catch (UnsuitableEndorsementKey e) {
            throw new ApiException(ErrorCode.KEY_ATTRIBUTES_INVALID, "The EK cannot receive a credential: "
                    + e.getMessage());
        } catch (TpmVerificationException e) {
            throw new ApiException(ErrorCode.KEY_ATTRIBUTES_INVALID, "Cannot make a credential for this EK: "
                    + e.getMessage());
        }
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

    /** Checks the proof of TPM residency (the recovered secret) and the first quote. */
    public MachineStore.EnrollmentView activate(String machineId, ActivationRequest proof, String requestSource) {
        MachineStore.PendingEnrollment m = machines.findPending(machineId).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
                "No enrollment with id '" + machineId + "'"));
        if (m.state() != EnrollmentState.PENDING_ACTIVATION || m.activationSecretHash() == null) {
            throw new ApiException(ErrorCode.ENROLLMENT_NOT_PENDING, "Enrollment " + machineId + " is " + m.state()
                    + "; only PENDING_ACTIVATION enrollments accept an activation proof");
        }
        byte[] secret = decode("secret", proof.secret(), 64);
        byte[] expected = HexFormat.of().parseHex(m.activationSecretHash());
        String attemptKey = machineId + "|" + requestSource;
        Integer failedBefore = activationFailures.get(attemptKey);
        if (failedBefore != null && failedBefore >= MAX_ACTIVATION_ATTEMPTS) {
            throw new ApiException(ErrorCode.ACTIVATION_FAILED, "This address already sent " + MAX_ACTIVATION_ATTEMPTS
                    + " wrong activation secrets for this enrollment; no further attempts are accepted from it");
        }
        if (!MessageDigest.isEqual(expected, Secrets.sha256(secret))) {
            return refuseWrongSecret(m, attemptKey, requestSource);
        }
        byte[] nonce = HexFormat.of().parseHex(m.firstQuoteNonce());
        // The quote's extraData is checked against the issued nonce below; the field must say the same thing.
        if (!MessageDigest.isEqual(nonce, QuoteCheck.decodeNonce(proof.quote().nonce()))) {
            throw new ApiException(ErrorCode.NONCE_INVALID, "The activation quote's nonce is not the quoteNonce this "
                    + "enrollment was issued; quote over that value and send it unchanged");
        }
        SortedMap<Integer, byte[]> pcrs = QuoteCheck.requireSha256(QuoteCheck.verify(
                org.stationtrust.server.internal.attest.AkKeys.parse(m.akPublic()), nonce, proof.quote()));
        return db.inTransaction(c -> {
            if (!machines.transition(c, machineId, EnrollmentState.PENDING_ACTIVATION, EnrollmentState.PENDING_APPROVAL)) {
                throw new ApiException(ErrorCode.ENROLLMENT_NOT_PENDING, "Enrollment " + machineId + " changed state "
                        + "meanwhile");
            }
            machines.recordFirstQuote(c, machineId, PcrMap.toJson(pcrs));
            answers.forget(c, machineId);
            audit.append(c, "station@" + requestSource, "enrollment.activate", machineId, AuditOutcome.OK,
                    "credential activated, first quote over PCRs " + pcrs.keySet() + "; awaiting approval");
            supersedeOthers(c, m);
            MachineStore.PendingEnrollment pending = machines.findPending(c, machineId).orElseThrow();
            events.emit(c, FleetEvent.of(FleetEventType.ENROLLMENT_PENDING_APPROVAL, machineId, pending.name(),
                    pending.ekVerified() ? "EK certificate verified" : "EK unverified: only an admin may approve"));
            return pending.view();
        });
    }

    /**
     * A wrong secret counts against the enrollment and the address it came from. Only the address that began the
     * enrollment can get it rejected (after {@link #MAX_ACTIVATION_ATTEMPTS} wrong secrets: the station itself is
     * failing); any other address is merely refused further attempts for it, so nobody who merely knows a machine id
     * can cancel another's enrollment. The secret is 32 random bytes: guessing it is not the threat, denial is.
     */
    private MachineStore.EnrollmentView refuseWrongSecret(MachineStore.PendingEnrollment m, String attemptKey,
                                                          String requestSource) {
        if (activationFailures.size() > 100_000) activationFailures.clear();
        int fromSource = activationFailures.merge(attemptKey, 1, Integer::sum);
        boolean enrollingSource = requestSource.equals(m.requestSource());
        int attempts = db.inTransaction(c -> {
            int n = machines.recordActivationFailure(c, m.id());
            if (enrollingSource && fromSource >= MAX_ACTIVATION_ATTEMPTS
                    && machines.transition(c, m.id(), EnrollmentState.PENDING_ACTIVATION, EnrollmentState.REJECTED)) {
                machines.recordDecision(c, m.id(), "server", "activation proof wrong " + fromSource
                        + " times from the enrolling address", null);
                audit.append(c, "server", "enrollment.reject", m.id(), AuditOutcome.OK,
                        "activation proof wrong " + fromSource
                        + " times from the enrolling address " + requestSource);
                events.emit(c, FleetEvent.of(FleetEventType.MACHINE_REJECTED, m.id(), m.name(), "activation proof wrong "
                        + fromSource + " times (not the TPM that holds the EK)"));
            } else if (!enrollingSource && fromSource == MAX_ACTIVATION_ATTEMPTS) {
                audit.append(c, "anonymous@" + requestSource, "enrollment.activation_blocked", m.id(),
                        AuditOutcome.REFUSED,
                        MAX_ACTIVATION_ATTEMPTS + " wrong activation secrets from an address other than the enrolling "
                                + "one; further attempts from it are refused, the enrollment stays pending");
            }
            return n;
        });
        throw new ApiException(ErrorCode.ACTIVATION_FAILED, "The activation secret is wrong (attempt " + fromSource
                + " of " + MAX_ACTIVATION_ATTEMPTS + " from this address; " + attempts + " in all): only the TPM "
                + "holding the EK can recover it with ActivateCredential for this AK");
    }

    /**
     * The enrollment {@code m} has just proven possession of its EK: other pending enrollments of the same EK (an
     * earlier attempt of the same station, or someone else's replay of its public EK) are superseded now.
     */
    private void supersedeOthers(Connection c, MachineStore.PendingEnrollment m) throws SQLException {
        for (MachineStore.EnrollmentView old : machines.findByEkName(c, m.ekName())) {
            if (old.id().equals(m.id())) continue;
            if (old.state() == EnrollmentState.PENDING_ACTIVATION || old.state() == EnrollmentState.PENDING_APPROVAL) {
                machines.transition(c, old.id(), old.state(), EnrollmentState.REJECTED);
                machines.recordDecision(c, old.id(), "server", "superseded by enrollment " + m.id()
                        + ", which proved possession of the same EK", null);
                audit.append(c, "server", "enrollment.supersede", old.id(), AuditOutcome.OK, "enrollment " + m.id()
                        + " with the same EK activated (proof of possession) and replaced this pending one");
            }
        }
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

    private CheckedEk checkEndorsementKey(EnrollmentRequest r) {
        TpmPublic ekPublic = parsePublic("ekPublic", r.ekPublic());
        KeyRules.requireEndorsementKey(ekPublic);
        if (r.ekCertificate() == null) {
            return new CheckedEk(ekPublic, null, false, null, null, null, null, 0);
        }
        try {
            // Read with tpm2_nvread, the certificate keeps its NV index's padding: take exactly the DER SEQUENCE.
            EkCertificateValidator.NvCertificate nv = EkCertificateValidator.parseNvCertificate(decode("ekCertificate",
                    r.ekCertificate(), EkCertificateValidator.MAX_CERTIFICATE_BYTES));
            X509Certificate cert = nv.certificate();
            List<X509Certificate> chain = new ArrayList<>();
            for (String c : r.ekCertificateChain()) {
                chain.add(EkCertificateValidator.parseCertificate(decode("ekCertificateChain", c,
                        EkCertificateValidator.MAX_CERTIFICATE_BYTES)));
            }
            EkCertificateValidator validator = ekValidator.orElseThrow(() -> new ApiException(
                    ErrorCode.EK_CERTIFICATE_UNTRUSTED, "This server has no TPM manufacturer trust store configured "
                    + "(--ek-trust-store), so no EK certificate can be verified"));
            ValidatedEkCertificate valid = validator.validate(cert, chain);
            EkCertificateValidator.requireSameKey(cert, ekPublic);
            String manufacturer = valid.tpm().map(t -> t.manufacturer() + " " + t.model() + " " + t.version())
                    .orElse(null);
            return new CheckedEk(ekPublic, Base64.getEncoder().encodeToString(cert.getEncoded()), true,
                    cert.getSubjectX500Principal().getName(), cert.getIssuerX500Principal().getName(),
                    cert.getSerialNumber().toString(16), manufacturer, nv.paddingBytes());
        } catch (MalformedCertificate e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "EK certificate is not a DER X.509 certificate: "
                    + e.getMessage());
        } catch (EkCertificateUntrusted e) {
            throw new ApiException(ErrorCode.EK_CERTIFICATE_UNTRUSTED, e.getMessage());
        } catch (EkKeyMismatch e) {
            throw new ApiException(ErrorCode.EK_MISMATCH, e.getMessage());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "EK certificate cannot be re-encoded: " + e.getMessage());
        }
    }

    static TpmPublic parsePublic(String field, String b64) {
        try {
            return TpmPublic.parse(decode(field, b64, TpmPublic.MAX_SIZE));
        } catch (MalformedTpmStructure e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "Field '" + field + "' is not a valid TPMT_PUBLIC: "
                    + e.getMessage());
        }
    }

    static byte[] decode(String field, String b64, int max) {
        try {
            return JsonBodies.base64(field, b64, max);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
    }
}
