package org.stationtrust.sbi.client.internal;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A compact JWS whose algorithm was allowed, whose x5c chain is valid and trusted, and whose signature
 * verified. {@code payload} is the decoded payload bytes.
 */
public record VerifiedJws(String algorithm, List<X509Certificate> chain, byte[] payload) {
    public VerifiedJws {
        chain = List.copyOf(chain);
        payload = payload.clone();
    }

    public X509Certificate signer() {
        return chain.get(0);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public String toString() {
        return "VerifiedJws[alg=" + algorithm + ", signer=" + signer().getSubjectX500Principal().getName()
                + ", payloadBytes=" + payload.length + "]";
    }
}
