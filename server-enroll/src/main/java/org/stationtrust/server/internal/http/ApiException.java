package org.stationtrust.server.internal.http;

import org.stationtrust.protocol.ErrorCode;
/** A refused request: a stable code, and a message saying what was expected and what to do. */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final long retryAfterSeconds;

    public ApiException(ErrorCode code, String message) {
        this(code, message, 1);
    }

    /** A refusal that says, in {@code Retry-After}, how many seconds to wait (429 and 503 only carry it). */
    public ApiException(ErrorCode code, String message, long retryAfterSeconds) {
        super(message);
        if (retryAfterSeconds < 1) throw new IllegalArgumentException("Retry-After must be at least 1 s");
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ApiException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryAfterSeconds = 1;
    }

    public ErrorCode code() {
        return code;
    }

    /** Seconds a client should wait before retrying, sent as {@code Retry-After} with 429 and 503; 1 unless said. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
