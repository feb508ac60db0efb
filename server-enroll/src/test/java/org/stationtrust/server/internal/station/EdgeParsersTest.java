package org.stationtrust.server.internal.station;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stationtrust.protocol.EnrollmentRequest;
import org.stationtrust.protocol.Es256Jws;
import org.stationtrust.protocol.JwsType;
import org.stationtrust.protocol.MalformedJws;
import org.stationtrust.protocol.QuoteSubmission;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;

/** Mutated JWS headers and JSON bodies only ever give typed refusals (the normal-run half of the fuzzing). */
class EdgeParsersTest {
    static final String VALID_JWS = StationClient.header("0123456789abcdef0123456789abcdef",
            StationClient.payload("GET", "/api/v1/stations/me", new byte[0], 1_700_000_000L, "abcdefghijklmnopqrstuv"),
            StationClient.jcaSigner(SoftwareStation.p256()));

    static void parseAll(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            Es256Jws.parse(text, JwsType.STATION_REQUEST);
        } catch (MalformedJws expected) {
            // a typed refusal is the only acceptable failure
        }
        for (Class<?> type : new Class<?>[] {EnrollmentRequest.class, QuoteSubmission.class}) {
            try {
                JsonBodies.parse(input, type);
            } catch (ApiException expected) {
                // likewise
            }
        }
    }

    @Test
    void mutatedJwsAndJsonOnlyEverGiveTypedRefusals() throws MalformedJws {
        Random random = new Random(42);
        byte[] jws = VALID_JWS.getBytes(StandardCharsets.US_ASCII);
        byte[] json = ("{\"nonce\":\"AAAA\",\"attest\":\"AAAA\",\"signature\":\"AAAA\",\"pcrs\":{\"0\":\"AAAA\"}}")
                .getBytes(StandardCharsets.US_ASCII);
        int parsed = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] base = (i % 2 == 0 ? jws : json).clone();
            for (int m = 0; m < 1 + random.nextInt(4); m++) {
                base[random.nextInt(base.length)] = (byte) random.nextInt(256);
            }
            parseAll(base);
            parsed++;
        }
        assertEquals(3000, parsed);
        Es256Jws ok = Es256Jws.parse(VALID_JWS, JwsType.STATION_REQUEST);
        assertEquals("0123456789abcdef0123456789abcdef", ok.kid());
    }
}
