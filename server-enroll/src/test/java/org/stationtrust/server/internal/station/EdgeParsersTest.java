package org.stationtrust.server.internal.station;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stationtrust.server.internal.http.ErrorCode;

/** Mutated JWS headers and JSON bodies only ever give typed refusals (the normal-run half of the fuzzing). */
class EdgeParsersTest {
    @Test
    void mutatedJwsAndJsonOnlyEverGiveTypedRefusals() {
        Random random = new Random(42);
        byte[] jws = EdgeParsersFuzzTest.VALID_JWS.getBytes(StandardCharsets.US_ASCII);
        byte[] json = ("{\"nonce\":\"AAAA\",\"attest\":\"AAAA\",\"signature\":\"AAAA\",\"pcrs\":{\"0\":\"AAAA\"}}")
                .getBytes(StandardCharsets.US_ASCII);
        int parsed = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] base = (i % 2 == 0 ? jws : json).clone();
            for (int m = 0; m < 1 + random.nextInt(4); m++) {
                base[random.nextInt(base.length)] = (byte) random.nextInt(256);
            }
            EdgeParsersFuzzTest.parseAll(base);
            parsed++;
        }
        assertEquals(3000, parsed);
        CompactJws ok = CompactJws.parse(EdgeParsersFuzzTest.VALID_JWS, 4096, SignedRequestVerifier.TYP, ErrorCode.SIGNATURE_INVALID);
        assertEquals("0123456789abcdef0123456789abcdef", ok.kid());
    }
}
