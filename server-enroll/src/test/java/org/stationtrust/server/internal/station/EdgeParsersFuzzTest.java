package org.stationtrust.server.internal.station;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.stationtrust.server.internal.attest.QuoteSubmission;
import org.stationtrust.server.internal.enroll.EnrollmentRequest;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.ErrorCode;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.testing.SoftwareStation;
import org.stationtrust.server.internal.testing.StationClient;

/**
 * The parsers at the edge (JWS header, JSON bodies) answer any input with a typed refusal (ApiException),
 * never another exception. Jazzer fuzzes them for 3 s (the fuzz execution); EdgeParsersTest mutates inputs in
 * the normal run.
 */
class EdgeParsersFuzzTest {
    static final String VALID_JWS = StationClient.header("0123456789abcdef0123456789abcdef",
            StationClient.payload("GET", "/api/v1/stations/me", new byte[0], 1_700_000_000L, "abcdefghijklmnopqrstuv"),
            StationClient.jcaSigner(SoftwareStation.p256()));

    static void parseAll(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            CompactJws.parse(text, 4096, SignedRequestVerifier.TYP, ErrorCode.SIGNATURE_INVALID);
        } catch (ApiException expected) {
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

    @FuzzTest(maxDuration = "3s")
    void edgeParsersOnlyRefuseWithApiException(FuzzedDataProvider data) {
        parseAll(data.consumeRemainingAsBytes());
    }
}
