package org.stationtrust.sbi.simulator.internal;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.stationtrust.sbi.simulator.DeviceProviderCa;

/**
 * The device's signing keys: the current device key and certificate (rotatable, same CA), plus the
 * deliberately bad identities the fault modes sign with (created on first use).
 */
public final class DeviceCredentials {
    /** A private key with the certificate that goes into {@code x5c}. */
    public record SigningIdentity(PrivateKey key, X509Certificate certificate) {
        public SigningIdentity {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(certificate, "certificate");
        }
    }

    private final DeviceProviderCa ca;
    private final String commonName;
    private volatile SigningIdentity current;
    private SigningIdentity expired;
    private SigningIdentity untrusted;

    /** Issues the first device key from {@code ca}, or starts with {@code initial} when given. */
    public DeviceCredentials(DeviceProviderCa ca, String commonName, SigningIdentity initial) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.commonName = Objects.requireNonNull(commonName, "commonName");
        this.current = initial != null ? initial
                : issue(ca, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    public DeviceProviderCa ca() {
        return ca;
    }

    public SigningIdentity current() {
        return current;
    }

    /** A new device key and certificate from the same CA; the old one is no longer used. */
    public synchronized SigningIdentity rotate() {
        current = issue(ca, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(365)));
        return current;
    }

    /** Same CA, validity ended yesterday. */
    public synchronized SigningIdentity expired() {
        if (expired == null) {
            Instant now = Instant.now();
            expired = issue(ca, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        }
        return expired;
    }

    /** Valid now, but issued by a CA nobody trusts. */
    public synchronized SigningIdentity untrusted() {
        if (untrusted == null) {
            DeviceProviderCa rogue = DeviceProviderCa.generate("Untrusted Device Provider CA");
            untrusted = issue(rogue, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(365)));
        }
        return untrusted;
    }

    private SigningIdentity issue(DeviceProviderCa issuer, Instant notBefore, Instant notAfter) {
        KeyPair keys = CertificateIssuer.newRsaKeyPair();
        X509Certificate cert = issuer.issueDeviceCertificate(keys.getPublic(), commonName, notBefore, notAfter);
        return new SigningIdentity(keys.getPrivate(), cert);
    }
}
