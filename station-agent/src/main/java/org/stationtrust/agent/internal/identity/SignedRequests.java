package org.stationtrust.agent.internal.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.protocol.JwsType;
import org.stationtrust.protocol.SignedRequestClaims;
import org.stationtrust.protocol.StationHeaders;

/**
 * Signs agent-to-server requests as the protocol defines: header {@link StationHeaders#SIGNATURE} carrying
 * a compact JWS ({@link JwsType#STATION_REQUEST}) over the {@link SignedRequestClaims} of the request.
 */
public final class SignedRequests implements RequestSigning {
    private final MachineSigner signer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public SignedRequests(MachineSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    @Override
    public Map<String, String> headers(String method, String path, byte[] body) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        SignedRequestClaims claims = SignedRequestClaims.of(method, path, body, clock.instant().getEpochSecond(), nonce);
        try {
            return Map.of(StationHeaders.SIGNATURE, MachineJws.sign(signer, JwsType.STATION_REQUEST, claims.toJson()));
        } catch (MachineSigner.SigningUnavailable e) {
            throw new IllegalStateException("cannot sign the request to the server: " + e.getMessage(), e);
        }
    }

}
