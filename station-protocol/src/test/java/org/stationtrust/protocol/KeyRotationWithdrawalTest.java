package org.stationtrust.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The withdrawal's wire form (docs/server-api.md, "Withdrawing a rotation"). */
class KeyRotationWithdrawalTest {
    @Test
    void readsAWithdrawalAndRefusesOneWithoutANonce() throws InvalidJsonBody {
        assertEquals("bm9uY2U=", StrictJson.read("{\"nonce\":\"bm9uY2U=\"}".getBytes(StandardCharsets.UTF_8),
                KeyRotationWithdrawal.class).nonce());
        for (String body : new String[] {"{}", "{\"nonce\":\"\"}", "{\"nonce\":\"" + "A".repeat(129) + "\"}"}) {
            InvalidJsonBody e = assertThrows(InvalidJsonBody.class, () -> StrictJson.read(
                    body.getBytes(StandardCharsets.UTF_8), KeyRotationWithdrawal.class), body);
            assertEquals(ErrorCode.INVALID_FIELD, e.code(), body);
        }
    }

    @Test
    void writesTheOutcomeByItsWireNameAndRefusesAnOutcomeItDoesNotKnow() throws Exception {
        String json = WireJson.strict().writeValueAsString(new KeyRotationWithdrawn("m-1", "k-1",
                KeyRotationWithdrawn.Outcome.ALREADY_WITHDRAWN));
        assertEquals("{\"machineId\":\"m-1\",\"keyId\":\"k-1\",\"outcome\":\"already-withdrawn\"}", json);
        assertEquals(KeyRotationWithdrawn.Outcome.ALREADY_WITHDRAWN,
                WireJson.answers().readValue(json, KeyRotationWithdrawn.class).outcome());
        assertThrows(JsonMappingException.class, () -> WireJson.answers().readValue(
                "{\"machineId\":\"m-1\",\"keyId\":\"k-1\",\"outcome\":\"maybe\"}", KeyRotationWithdrawn.class),
                "an outcome this version does not know is not taken for a withdrawal");
    }
}
