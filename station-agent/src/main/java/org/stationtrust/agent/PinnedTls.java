package org.stationtrust.agent;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS to the enrollment server trusting exactly one certificate: the leaf whose SHA-256 (over its DER)
 * is pinned in the configuration. The pin replaces the public CA system, so neither a rogue CA nor a
 * proxy with an installed root can stand in for the server.
 */
public final class PinnedTls {
    private PinnedTls() {
    }

    public static SSLContext context(String pinnedSha256Hex) {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, new TrustManager[] {new PinTrustManager(pinnedSha256Hex)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS 1.3 is unavailable in this JVM", e);
        }
    }

    public static String fingerprint(X509Certificate certificate) throws CertificateException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrown (as the TLS handshake failure cause) when the server shows another certificate than the pinned one. */
    public static final class ServerCertificateNotPinned extends CertificateException {
        private static final long serialVersionUID = 1L;

        ServerCertificateNotPinned(String seen, String pinned) {
            super("the server presented a certificate with SHA-256 " + seen + " but server.certificate_sha256 pins " + pinned
                    + "; if the server certificate was renewed, update the pin; otherwise something is intercepting the connection");
        }
    }

    private static final class PinTrustManager extends X509ExtendedTrustManager {
        private final String pin;

        PinTrustManager(String pin) {
            this.pin = pin.replace(":", "").toLowerCase(java.util.Locale.ROOT);
            if (!this.pin.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("a certificate pin is 64 hex digits (SHA-256)");
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) throw new CertificateException("the server presented no certificate");
            String seen = fingerprint(chain[0]);
            if (!MessageDigest.isEqual(seen.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    pin.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new ServerCertificateNotPinned(seen, pin);
            }
            chain[0].checkValidity();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the agent does not accept TLS clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("the agent does not accept TLS clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("the agent does not accept TLS clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
