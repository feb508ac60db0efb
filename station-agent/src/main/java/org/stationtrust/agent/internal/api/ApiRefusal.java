package org.stationtrust.agent.internal.api;

import java.util.Objects;
import org.stationtrust.sbi.client.RejectionReason;

/**
 * A request the agent refuses, with a stable machine-readable code, its HTTP status, and a message the operator can
 * read (what was expected, what was seen, what to do). Never carries secrets. The code is a {@link RefusalCode}, or
 * for a device whose answer was not trusted, sbi-client's {@link RejectionReason} name ({@code SIGNATURE_INVALID},
 * {@code DEVICE_BUSY}, ...).
 */
public final class ApiRefusal extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    public ApiRefusal(RefusalCode code, String message) {
        this(code.status(), code.wire(), message);
    }

    private ApiRefusal(int status, String code, String message) {
        super(Objects.requireNonNull(message));
        this.status = status;
        this.code = code;
    }

    /** A device answer sbi-client rejected: the reason's name as the code, its status by what the operator can do. */
    public static ApiRefusal device(RejectionReason reason, String message) {
        return new ApiRefusal(deviceStatus(reason), reason.name(), message);
    }

    /** 503 when the device cannot be reached, 409 when it is not ready, 422 for its own verdict, 502 for an untrusted answer. */
    static int deviceStatus(RejectionReason reason) {
        return switch (reason) {
            case DEVICE_UNREACHABLE, TIMEOUT -> 503;
            case DEVICE_BUSY, DEVICE_NOT_READY, NOT_REGISTERED -> 409;
            case DEVICE_ERROR, QUALITY_BELOW_THRESHOLD, COUNT_MISMATCH -> 422;
            default -> 502; // the device answered, but the answer cannot be trusted
        };
    }

    public int status() {
        return status;
    }

    /** The wire code. */
    public String code() {
        return code;
    }
}
