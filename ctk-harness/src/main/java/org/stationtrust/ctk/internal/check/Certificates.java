package org.stationtrust.ctk.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stationtrust.sbi.client.CompactJws;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DeviceJson;

/** Reads the x5c chain out of a compact JWS header. */
public final class Certificates {
    private Certificates() {
    }

    /** The JWS header as sbi-client's CompactJws reads it, without verification; empty when it does not read. */
    public static Optional<JsonNode> header(String compact) {
        try {
            return compact == null ? Optional.empty() : Optional.of(CompactJws.parse(compact, "JWS").header());
        } catch (DeviceAnswerRejected e) {
            return Optional.empty();
        }
    }

    /** The x5c chain (leaf first); throws with a readable reason when absent or malformed. */
    public static List<X509Certificate> chain(JsonNode header) throws CertificateException {
        JsonNode x5c = header.path("x5c");
        if (!x5c.isArray() || x5c.isEmpty()) {
            throw new CertificateException("header has no x5c certificate");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (JsonNode entry : x5c) {
            chain.add(parse(entry.asText("")));
        }
        return chain;
    }

    private static X509Certificate parse(String base64) throws CertificateException {
        byte[] der;
        try {
            der = DeviceJson.base64Certificate(base64, "x5c entry");
        } catch (DeviceAnswerRejected e) {
            throw new CertificateException(e.detail());
        }
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
