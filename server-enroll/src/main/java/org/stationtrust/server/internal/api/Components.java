package org.stationtrust.server.internal.api;

import java.io.IOException;
import java.util.Optional;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.attest.AttestationService;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.internal.auth.PasswordHasher;
import org.stationtrust.server.internal.enroll.ApprovalWorkflow;
import org.stationtrust.server.internal.enroll.EnrollmentService;
import org.stationtrust.server.internal.http.RateLimiter;
import org.stationtrust.server.internal.metrics.ServerMetrics;
import org.stationtrust.server.internal.notify.Webhooks;
import org.stationtrust.server.internal.station.KeyRotation;
import org.stationtrust.server.internal.station.RotationWithdrawal;
import org.stationtrust.server.internal.station.PacketVerifier;
import org.stationtrust.server.internal.station.SignedRequestVerifier;
import org.stationtrust.server.internal.station.StationKeys;
import org.stationtrust.server.internal.store.AttestationStore;
import org.stationtrust.server.internal.store.CredentialStore;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.EnrollmentTokenStore;
import org.stationtrust.server.internal.store.MachineListing;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.Migrations;
import org.stationtrust.server.internal.store.NonceStore;
import org.stationtrust.server.internal.store.PacketReceiptStore;
import org.stationtrust.server.internal.store.StationAuditStore;
import org.stationtrust.server.internal.store.UserStore;
import org.stationtrust.server.internal.store.WebhookStore;
import org.stationtrust.tpm.verify.EkCertificateValidator;
import org.stationtrust.tpm.verify.MalformedCertificate;
import org.stationtrust.tpm.verify.TrustAnchors;

/** Everything a running server holds, wired once from the configuration. */
public record Components(ServerConfig config, Database db, Migrations migrations, AuditLog audit, UserStore users,
                         CredentialStore credentials, EnrollmentTokenStore enrollmentTokens, MachineStore machines,
                         MachineListing machineListing, AttestationStore attestationRecords,
                         NonceStore nonces, Authenticator auth, ApprovalWorkflow approvals,
                         EnrollmentService enrollment, AttestationService attestation, SignedRequestVerifier signed,
                         KeyRotation rotation, RotationWithdrawal rotationWithdrawal, PacketVerifier packets, RateLimiter loginLimit, RateLimiter enrollLimit,
                         RateLimiter nonceLimit, PacketReceiptStore packetReceipts,
                         StationAuditStore stationAudit, ServerMetrics metrics, Webhooks webhooks,
                         org.stationtrust.server.internal.audit.RefusalAudit refusals,
                         org.stationtrust.server.internal.auth.LoginThrottle loginThrottle,
                         org.stationtrust.server.internal.auth.OperatorAccounts operators,
                         org.stationtrust.server.internal.http.FailedChecks failedChecks,
                         org.stationtrust.server.internal.audit.FullVerificationGate fullVerification) {

    /** Components with a registry of their own (tests, the CLI). */
    public static Components create(ServerConfig config, Database db) {
        return create(config, db, ServerMetrics.create());
    }

    public static Components create(ServerConfig config, Database db, ServerMetrics metrics) {
        AuditLog audit = new AuditLog(db);
        UserStore users = new UserStore(db);
        CredentialStore credentials = new CredentialStore(db);
        EnrollmentTokenStore tokens = new EnrollmentTokenStore(db);
        MachineStore machines = new MachineStore(db);
        AttestationStore attestationRecords = new AttestationStore(db);
        NonceStore nonces = new NonceStore(db);
        StationKeys keys = new StationKeys();
        Webhooks webhooks = new Webhooks(new WebhookStore(db), audit, config.webhooks());
        int hashes = config.clientLimits().passwordHashes();
        PasswordHasher hasher = new PasswordHasher(new org.stationtrust.server.internal.auth.PasswordHashSlots(
                hashes > 0 ? hashes : org.stationtrust.server.internal.auth.PasswordHashSlots.automatic(
                        PasswordHasher.MEMORY_KIB)));
        Authenticator auth = new Authenticator(users, credentials, hasher, config.sessionTtl());
        var nonceTokens = new org.stationtrust.server.internal.attest.NonceTokens(config.nonceKey());
        AttestationService attestation = new AttestationService(db, machines, attestationRecords, nonces, audit,
                config.nonceTtl(), nonceTokens, metrics, webhooks);
        return new Components(config, db, new Migrations(db), audit, users, credentials, tokens, machines,
                new MachineListing(db), attestationRecords, nonces, auth,
                new ApprovalWorkflow(db, machines, audit, webhooks),
                new EnrollmentService(db, machines, tokens, audit, ekValidator(config), config.requireEnrollmentToken(),
                        webhooks),
                attestation,
                new SignedRequestVerifier(machines, nonces, keys, config.requestSkew(), config.attestationInterval()),
                new KeyRotation(db, machines, attestation, nonces, nonceTokens, audit),
                new RotationWithdrawal(db, machines, nonces, nonceTokens, audit), new PacketVerifier(machines, keys, config.attestationInterval()),
                new RateLimiter(config.loginPerMinute(), () -> metrics.rateLimited("login")),
                new RateLimiter(config.enrollPerMinute(), () -> metrics.rateLimited("enroll")),
                new RateLimiter(config.noncePerMinute(), () -> metrics.rateLimited("nonce")), new PacketReceiptStore(db),
                new StationAuditStore(db), metrics, webhooks, new org.stationtrust.server.internal.audit.RefusalAudit(audit),
                new org.stationtrust.server.internal.auth.LoginThrottle(db, usernameKey(config)),
                new org.stationtrust.server.internal.auth.OperatorAccounts(db, users, credentials, hasher, audit),
                new org.stationtrust.server.internal.http.FailedChecks(config.clientLimits().failedChecksPerMinute(),
                        () -> metrics.rateLimited("failed_checks")),
                new org.stationtrust.server.internal.audit.FullVerificationGate(audit));
    }

    /**
     * The key of the failed-login user name digests: derived from the server secret when one is set (stable across
     * restarts and instances), else random per process.
     */
    private static byte[] usernameKey(ServerConfig config) {
        if (config.nonceKey() == null) return org.stationtrust.server.internal.auth.Secrets.randomBytes(32);
        return org.stationtrust.server.internal.auth.Secrets.sha256(("station-trust:failed-login-usernames:"
                + new String(config.nonceKey())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Optional<EkCertificateValidator> ekValidator(ServerConfig config) {
        if (config.ekTrustStore() == null) return Optional.empty();
        try {
            return Optional.of(new EkCertificateValidator(TrustAnchors.fromPemDirectory(config.ekTrustStore())));
        } catch (IOException | MalformedCertificate e) {
            throw new IllegalArgumentException("Cannot load the TPM manufacturer trust store from "
                    + config.ekTrustStore() + " (a directory of PEM CA certificates): " + e.getMessage(), e);
        }
    }
}
