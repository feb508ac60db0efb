package org.stationtrust.server.internal.http;

import org.stationtrust.protocol.ErrorCode;
/** A refused request: a stable code, and a message saying what was expected and what to do. */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ApiException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
