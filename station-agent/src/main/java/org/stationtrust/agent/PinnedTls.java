package org.stationtrust.agent;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS to the enrollment server trusting exactly the public keys pinned in the configuration ({@link PublicKeyPin}:
 * SHA-256 of the leaf's SubjectPublicKeyInfo, as OkHttp's {@code CertificatePinner}). The pins replace the public CA
 * system, so neither a rogue CA nor a proxy with an installed root can stand in for the server; a renewed
 * certificate for the same key keeps working, and a planned new key works from the moment its pin was added as
 * the second ("next") pin.
 */
public final class PinnedTls {
    private PinnedTls() {
    }

    public static SSLContext context(List<PublicKeyPin> pins) {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, new TrustManager[] {new PinTrustManager(pins)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS 1.3 is unavailable in this JVM", e);
        }
    }

    /** Thrown (as the TLS handshake failure cause) when the server's key is none of the pinned ones. */
    public static final class ServerCertificateNotPinned extends CertificateException {
        private static final long serialVersionUID = 1L;

        ServerCertificateNotPinned(PublicKeyPin seen, List<PublicKeyPin> pinned) {
            super("the server presented a certificate whose public key is " + seen + " but server.public_key_pins holds "
                    + pinned + "; if the server moved to a new key, add its pin (announced before the change); otherwise"
                    + " something is intercepting the connection");
        }
    }

    private static final class PinTrustManager extends X509ExtendedTrustManager {
        private final List<PublicKeyPin> pins;

        PinTrustManager(List<PublicKeyPin> pins) {
            this.pins = List.copyOf(pins);
            if (this.pins.isEmpty()) throw new IllegalArgumentException("at least one public key pin is needed");
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) throw new CertificateException("the server presented no certificate");
            PublicKeyPin seen = PublicKeyPin.of(chain[0].getPublicKey());
            boolean pinned = false;
            for (PublicKeyPin pin : pins) pinned |= pin.matches(chain[0].getPublicKey());
            if (!pinned) throw new ServerCertificateNotPinned(seen, pins);
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
