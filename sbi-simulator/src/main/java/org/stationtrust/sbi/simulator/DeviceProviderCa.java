package org.stationtrust.sbi.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.stationtrust.sbi.simulator.internal.CertificateIssuer;

/**
 * A device-provider certificate authority: the root a station trusts for a vendor's devices.
 * Generated at start ({@link #generate}) or loaded from PKCS12 / PEM files; device certificates
 * of the simulator are issued by it. Only the certificate is ever exported; the key stays in memory
 * unless {@link #writePkcs12} is asked for explicitly.
 */
public final class DeviceProviderCa {
    private final PrivateKey key;
    private final X509Certificate certificate;

    private DeviceProviderCa(PrivateKey key, X509Certificate certificate) {
        this.key = Objects.requireNonNull(key, "key");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
    }

    /** A fresh RSA 2048 CA valid from one hour ago for ten years. */
    public static DeviceProviderCa generate(String commonName) {
        KeyPair keys = CertificateIssuer.newRsaKeyPair();
        Instant now = Instant.now();
        X509Certificate cert = CertificateIssuer.selfSignedCa(keys, commonName,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3650)));
        return new DeviceProviderCa(keys.getPrivate(), cert);
    }

    /** Loads the first key entry (key + certificate) of a PKCS12 file. */
    public static DeviceProviderCa fromPkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    return new DeviceProviderCa((PrivateKey) ks.getKey(alias, password),
                            (X509Certificate) ks.getCertificate(alias));
                }
            }
            throw new SimulatorException("PKCS12 file " + file + " holds no key entry; expected the CA key and certificate");
        } catch (IOException | GeneralSecurityException e) {
            throw new SimulatorException("Could not read CA PKCS12 " + file
                    + " (wrong password or not PKCS12?): " + e.getMessage(), e);
        }
    }

    /** Loads a CA from a PEM certificate and a PEM private key (PKCS#8 or traditional RSA). */
    public static DeviceProviderCa fromPem(Path certificatePem, Path privateKeyPem) {
        try (Reader r = Files.newBufferedReader(privateKeyPem, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            PrivateKey key;
            if (o instanceof PEMKeyPair kp) {
                key = conv.getKeyPair(kp).getPrivate();
            } else if (o instanceof PrivateKeyInfo info) {
                key = conv.getPrivateKey(info);
            } else {
                throw new SimulatorException("File " + privateKeyPem + " holds no unencrypted private key (found "
                        + (o == null ? "nothing" : o.getClass().getSimpleName()) + ")");
            }
            X509Certificate cert = CertificateIssuer.parseCertificate(Files.readAllBytes(certificatePem));
            return new DeviceProviderCa(key, cert);
        } catch (IOException e) {
            throw new SimulatorException("Could not read CA PEM files: " + e.getMessage(), e);
        }
    }

    /** The CA certificate a station puts in its device-provider trust store. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate in PEM. */
    public String certificatePem() {
        return CertificateIssuer.pem(certificate);
    }

    /** Writes the CA certificate (PEM, no key) to {@code file}, creating parent directories. */
    public Path writeCertificatePem(Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, certificatePem(), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new SimulatorException("Could not write CA certificate to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes key and certificate to a PKCS12 file so that the same CA can be reused across runs. */
    public Path writePkcs12(Path file, char[] password) {
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("device-provider-ca", key, password, new Certificate[] {certificate});
            ks.store(out, password);
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new SimulatorException("Could not write CA PKCS12 to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Issues a device certificate for {@code devicePublicKey} with the given validity. */
    public X509Certificate issueDeviceCertificate(PublicKey devicePublicKey, String commonName,
                                                  Instant notBefore, Instant notAfter) {
        return CertificateIssuer.issueDevice(key, certificate, devicePublicKey, commonName, notBefore, notAfter);
    }
}
