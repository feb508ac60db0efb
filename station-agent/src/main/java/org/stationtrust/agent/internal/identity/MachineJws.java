package org.stationtrust.agent.internal.identity;

import java.nio.charset.StandardCharsets;
import org.stationtrust.protocol.Es256Jws;
import org.stationtrust.protocol.JwsType;

/** Signs a payload as the protocol's ES256 compact JWS ({@link Es256Jws}) with the TPM machine key: one TPM signature per call. */
public final class MachineJws {
    private MachineJws() {
    }

    public static String sign(MachineSigner signer, JwsType type, byte[] payload) throws MachineSigner.SigningUnavailable {
        String signingInput = Es256Jws.signingInput(signer.keyId(), type, payload);
        byte[] signature = signer.signJose(signingInput.getBytes(StandardCharsets.US_ASCII));
        if (signature.length != 64) {
            throw new MachineSigner.SigningUnavailable("the TPM returned a " + signature.length
                    + "-byte signature where ES256 needs 64 (r||s); the machine key is not P-256", null);
        }
        return Es256Jws.assemble(signingInput, signature);
    }
}
