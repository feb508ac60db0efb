package org.stationtrust.agent.internal.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Compact JWS (RFC 7515 §7.1) over ES256 with the TPM machine key; exactly one TPM signature per call. */
public final class CompactJws {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private CompactJws() {
    }

    public static String sign(MachineSigner signer, String typ, byte[] payload) throws MachineSigner.SigningUnavailable {
        ObjectNode header = JSON.createObjectNode();
        header.put("alg", "ES256");
        header.put("kid", signer.keyId());
        header.put("typ", typ);
        String signingInput = B64URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload);
        byte[] signature = signer.signJose(signingInput.getBytes(StandardCharsets.US_ASCII));
        if (signature.length != 64) {
            throw new MachineSigner.SigningUnavailable("the TPM returned a " + signature.length
                    + "-byte signature where ES256 needs 64 (r||s); the machine key is not P-256", null);
        }
        return signingInput + "." + B64URL.encodeToString(signature);
    }
}
