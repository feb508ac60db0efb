package org.stationtrust.agent.internal.server;

import java.util.Optional;
import org.stationtrust.protocol.ErrorCode;

/**
 * The server answered, and refused: its HTTP status, its error code (empty when this version does not know it, e.g. a
 * newer server's) and message (docs/server-api.md error body). Callers branch on {@link #errorCode()}.
 */
public final class ServerRefused extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient Optional<ErrorCode> errorCode;
    private final String code;

    public ServerRefused(int status, Optional<ErrorCode> errorCode, String wireCode, String message) {
        super("the server refused (HTTP " + status + " " + wireCode + "): " + message);
        this.status = status;
        this.errorCode = errorCode;
        this.code = wireCode;
    }

    public int status() {
        return status;
    }

    /** The protocol's error code, when the server sent one this version knows. */
    public Optional<ErrorCode> errorCode() {
        return errorCode == null ? Optional.empty() : errorCode;
    }

    /** True when the server's code is {@code expected}. */
    public boolean is(ErrorCode expected) {
        return errorCode().filter(expected::equals).isPresent();
    }

    /** The code as the server wrote it, for logs and the audit. */
    public String code() {
        return code;
    }
}
