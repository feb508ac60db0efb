package org.stationtrust.agent.internal.server;

/** No answer from the server (network down, TLS pin mismatch, timeout); worth retrying later except for a pin mismatch. */
public final class ServerUnreachable extends Exception {
    private static final long serialVersionUID = 1L;

    public ServerUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
