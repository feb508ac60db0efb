package org.stationtrust.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.stationtrust.protocol.ErrorAnswer;
import org.stationtrust.protocol.ErrorCode;

/** The one error body of the API (docs/server-api.md, "Conventions"): {@code {error: {code, message}, requestId}}. */
public final class ErrorBodies {
    private ErrorBodies() {
    }

    /** The error answer; a fresh request id when the request has none yet. */
    public static ErrorAnswer answer(ErrorCode code, String message, String requestId) {
        return new ErrorAnswer(new ErrorAnswer.Error(code.wire(), message), requestId != null ? requestId
                : ResponseHeaders.newRequestId());
    }

    public static byte[] json(ErrorCode code, String message, String requestId) {
        try {
            return org.stationtrust.protocol.WireJson.strict().writeValueAsBytes(answer(code, message, requestId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body of strings cannot fail to serialise", e);
        }
    }
}
