package org.stationtrust.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictJsonTest {
    /** A request record as both parties write them: validated in its constructor. */
    public record Sample(String name, Integer count) {
        public Sample {
            if (name != null && name.length() > 5) throw new IllegalArgumentException("Field 'name' is longer than 5 characters");
        }
    }

    private static InvalidJsonBody refused(String json) {
        return assertThrows(InvalidJsonBody.class, () -> StrictJson.read(json.getBytes(StandardCharsets.UTF_8), Sample.class));
    }

    @Test
    void bindsAWellFormedBodyToItsRecord() throws InvalidJsonBody {
        assertEquals(new Sample("a", 2), StrictJson.read("{\"name\":\"a\",\"count\":2}".getBytes(StandardCharsets.UTF_8), Sample.class));
    }

    @Test
    void refusesADuplicateKeyInsteadOfKeepingTheLastOne() {
        InvalidJsonBody e = refused("{\"name\":\"a\",\"name\":\"b\"}");
        assertEquals(ErrorCode.MALFORMED_JSON, e.code());
        assertTrue(e.getMessage().contains("name"), e.getMessage());
    }

    @Test
    void refusesDataAfterTheObject() {
        assertEquals(ErrorCode.MALFORMED_JSON, refused("{\"name\":\"a\"} {}").code());
        assertEquals(ErrorCode.MALFORMED_JSON, refused("{\"name\":\"a\"").code());
        assertEquals(ErrorCode.MALFORMED_JSON, refused("").code());
    }

    @Test
    void refusesAnUnknownFieldNamingItAndTheKnownOnes() {
        InvalidJsonBody e = refused("{\"name\":\"a\",\"colour\":1}");
        assertEquals(ErrorCode.INVALID_FIELD, e.code());
        assertTrue(e.getMessage().contains("'colour'") && e.getMessage().contains("count"), e.getMessage());
    }

    @Test
    void refusesWrongTypesAndFractionsWithoutNamingJavaTypes() {
        for (String json : new String[] {"{\"count\":\"2\"}", "{\"count\":2.5}", "{\"name\":3}", "{\"count\":true}"}) {
            InvalidJsonBody e = refused(json);
            assertEquals(ErrorCode.INVALID_FIELD, e.code(), json);
            assertFalse(e.getMessage().contains("java."), e.getMessage());
        }
    }

    @Test
    void passesARecordsOwnRuleAsAnInvalidField() {
        InvalidJsonBody e = refused("{\"name\":\"toolong\"}");
        assertEquals(ErrorCode.INVALID_FIELD, e.code());
        assertEquals("Field 'name' is longer than 5 characters", e.getMessage());
    }

    @Test
    void boundsTheBodyItReads() throws InvalidJsonBody {
        byte[] six = "123456".getBytes(StandardCharsets.US_ASCII);
        assertEquals(6, StrictJson.readBounded(new ByteArrayInputStream(six), 6).length);
        assertEquals(ErrorCode.BODY_TOO_LARGE,
                assertThrows(InvalidJsonBody.class, () -> StrictJson.readBounded(new ByteArrayInputStream(six), 5)).code());
        assertEquals(ErrorCode.BODY_TOO_LARGE,
                assertThrows(InvalidJsonBody.class, () -> StrictJson.read(six, 5, Sample.class)).code());
    }
}
