package org.stationtrust.protocol;

import java.util.Optional;

/** Every error answer: {@code {"error": {"code", "message"}, "requestId"}}. */
public record ErrorAnswer(Error error, String requestId) {
    /** The stable code and a human message. */
    public record Error(String code, String message) {
    }

    public ErrorAnswer {
        if (error == null) throw new IllegalArgumentException("Field 'error' is required");
    }

    /** The code as this version knows it; empty for a code it does not know. */
    public Optional<ErrorCode> code() {
        return ErrorCode.fromWire(error.code());
    }
}
