package org.stationtrust.agent.internal.api;

import java.util.Locale;
import org.stationtrust.protocol.ErrorCode;

/**
 * Every refusal the local API makes, with its HTTP status. A code naming the same condition as one of the server's
 * ({@link ErrorCode}: {@code malformed_json}, {@code storage_unavailable}, ...) has the same wire name and the same
 * status (a test holds that); device rejections carry sbi-client's reason instead (see {@link ApiRefusal#device}).
 * The application branches on these values, never on a message.
 */
public enum RefusalCode {
    /** The peer is not a loopback address. */
    NOT_LOOPBACK(403),
    /** The Host header names something other than 127.0.0.1, localhost or [::1] (DNS rebinding). */
    BAD_HOST(403),
    MISSING_TOKEN(401),
    WRONG_TOKEN(401),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    UNSUPPORTED_MEDIA_TYPE(415),
    BODY_TOO_LARGE(413),
    /** Not JSON, not an object, duplicate keys, trailing data, or a body that could not be read. */
    MALFORMED_JSON(400),
    /** An unknown field, a field of the wrong type, or a value outside its rule (the message names the field). */
    INVALID_FIELD(400),
    /** A request the HTTP layer refused before it reached a route (neither of the above). */
    BAD_REQUEST(400),
    /** A capture without the registration's consent reference. */
    CONSENT_REQUIRED(400),
    /** A well-formed capture order that does not fit the device it names (other modality, no such sensor). */
    BAD_CAPTURE_REQUEST(400),
    DEVICE_NOT_FOUND(404),
    NO_TRUSTED_DEVICE(503),
    NO_DEVICE_TRUST_STORE(503),
    TPM_UNAVAILABLE(503),
    NO_SERVER(409),
    ALREADY_ENROLLED(409),
    STATION_NOT_ACTIVE(409),
    /** An enrollment or key rotation asked while the agent's own step (e.g. an enrollment retrying) still runs. */
    AGENT_BUSY(409),
    SERVER_REFUSED(502),
    SERVER_UNREACHABLE(503),
    /** The state directory (queue, registration chains, audit log) could not be written: disk full, read-only. */
    STORAGE_UNAVAILABLE(503),
    INTERNAL(500);

    private final int status;

    RefusalCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The wire form: lower snake case, e.g. {@code consent_required}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The shared reader's refusal ({@code malformed_json}, {@code invalid_field}, {@code body_too_large}) as ours. */
    public static RefusalCode of(ErrorCode shared) {
        return switch (shared) {
            case BODY_TOO_LARGE -> BODY_TOO_LARGE;
            case INVALID_FIELD -> INVALID_FIELD;
            case UNSUPPORTED_MEDIA_TYPE -> UNSUPPORTED_MEDIA_TYPE;
            default -> MALFORMED_JSON;
        };
    }
}
