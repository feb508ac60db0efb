package org.stationtrust.sbi.client.internal;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.RejectionReason;

/**
 * The roots of one partner domain (device providers, or FTM providers for L1 chips): validity period on every
 * call, the PKIX trust path once per distinct chain (cached per domain, so a chain validated in one domain is
 * never taken as validated in the other). A chain that does not reach these roots gets {@code untrusted}.
 */
public final class TrustAnchors {
    private static final int CACHE_LIMIT = 1024;

    private final String domain;
    private final RejectionReason untrusted;
    private final List<X509Certificate> anchors;
    private final Set<TrustAnchor> trustAnchors;
    private final Set<List<X509Certificate>> validatedChains = ConcurrentHashMap.newKeySet();

    /** {@code domain} names the roots in messages, e.g. "device-provider" or "FTM-provider". */
    public TrustAnchors(String domain, List<X509Certificate> caCertificates, RejectionReason untrusted) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.untrusted = Objects.requireNonNull(untrusted, "untrusted");
        if (caCertificates.isEmpty()) {
            throw new IllegalArgumentException("a set of " + domain + " trust anchors needs at least one CA certificate");
        }
        this.anchors = List.copyOf(caCertificates);
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate ca : anchors) {
            set.add(new TrustAnchor(ca, null));
        }
        this.trustAnchors = Set.copyOf(set);
    }

    public List<X509Certificate> certificates() {
        return anchors;
    }

    /** The domain's name in messages, e.g. "device-provider". */
    public String domain() {
        return domain;
    }

    /** The reason a chain that does not reach these roots is refused with. */
    public RejectionReason untrusted() {
        return untrusted;
    }

    public int cachedChains() {
        return validatedChains.size();
    }

    /** Every certificate of {@code chain} (leaf first) valid at {@code now}, and the chain reaching one of these roots. */
    public void check(List<X509Certificate> chain, Instant now) throws DeviceAnswerRejected {
        if (chain.isEmpty()) {
            throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_MISSING, "expected at least one certificate");
        }
        Date date = Date.from(now);
        for (X509Certificate c : chain) {
            try {
                c.checkValidity(date);
            } catch (CertificateExpiredException e) {
                throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_EXPIRED, "certificate "
                        + DeviceJwsVerifier.name(c) + " expired at " + c.getNotAfter().toInstant() + ", now is " + now);
            } catch (CertificateNotYetValidException e) {
                throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_NOT_YET_VALID, "certificate "
                        + DeviceJwsVerifier.name(c) + " is valid from " + c.getNotBefore().toInstant() + ", now is " + now);
            }
        }
        List<X509Certificate> key = List.copyOf(chain);
        if (validatedChains.contains(key)) {
            return;
        }
        validatePath(chain, date);
        if (validatedChains.size() >= CACHE_LIMIT) {
            validatedChains.clear();
        }
        validatedChains.add(key);
    }

    private void validatePath(List<X509Certificate> chain, Date date) throws DeviceAnswerRejected {
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (!anchors.contains(c)) {
                path.add(c);
            }
        }
        X509Certificate leaf = chain.get(0);
        if (path.isEmpty()) {
            throw new DeviceAnswerRejected(untrusted, "the signer is a " + domain + " CA certificate itself ("
                    + DeviceJwsVerifier.name(leaf) + "), expected an end-entity certificate issued by it");
        }
        // PKIX checks the CAs on the path, not what the signer itself may do (RFC 5280 §4.2.1.3, §4.2.1.9).
        boolean[] usage = leaf.getKeyUsage();
        if (usage != null && !usage[0]) {
            throw new DeviceAnswerRejected(untrusted, "certificate " + DeviceJwsVerifier.name(leaf)
                    + " lacks the digitalSignature key usage, so it may not sign device answers; ask the provider for a signing certificate");
        }
        if (leaf.getBasicConstraints() >= 0) {
            throw new DeviceAnswerRejected(untrusted, "certificate " + DeviceJwsVerifier.name(leaf)
                    + " is a CA certificate; device answers must be signed by an end-entity certificate");
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(trustAnchors);
            params.setRevocationEnabled(false);
            params.setDate(date);
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            throw new DeviceAnswerRejected(untrusted, "certificate " + DeviceJwsVerifier.name(leaf) + " issued by "
                    + Redaction.deviceText(leaf.getIssuerX500Principal().getName(), 160) + " does not chain to any of the "
                    + anchors.size() + " trusted " + domain + " CAs (" + Redaction.deviceText(e.getMessage(), 160) + ")");
        } catch (GeneralSecurityException e) {
            throw new DeviceAnswerRejected(untrusted,
                    "the certificate path cannot be validated: " + Redaction.deviceText(e.getMessage(), 160), e);
        }
    }
}
