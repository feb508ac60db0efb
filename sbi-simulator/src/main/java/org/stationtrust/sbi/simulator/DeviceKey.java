package org.stationtrust.sbi.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Objects;

/**
 * A device signing key with its certificate, for a simulator that should sign with a key the vendor
 * already has instead of one generated at start. Rotation still issues new keys from the
 * configured {@link DeviceProviderCa}.
 *
 * @param key         the RSA private key that signs deviceInfo, digitalId and capture data
 * @param certificate the certificate placed in {@code x5c}
 */
public record DeviceKey(PrivateKey key, X509Certificate certificate) {
    public DeviceKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
        if (!"RSA".equals(key.getAlgorithm()) || !"RSA".equals(certificate.getPublicKey().getAlgorithm())) {
            throw new IllegalArgumentException("SBI 0.9.5 signs with RS256: the device key and certificate must be RSA,"
                    + " got " + key.getAlgorithm() + " / " + certificate.getPublicKey().getAlgorithm());
        }
    }

    /** Loads the first key entry of a PKCS12 file. */
    public static DeviceKey fromPkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    return new DeviceKey((PrivateKey) ks.getKey(alias, password), (X509Certificate) ks.getCertificate(alias));
                }
            }
            throw new SimulatorException("PKCS12 file " + file + " holds no key entry; expected the device key and certificate");
        } catch (IOException | GeneralSecurityException e) {
            throw new SimulatorException("Could not read device PKCS12 " + file
                    + " (wrong password or not PKCS12?): " + e.getMessage(), e);
        }
    }
}
