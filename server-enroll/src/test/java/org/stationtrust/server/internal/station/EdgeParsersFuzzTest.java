package org.stationtrust.server.internal.station;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The parsers at the edge (JWS header, JSON bodies) answer any input with a typed refusal (ApiException),
 * never another exception. Jazzer fuzzes them for 3 s (the fuzz execution); EdgeParsersTest mutates inputs in
 * the normal run.
 */
class EdgeParsersFuzzTest {
    @FuzzTest(maxDuration = "3s")
    void edgeParsersOnlyRefuseWithApiException(FuzzedDataProvider data) {
        EdgeParsersTest.parseAll(data.consumeRemainingAsBytes());
    }
}
