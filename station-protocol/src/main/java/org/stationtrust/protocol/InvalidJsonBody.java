package org.stationtrust.protocol;

/**
 * A JSON body the strict reader refused, with the {@link ErrorCode} that says why ({@code malformed_json},
 * {@code invalid_field} or {@code body_too_large}) and a message naming the field and the JSON shape expected,
 * never a Java type.
 */
public final class InvalidJsonBody extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public InvalidJsonBody(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
