package org.stationtrust.scanner.testing;

import java.net.http.HttpClient;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** An HTTPS client that trusts exactly one certificate, by its SHA-256 fingerprint (the server's --dev certificate). */
public final class PinnedHttps {
    private PinnedHttps() {
    }

    public static HttpClient client(String fingerprint) throws Exception {
        String expected = fingerprint.replace(":", "").toLowerCase(java.util.Locale.ROOT);
        X509TrustManager pin = new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    String seen = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
                    if (!seen.equals(expected)) throw new CertificateException("server certificate is not the pinned one");
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new CertificateException(e);
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("no client certificates here");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, new TrustManager[] {pin}, null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
