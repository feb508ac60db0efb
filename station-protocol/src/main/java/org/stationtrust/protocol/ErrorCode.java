package org.stationtrust.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * Stable error codes of the server API (docs/server-api.md, "Error codes"); the HTTP status goes with the code.
 * A station branches on these values, never on the text of a message.
 */
public enum ErrorCode {
    MALFORMED_JSON(400), INVALID_FIELD(400), BODY_TOO_LARGE(413), UNSUPPORTED_MEDIA_TYPE(415),
    UNAUTHENTICATED(401), FORBIDDEN(403), CSRF_TOKEN_INVALID(403), NOT_FOUND(404), CONFLICT(409),
    RATE_LIMITED(429), BODY_TIMEOUT(408), SERVER_BUSY(503),
    ENROLLMENT_TOKEN_INVALID(403), EK_CERTIFICATE_UNTRUSTED(422), EK_MISMATCH(422), KEY_ATTRIBUTES_INVALID(422),
    CERTIFICATION_INVALID(422), ACTIVATION_FAILED(403), ENROLLMENT_NOT_PENDING(409),
    NONCE_INVALID(403), QUOTE_INVALID(422), PCR_BANK_REFUSED(403), PCR_POLICY_VIOLATION(403),
    EVENT_LOG_INVALID(403), NO_EVENT_LOG(403), EVENT_LOG_REQUIRED(409),
    SIGNATURE_MISSING(401), SIGNATURE_INVALID(401), TIMESTAMP_OUT_OF_RANGE(401), REQUEST_REPLAYED(401),
    MACHINE_UNKNOWN(401), MACHINE_NOT_ACTIVE(403), MACHINE_UNATTESTED(403),
    PACKET_INVALID(422), STORAGE_UNAVAILABLE(503), INTERNAL(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The wire form: lower snake case, e.g. {@code request_replayed}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The code a wire value names, or empty for a code this version does not know (a newer server's). */
    public static Optional<ErrorCode> fromWire(String wire) {
        for (ErrorCode c : values()) {
            if (c.wire().equals(wire)) return Optional.of(c);
        }
        return Optional.empty();
    }
}
