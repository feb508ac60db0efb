package org.stationtrust.tpm.verify;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TPM manufacturer CAs a verifier trusts: self-signed roots become trust anchors; other CA
 * certificates found with them are intermediates a chain may use (they are not trusted on their own).
 */
public final class TrustAnchors {
    private static final int MAX_FILE_BYTES = 256 * 1024;
    private static final int MAX_FILES = 512;
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+?)-----END CERTIFICATE-----");

    private final List<X509Certificate> roots;
    private final List<X509Certificate> intermediates;

    private TrustAnchors(List<X509Certificate> roots, List<X509Certificate> intermediates) {
        this.roots = List.copyOf(roots);
        this.intermediates = List.copyOf(intermediates);
    }

    /** Every CERTIFICATE block of the *.pem, *.crt and *.cer files in dir (other PEM blocks are ignored). */
    public static TrustAnchors fromPemDirectory(Path dir) throws IOException, MalformedCertificate {
        if (!Files.isDirectory(dir)) {
            throw new IOException("trust store directory " + dir + " does not exist or is not a directory;"
                    + " configure a directory of PEM CA certificates");
        }
        List<X509Certificate> certs = new ArrayList<>();
        int files = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.{pem,crt,cer}")) {
            for (Path file : stream) {
                if (++files > MAX_FILES) {
                    throw new IOException("trust store " + dir + " holds more than " + MAX_FILES + " files");
                }
                certs.addAll(readPem(file));
            }
        }
        return of(certs);
    }

    /** Trust anchors from certificates in memory (roots are the self-signed ones). */
    public static TrustAnchors of(Collection<X509Certificate> certificates) throws MalformedCertificate {
        List<X509Certificate> roots = new ArrayList<>();
        List<X509Certificate> intermediates = new ArrayList<>();
        Set<X509Certificate> seen = new HashSet<>();
        for (X509Certificate c : certificates) {
            if (!seen.add(c)) {
                continue;
            }
            if (c.getBasicConstraints() < 0) {
                throw new MalformedCertificate("trust store certificate " + c.getSubjectX500Principal()
                        + " is not a CA (basicConstraints cA=false); remove it from the trust store");
            }
            (isSelfSigned(c) ? roots : intermediates).add(c);
        }
        if (roots.isEmpty()) {
            throw new MalformedCertificate("the trust store holds no self-signed root CA certificate ("
                    + intermediates.size() + " intermediate(s)); add the TPM manufacturer's root CA");
        }
        return new TrustAnchors(roots, intermediates);
    }

    private static List<X509Certificate> readPem(Path file) throws IOException, MalformedCertificate {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new MalformedCertificate(file + " is larger than " + MAX_FILE_BYTES + " bytes; not a CA file");
        }
        String text = Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
        List<X509Certificate> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der;
            try {
                der = java.util.Base64.getMimeDecoder().decode(m.group(1));
            } catch (IllegalArgumentException e) {
                throw new MalformedCertificate(file + ": a CERTIFICATE block is not base64: " + e.getMessage(), e);
            }
            out.add(EkCertificateValidator.parseCertificate(der));
        }
        return out;
    }

    private static boolean isSelfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    Set<TrustAnchor> anchors() {
        Set<TrustAnchor> set = new HashSet<>();
        roots.forEach(r -> set.add(new TrustAnchor(r, null)));
        return set;
    }

    public List<X509Certificate> roots() {
        return roots;
    }

    public List<X509Certificate> intermediates() {
        return intermediates;
    }
}
