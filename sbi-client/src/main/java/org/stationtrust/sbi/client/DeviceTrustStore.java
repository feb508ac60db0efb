package org.stationtrust.sbi.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.stationtrust.sbi.client.internal.DomainSeparation;
import org.stationtrust.sbi.client.internal.TrustAnchors;

/**
 * The roots the station trusts for device signatures, in two separate partner domains (SBI 0.9.5 §Signature; MOSIP
 * partner management keeps "DEVICE" and "FTM" providers apart): the device-provider CAs, to which every device key
 * (signing device info and capture {@code data}) must chain, and the FTM-provider CAs, to which the FTM chip key of an
 * L1 device (signing its digitalId) must chain. A CA of one domain never vouches for a key of the other, not even
 * through a bridge: an anchor issued by (or holding the key of) an anchor of the other domain is refused when the store
 * is built, and a chain holding the key of the other domain's anchor is refused when checked. Without
 * FTM-provider CAs, L1 devices are refused ({@link RejectionReason#FTM_TRUST_NOT_CONFIGURED}): fail closed.
 * Immutable; validity is checked on every call, the PKIX path once per distinct chain and domain (cached).
 */
public final class DeviceTrustStore {
    private final TrustAnchors deviceProviders;
    private final Optional<TrustAnchors> ftmProviders;
    private final Optional<DomainSeparation> separation;

    private DeviceTrustStore(TrustAnchors deviceProviders, Optional<TrustAnchors> ftmProviders) {
        this.deviceProviders = deviceProviders;
        this.ftmProviders = ftmProviders;
        this.separation = ftmProviders.map(ftm -> new DomainSeparation(deviceProviders, ftm));
    }

    private static DeviceTrustStore deviceOnly(List<X509Certificate> cas) {
        if (cas.isEmpty()) {
            throw new IllegalArgumentException("a device trust store needs at least one device-provider CA certificate");
        }
        return new DeviceTrustStore(new TrustAnchors("device-provider", cas, RejectionReason.CERTIFICATE_UNTRUSTED),
                Optional.empty());
    }

    /** Trusts exactly these device-provider CA certificates, and no FTM provider (L1 devices refused). */
    public static DeviceTrustStore of(List<X509Certificate> caCertificates) {
        return deviceOnly(caCertificates);
    }

    /** Trusts every certificate in the {@code .pem}, {@code .crt} and {@code .cer} files of a directory. */
    public static DeviceTrustStore fromPemDirectory(Path directory) throws IOException {
        return deviceOnly(readPemDirectory(directory, "device-provider"));
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
            return deviceOnly(cas);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read PKCS#12 trust store " + file + ": " + e.getMessage()
                    + "; check the file and its password", e);
        }
    }

    /**
     * The same device-provider CAs, and exactly these FTM-provider CAs for the chip keys of L1 devices. Refused when
     * the list is empty, or when a CA of one domain holds the key of, or was issued by, a CA of the other.
     */
    public DeviceTrustStore withFtmProviderCas(List<X509Certificate> ftmCaCertificates) {
        return new DeviceTrustStore(deviceProviders, Optional.of(
                new TrustAnchors("FTM-provider", ftmCaCertificates, RejectionReason.FTM_CERTIFICATE_UNTRUSTED)));
    }

    /** As {@link #withFtmProviderCas}, reading the {@code .pem}, {@code .crt} and {@code .cer} files of a directory. */
    public DeviceTrustStore withFtmProviderPemDirectory(Path directory) throws IOException {
        return withFtmProviderCas(readPemDirectory(directory, "FTM-provider"));
    }

    private static List<X509Certificate> readPemDirectory(Path directory, String domain) throws IOException {
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
                    + domain + " CA certificates there");
        }
        return cas;
    }

    /** The device-provider CAs. */
    public List<X509Certificate> caCertificates() {
        return deviceProviders.certificates();
    }

    /** The FTM-provider CAs; empty when none is configured (L1 devices are then refused). */
    public List<X509Certificate> ftmCaCertificates() {
        return ftmProviders.map(TrustAnchors::certificates).orElse(List.of());
    }

    /** How many distinct chains passed path validation and are cached, both domains (validity is still checked per call). */
    public int cachedChains() {
        return deviceProviders.cachedChains() + ftmProviders.map(TrustAnchors::cachedChains).orElse(0);
    }

    /**
     * Checks that a device key's {@code chain} (leaf first, as in x5c) is valid at {@code now} and chains to a
     * device-provider CA, without passing through an FTM-provider CA's key. Throws with CERTIFICATE_EXPIRED,
     * CERTIFICATE_NOT_YET_VALID or CERTIFICATE_UNTRUSTED.
     */
    public void check(List<X509Certificate> chain, Instant now) throws DeviceAnswerRejected {
        if (separation.isPresent()) {
            separation.get().requireDeviceChain(chain);
        }
        deviceProviders.check(chain, now);
    }

    /**
     * Checks that an L1 FTM chip key's {@code chain} is valid at {@code now} and chains to an FTM-provider CA, without
     * passing through a device-provider CA's key. Throws
     * with FTM_TRUST_NOT_CONFIGURED when no FTM-provider CA is configured, CERTIFICATE_EXPIRED,
     * CERTIFICATE_NOT_YET_VALID or FTM_CERTIFICATE_UNTRUSTED.
     */
    public void checkFtmChip(List<X509Certificate> chain, Instant now) throws DeviceAnswerRejected {
        if (ftmProviders.isEmpty()) {
            throw new DeviceAnswerRejected(RejectionReason.FTM_TRUST_NOT_CONFIGURED, "the digitalId of an L1 device is "
                    + "signed by its FTM chip key, and this station trusts no FTM-provider CA; configure the approved FTM "
                    + "providers' root certificates (kept apart from the device-provider CAs) to use L1 devices");
        }
        separation.get().requireFtmChain(chain);
        ftmProviders.get().check(chain, now);
    }
}
