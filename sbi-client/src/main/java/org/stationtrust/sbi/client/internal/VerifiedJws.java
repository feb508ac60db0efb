package org.stationtrust.sbi.client.internal;

import java.security.cert.X509Certificate;
import java.util.List;
import org.stationtrust.sbi.client.CompactJws;

/**
 * A compact JWS whose algorithm was allowed, whose x5c chain is valid and trusted, and whose signature
 * verified.
 */
public record VerifiedJws(CompactJws jws, List<X509Certificate> chain) {
    public VerifiedJws {
        chain = List.copyOf(chain);
    }

    public String algorithm() {
        return jws.algorithm();
    }

    /** The decoded payload bytes (a copy). */
    public byte[] payload() {
        return jws.payload();
    }

    public X509Certificate signer() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "VerifiedJws[alg=" + algorithm() + ", signer=" + signer().getSubjectX500Principal().getName()
                + ", payloadBytes=" + jws.payload().length + "]";
    }
}
