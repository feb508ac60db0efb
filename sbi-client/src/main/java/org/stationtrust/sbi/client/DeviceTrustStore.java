package org.stationtrust.sbi.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.internal.DeviceJwsVerifier;

/**
 * The device-provider CAs the station trusts. {@link #check} validates a device certificate chain:
 * validity period on every call, the PKIX trust path once per distinct chain (cached), so that
 * repeated captures from one device pay for path validation once.
 */
public final class DeviceTrustStore {
    private static final int CACHE_LIMIT = 1024;

    private final List<X509Certificate> anchors;
    private final Set<TrustAnchor> trustAnchors;
    private final Set<List<X509Certificate>> validatedChains = ConcurrentHashMap.newKeySet();

    private DeviceTrustStore(List<X509Certificate> anchors) {
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("a device trust store needs at least one device-provider CA certificate");
        }
        this.anchors = List.copyOf(anchors);
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate ca : anchors) {
            set.add(new TrustAnchor(ca, null));
        }
        this.trustAnchors = Collections.unmodifiableSet(set);
    }

    /** Trusts exactly these device-provider CA certificates. */
    public static DeviceTrustStore of(List<X509Certificate> caCertificates) {
        return new DeviceTrustStore(caCertificates);
    }

    /** Trusts every certificate in the {@code .pem}, {@code .crt} and {@code .cer} files of a directory. */
    public static DeviceTrustStore fromPemDirectory(Path directory) throws IOException {
        List<X509Certificate> cas = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{pem,crt,cer}")) {
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        cas.add((X509Certificate) c);
                    }
                } catch (GeneralSecurityException e) {
                    throw new IOException("trust store file " + file + " holds no readable X.509 certificate: "
                            + e.getMessage() + "; remove or fix the file", e);
                }
            }
        }
        if (cas.isEmpty()) {
            throw new IOException("no certificate found in " + directory + " (*.pem, *.crt, *.cer); add the "
                    + "device-provider CA certificates there");
        }
        return new DeviceTrustStore(cas);
    }

    /** Trusts the certificate entries of a PKCS#12 file. */
    public static DeviceTrustStore fromPkcs12(Path file, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            List<X509Certificate> cas = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.getCertificate(alias) instanceof X509Certificate c) {
                    cas.add(c);
                }
            }
            if (cas.isEmpty()) {
                throw new IOException("PKCS#12 file " + file + " holds no certificate; add the device-provider CAs");
            }
            return new DeviceTrustStore(cas);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read PKCS#12 trust store " + file + ": " + e.getMessage()
                    + "; check the file and its password", e);
        }
    }

    public List<X509Certificate> caCertificates() {
        return anchors;
    }

    /** How many distinct chains passed path validation and are cached (validity is still checked per call). */
    public int cachedChains() {
        return validatedChains.size();
    }

    /**
     * Checks that {@code chain} (leaf first, as in x5c) is valid at {@code now} and chains to a trusted
     * CA. Throws with CERTIFICATE_EXPIRED, CERTIFICATE_NOT_YET_VALID or CERTIFICATE_UNTRUSTED.
     */
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
                        + DeviceJwsVerifier.name(c) + " expired at " + c.getNotAfter().toInstant()
                        + ", now is " + now);
            } catch (CertificateNotYetValidException e) {
                throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_NOT_YET_VALID, "certificate "
                        + DeviceJwsVerifier.name(c) + " is valid from "
                        + c.getNotBefore().toInstant() + ", now is " + now);
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
            throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_UNTRUSTED,
                    "the signer is a CA certificate itself (" + DeviceJwsVerifier.name(leaf)
                            + "), expected a device certificate issued by it");
        }
        // PKIX checks the CAs on the path, not what the signer itself may do (RFC 5280 §4.2.1.3, §4.2.1.9).
        boolean[] usage = leaf.getKeyUsage();
        if (usage != null && !usage[0]) {
            throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_UNTRUSTED, "certificate " + DeviceJwsVerifier.name(leaf)
                    + " lacks the digitalSignature key usage, so it may not sign device answers; ask the provider for a signing certificate");
        }
        if (leaf.getBasicConstraints() >= 0) {
            throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_UNTRUSTED, "certificate " + DeviceJwsVerifier.name(leaf)
                    + " is a CA certificate; device answers must be signed by an end-entity device certificate");
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(trustAnchors);
            params.setRevocationEnabled(false);
            params.setDate(date);
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_UNTRUSTED, "certificate "
                    + DeviceJwsVerifier.name(leaf) + " issued by "
                    + Redaction.deviceText(leaf.getIssuerX500Principal().getName(), 160) + " does not chain to any of the "
                    + anchors.size() + " trusted device-provider CAs (" + Redaction.deviceText(e.getMessage(), 160) + ")");
        } catch (GeneralSecurityException e) {
            throw new DeviceAnswerRejected(RejectionReason.CERTIFICATE_UNTRUSTED,
                    "the certificate path cannot be validated: " + Redaction.deviceText(e.getMessage(), 160), e);
        }
    }
}
