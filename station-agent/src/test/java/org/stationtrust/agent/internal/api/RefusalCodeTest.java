package org.stationtrust.agent.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stationtrust.protocol.ErrorCode;

class RefusalCodeTest {

    @Test
    void aCodeTheServerAlsoUsesHasTheServersStatus() {
        int shared = 0;
        for (RefusalCode code : RefusalCode.values()) {
            Optional<ErrorCode> server = ErrorCode.fromWire(code.wire());
            if (server.isPresent()) {
                shared++;
                assertEquals(server.get().status(), code.status(), code.wire() + " has one status in the whole product");
            }
        }
        assertTrue(shared >= 6, "the rule compares something: " + shared + " shared codes");
    }

    @Test
    void theSharedReadersRefusalsKeepTheirCodes() {
        for (ErrorCode code : new ErrorCode[] {ErrorCode.MALFORMED_JSON, ErrorCode.INVALID_FIELD, ErrorCode.BODY_TOO_LARGE}) {
            assertEquals(code.wire(), RefusalCode.of(code).wire());
        }
    }
}
