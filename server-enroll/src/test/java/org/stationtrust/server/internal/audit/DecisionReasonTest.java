package org.stationtrust.server.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.http.ApiException;

class DecisionReasonTest {
    @Test
    void aReasonOfThreeToFiveHundredCharactersIsKeptStripped() {
        assertEquals("why", DecisionReason.require("  why \n"));
        assertEquals("x".repeat(500), DecisionReason.require("x".repeat(500)));
    }

    @Test
    void aMissingBlankShortOrLongReasonIsRefusedNamingTheBounds() {
        for (String bad : new String[] {null, "", "   ", "ok", " ok ", "x".repeat(501)}) {
            ApiException e = assertThrows(ApiException.class, () -> DecisionReason.require(bad), String.valueOf(bad));
            assertEquals(ErrorCode.INVALID_FIELD, e.code());
            assertTrue(e.getMessage().contains("3-500 characters"), e.getMessage());
        }
    }
}
